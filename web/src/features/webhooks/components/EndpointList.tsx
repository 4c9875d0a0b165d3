import { Link } from "@tanstack/react-router";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { Skeleton } from "../../../components/ui/Skeleton.tsx";
import type { WebhooksEndpointsQuery } from "../../../graphql/graphql.ts";
import { useWebhookEndpoints } from "../api/webhook-endpoints.ts";
import { eventsSummary, formatTime } from "./events.ts";
import { ReceiverSnippet } from "./ReceiverSnippet.tsx";
import { StatusBadge } from "./StatusBadge.tsx";

type Endpoint = WebhooksEndpointsQuery["webhookEndpoints"][number];

/** The tenant's endpoints, newest first; each opens its own page (settings and delivery log). */
export function EndpointList() {
  const endpoints = useWebhookEndpoints(true);

  if (endpoints.isError) return <ErrorDisplay error={endpoints.error} onRetry={() => void endpoints.refetch()} />;
  if (endpoints.isPending) return <EndpointListSkeleton />;
  if (endpoints.data.webhookEndpoints.length === 0) {
    return (
      <div className="rounded-md border border-dashed border-zinc-300 p-5 text-sm text-zinc-700" data-testid="webhooks-empty">
        <p className="font-medium text-zinc-900">No webhook endpoints yet</p>
        <p className="mt-1">
          A webhook endpoint is a URL on your own server that Switchboard calls the moment something happens: a customer writes to your number, or a message you
          sent is delivered, read or fails. Your app reacts at once instead of asking the API again and again. Each request is signed, so your server can check
          it came from Switchboard; failed deliveries are retried for about a day.
        </p>
        <ReceiverSnippet />
      </div>
    );
  }
  return (
    <ul className="divide-y divide-zinc-100" aria-label="Webhook endpoints">
      {endpoints.data.webhookEndpoints.map((endpoint) => (
        <EndpointRow key={endpoint.id} endpoint={endpoint} />
      ))}
    </ul>
  );
}

function EndpointRow({ endpoint }: { endpoint: Endpoint }) {
  return (
    <li className="flex flex-wrap items-start gap-x-4 gap-y-2 py-4" data-webhook-endpoint={endpoint.url} data-enabled={String(endpoint.enabled)}>
      <div className="min-w-0 flex-1 basis-64 space-y-1">
        <div className="flex flex-wrap items-center gap-2">
          <Link
            to="/webhooks/$endpointId"
            params={{ endpointId: endpoint.id }}
            className="font-mono text-sm font-medium break-all text-emerald-800 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-emerald-600"
          >
            {endpoint.url}
          </Link>
          <StatusBadge tone={endpoint.enabled ? "good" : "off"}>{endpoint.enabled ? "Enabled" : "Disabled"}</StatusBadge>
        </div>
        {endpoint.description && <p className="text-sm break-words text-zinc-800">{endpoint.description}</p>}
        {!endpoint.enabled && (
          <p className="text-sm text-zinc-700">
            {endpoint.disabledReason ? `Disabled by Switchboard. ${endpoint.disabledReason}` : "Disabled by your team: events wait until it is enabled again."}
          </p>
        )}
        <p className="text-sm text-zinc-700">
          <span className="sr-only">Events: </span>
          {eventsSummary(endpoint.events)}
        </p>
        <p className="text-xs text-zinc-600">Added {formatTime(endpoint.createdAt)}</p>
      </div>
    </li>
  );
}

function EndpointListSkeleton() {
  return (
    <div aria-busy="true">
      <span className="sr-only" role="status">
        Loading your webhook endpoints…
      </span>
      <ul className="divide-y divide-zinc-100">
        {[0, 1].map((row) => (
          <li key={row} className="space-y-2 py-4">
            <Skeleton className="h-5 w-72 max-w-full" />
            <Skeleton className="h-4 w-48" />
            <Skeleton className="h-4 w-32" />
          </li>
        ))}
      </ul>
    </div>
  );
}
