import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { Button } from "../../../components/ui/Button.tsx";
import { ConfirmDialog } from "../../../components/ui/ConfirmDialog.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { toast } from "../../../components/ui/Toast.tsx";
import type { WebhooksEndpointQuery } from "../../../graphql/graphql.ts";
import { useDeleteWebhookEndpoint } from "../api/delete-webhook-endpoint.ts";
import { useRotateWebhookSecret } from "../api/rotate-webhook-secret.ts";
import { useSendTestWebhook } from "../api/send-test-webhook.ts";
import { useUpdateWebhookEndpoint } from "../api/update-webhook-endpoint.ts";
import { SigningSecretDialog, type ShownSecret } from "./SigningSecretDialog.tsx";
import { StatusBadge } from "./StatusBadge.tsx";

export type Endpoint = NonNullable<WebhooksEndpointQuery["webhookEndpoint"]>;

/** The endpoint's state and what can be done to it: test, disable or enable, rotate its secret, delete. */
export function EndpointActions({ endpoint, onTestSent }: { endpoint: Endpoint; onTestSent: () => void }) {
  const update = useUpdateWebhookEndpoint(endpoint.id);
  const sendTest = useSendTestWebhook(endpoint.id);
  const [rotated, setRotated] = useState<ShownSecret | null>(null);
  const error = update.error ?? sendTest.error;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2">
        <StatusBadge tone={endpoint.enabled ? "good" : "off"}>{endpoint.enabled ? "Enabled" : "Disabled"}</StatusBadge>
        <p className="text-sm text-zinc-700" data-testid="endpoint-state">
          {endpoint.enabled
            ? "Events are sent to this endpoint as they happen."
            : endpoint.disabledReason
              ? `Disabled by Switchboard. ${endpoint.disabledReason}`
              : "Disabled: its events wait, and enabling it sends them."}
        </p>
      </div>
      {error && <ErrorDisplay error={error} title={error === update.error ? "Could not change the endpoint" : "Could not send a test event"} />}
      <div className="flex flex-wrap gap-2">
        <Button
          variant="primary"
          loading={sendTest.isPending}
          disabled={!endpoint.enabled}
          aria-describedby={endpoint.enabled ? undefined : "send-test-hint"}
          onClick={() => {
            update.reset();
            sendTest.mutate(undefined, {
              onSuccess: () => {
                toast("Test event queued", "Watch it arrive in the delivery log below.");
                onTestSent();
              },
            });
          }}
        >
          Send test event
        </Button>
        <Button
          variant="secondary"
          loading={update.isPending}
          onClick={() => {
            sendTest.reset();
            update.mutate(
              { enabled: !endpoint.enabled },
              { onSuccess: ({ updateWebhookEndpoint }) => toast(updateWebhookEndpoint.enabled ? "Endpoint enabled" : "Endpoint disabled") },
            );
          }}
        >
          {endpoint.enabled ? "Disable" : "Enable"}
        </Button>
        <RotateSecretButton endpoint={endpoint} onRotated={setRotated} />
        <DeleteButton endpoint={endpoint} />
      </div>
      {!endpoint.enabled && (
        <p id="send-test-hint" className="text-sm text-zinc-600">
          Enable the endpoint to send it a test event.
        </p>
      )}
      <SigningSecretDialog shown={rotated} onClose={() => setRotated(null)} />
    </div>
  );
}

function RotateSecretButton({ endpoint, onRotated }: { endpoint: Endpoint; onRotated: (shown: ShownSecret) => void }) {
  const rotate = useRotateWebhookSecret(endpoint.id);
  return (
    <ConfirmDialog
      trigger={<Button variant="secondary">Rotate secret</Button>}
      title="Rotate the signing secret?"
      description="Switchboard makes a new secret and shows it once. The current one keeps signing beside it for 24 hours (each delivery carries both signatures), so you can switch your receiver without missing events; after that only the new one signs."
      action={rotate}
      errorTitle="Could not rotate the secret"
      confirmVariant="primary"
      confirmLabel="Rotate secret"
      onConfirm={(close) =>
        rotate.mutate(undefined, {
          onSuccess: ({ rotateWebhookSecret }) => {
            close();
            onRotated({ url: endpoint.url, secret: rotateWebhookSecret.secret, rotated: true });
          },
        })
      }
    />
  );
}

function DeleteButton({ endpoint }: { endpoint: Endpoint }) {
  const remove = useDeleteWebhookEndpoint(endpoint.id);
  const navigate = useNavigate();
  return (
    <ConfirmDialog
      trigger={
        <Button variant="secondary" className="text-red-800">
          Delete
        </Button>
      }
      title="Delete this endpoint?"
      description={
        <>
          <span className="block font-mono break-all text-zinc-900">{endpoint.url}</span>
          <span className="mt-2 block">
            It is sent nothing more, its delivery log goes with it, and events still waiting are not sent. This cannot be undone.
          </span>
        </>
      }
      action={remove}
      errorTitle="Could not delete the endpoint"
      confirmLabel="Delete endpoint"
      onConfirm={(close) =>
        remove.mutate(undefined, {
          onSuccess: () => {
            close();
            toast("Endpoint deleted", `${endpoint.url} is sent nothing more.`);
            void navigate({ to: "/webhooks" });
          },
        })
      }
    />
  );
}
