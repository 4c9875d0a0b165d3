import { Card } from "../../../components/ui/Card.tsx";
import { PageHeader } from "../../../components/ui/PageHeader.tsx";
import { CreateEndpoint } from "./CreateEndpoint.tsx";
import { EndpointList } from "./EndpointList.tsx";
import { ManagedByAdmins } from "./ManagedByAdmins.tsx";

export const WEBHOOKS_DESCRIPTION =
  "Webhooks send what happens on your WhatsApp number (messages received, delivered, read or failed) to your own server as it happens, signed so your server can check they come from Switchboard.";

/**
 * Webhook endpoints: the list, and a form to add one (its signing secret shown once). Only owners and
 * admins manage them (server/schema.graphql: webhookEndpoints, createWebhookEndpoint); others are told who can.
 */
export function WebhooksPage({ canManage, companyName }: { canManage: boolean; companyName: string | undefined }) {
  return (
    <>
      <PageHeader title="Webhooks" description={WEBHOOKS_DESCRIPTION} />
      {canManage ? (
        <div className="space-y-6">
          <Card className="p-5">
            <h2 id="webhooks-heading" tabIndex={-1} className="text-lg font-semibold text-zinc-900 focus:outline-none">
              Your endpoints
            </h2>
            <div className="mt-2">
              <EndpointList />
            </div>
          </Card>
          <Card className="p-5">
            <h2 className="text-lg font-semibold text-zinc-900">Add an endpoint</h2>
            <p className="mt-1 mb-4 text-sm text-zinc-600">
              One endpoint can receive every event; add more (up to 20) to send different events to different apps.
            </p>
            <CreateEndpoint />
          </Card>
        </div>
      ) : (
        <ManagedByAdmins companyName={companyName} />
      )}
    </>
  );
}
