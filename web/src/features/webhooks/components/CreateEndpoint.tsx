import { useState } from "react";
import { useCreateWebhookEndpoint } from "../api/create-webhook-endpoint.ts";
import { EndpointForm } from "./EndpointForm.tsx";
import { SigningSecretDialog, type ShownSecret } from "./SigningSecretDialog.tsx";

/** The form to add an endpoint, and its signing secret shown once after. */
export function CreateEndpoint() {
  const [created, setCreated] = useState<ShownSecret | null>(null);
  const create = useCreateWebhookEndpoint();
  return (
    <>
      <EndpointForm
        label="Add an endpoint"
        submitLabel="Add endpoint"
        errorTitle="Could not add the endpoint"
        resetOnSuccess
        onSubmit={async (input) => {
          const { createWebhookEndpoint } = await create.mutateAsync(input);
          setCreated({ url: createWebhookEndpoint.endpoint.url, secret: createWebhookEndpoint.secret, rotated: false });
        }}
      />
      <SigningSecretDialog shown={created} onClose={() => setCreated(null)} />
    </>
  );
}
