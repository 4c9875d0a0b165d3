import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { buttonClasses } from "../../../components/ui/Button.tsx";
import { Card } from "../../../components/ui/Card.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { PageHeader } from "../../../components/ui/PageHeader.tsx";
import { Skeleton } from "../../../components/ui/Skeleton.tsx";
import { toast } from "../../../components/ui/Toast.tsx";
import type { WebhookDeliveryStatus } from "../../../graphql/graphql.ts";
import { GraphQLRequestError } from "../../../lib/graphql-client.ts";
import { useUpdateWebhookEndpoint } from "../api/update-webhook-endpoint.ts";
import { useWebhookEndpoint } from "../api/webhook-endpoint.ts";
import { DeliveryLog, RecoverFailed } from "./DeliveryLog.tsx";
import { EndpointActions, type Endpoint } from "./EndpointActions.tsx";
import { EndpointForm } from "./EndpointForm.tsx";
import { formatTime } from "./events.ts";
import { ManagedByAdmins } from "./ManagedByAdmins.tsx";

const BackLink = () => (
  <Link
    to="/webhooks"
    className="text-sm font-medium text-emerald-800 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-emerald-600"
  >
    ← All webhook endpoints
  </Link>
);

/** One endpoint: its state and actions, its settings, and its delivery log. OWNER and ADMIN only. */
export function EndpointPage({ endpointId, canManage, companyName }: { endpointId: string; canManage: boolean; companyName: string | undefined }) {
  const endpoint = useWebhookEndpoint(endpointId, canManage);

  if (!canManage) {
    return (
      <>
        <PageHeader title="Webhook endpoint" />
        <ManagedByAdmins companyName={companyName} />
      </>
    );
  }
  // An id that is no id at all is refused as BAD_USER_INPUT: to the person it is the same as a deleted one.
  const missing =
    (endpoint.isSuccess && endpoint.data.webhookEndpoint === null) ||
    (endpoint.error instanceof GraphQLRequestError && endpoint.error.code === "BAD_USER_INPUT");
  if (missing) {
    return (
      <>
        <PageHeader title="Endpoint not found" />
        <Card className="space-y-3 p-5">
          <p className="text-sm text-zinc-700">This company has no such webhook endpoint: it may have been deleted, or the link belongs to another company.</p>
          <Link to="/webhooks" className={buttonClasses("secondary")}>
            See your endpoints
          </Link>
        </Card>
      </>
    );
  }
  if (endpoint.isError) {
    return (
      <>
        <PageHeader title="Webhook endpoint" />
        <ErrorDisplay error={endpoint.error} onRetry={() => void endpoint.refetch()} title="Could not load the endpoint" />
      </>
    );
  }
  if (endpoint.isPending || !endpoint.data.webhookEndpoint) return <EndpointPageSkeleton />;
  return <EndpointDetails endpoint={endpoint.data.webhookEndpoint} />;
}

function EndpointDetails({ endpoint }: { endpoint: Endpoint }) {
  const [status, setStatus] = useState<WebhookDeliveryStatus | null>(null);
  const update = useUpdateWebhookEndpoint(endpoint.id);

  return (
    <>
      <div className="mb-3">
        <BackLink />
      </div>
      <PageHeader
        title="Webhook endpoint"
        description={
          <>
            <span className="block font-mono break-all text-zinc-900">{endpoint.url}</span>
            {endpoint.description && <span className="mt-1 block break-words">{endpoint.description}</span>}
            <span className="mt-1 block text-xs">Added {formatTime(endpoint.createdAt)}</span>
          </>
        }
      />
      <div className="space-y-6">
        <Card className="p-5" role="region" aria-labelledby="endpoint-status-heading">
          <h2 id="endpoint-status-heading" className="mb-3 text-lg font-semibold text-zinc-900">
            Status
          </h2>
          {/* A test event is listed among all deliveries, whatever filter was on. */}
          <EndpointActions endpoint={endpoint} onTestSent={() => setStatus(null)} />
        </Card>
        <Card className="p-5" role="region" aria-labelledby="endpoint-deliveries-heading">
          <h2 id="endpoint-deliveries-heading" className="text-lg font-semibold text-zinc-900">
            Delivery log
          </h2>
          <p className="mt-1 mb-4 text-sm text-zinc-600">
            Newest first. A failed attempt is retried for about a day, with longer pauses each time (each pending delivery says when); after that it is failed,
            and you can send it again.
          </p>
          <DeliveryLog endpointId={endpoint.id} status={status} onStatusChange={setStatus} />
          <div className="mt-6 border-t border-zinc-100 pt-4">
            <h3 className="text-sm font-semibold text-zinc-900">Recover failed deliveries</h3>
            <p className="mt-1 mb-3 text-sm text-zinc-600">After your server was down: send every failed delivery since a time again, oldest first.</p>
            <RecoverFailed endpointId={endpoint.id} onRecovered={() => setStatus(null)} />
          </div>
        </Card>
        <Card className="p-5" role="region" aria-labelledby="endpoint-settings-heading">
          <h2 id="endpoint-settings-heading" className="mb-4 text-lg font-semibold text-zinc-900">
            Settings
          </h2>
          <EndpointForm
            initial={endpoint}
            label="Endpoint settings"
            submitLabel="Save changes"
            errorTitle="Could not save the changes"
            onSubmit={async (input) => {
              await update.mutateAsync(input);
              toast("Changes saved");
            }}
          />
        </Card>
      </div>
    </>
  );
}

function EndpointPageSkeleton() {
  return (
    <div aria-busy="true" className="space-y-4">
      <span className="sr-only" role="status">
        Loading the endpoint…
      </span>
      <Skeleton className="h-8 w-56" />
      <Skeleton className="h-4 w-96 max-w-full" />
      <Skeleton className="mt-6 h-32 w-full" />
      <Skeleton className="h-64 w-full" />
    </div>
  );
}
