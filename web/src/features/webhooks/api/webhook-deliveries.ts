import { infiniteQueryOptions, useInfiniteQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import type { WebhookDeliveryStatus, WebhooksDeliveriesQuery as WebhooksDeliveriesResult } from "../../../graphql/graphql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";
import { webhookEndpointQueryKey, type webhookEndpointQueryOptions } from "./webhook-endpoint.ts";
import { WEBHOOKS_QUERY_KEY } from "./webhook-endpoints.ts";

type EndpointData = Awaited<ReturnType<NonNullable<ReturnType<typeof webhookEndpointQueryOptions>["queryFn"]>>>;

export const WebhooksDeliveriesQuery = graphql(`
  query WebhooksDeliveries($endpointId: ID!, $filter: WebhookDeliveryFilter, $first: Int, $after: String) {
    # The endpoint's state too: a delivery can disable it (410 Gone), and the page shows that as the log refreshes.
    webhookEndpoint(id: $endpointId) {
      id
      enabled
      disabledReason
    }
    webhookDeliveries(endpointId: $endpointId, filter: $filter, first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          eventId
          eventType
          status
          attempts
          createdAt
          lastAttemptAt
          nextAttemptAt
          lastResponseStatus
          lastDurationMs
          lastResponseSnippet
          lastError
          payload
          attemptLog {
            attemptedAt
            responseStatus
            durationMs
            responseSnippet
            error
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export type WebhookDelivery = WebhooksDeliveriesResult["webhookDeliveries"]["edges"][number]["node"];

export const DELIVERIES_PAGE_SIZE = 20;
/** While a delivery is about to be attempted the log asks again this often, so the attempt shows without reloading. */
export const PENDING_POLL_MS = 2_000;
/** While deliveries only wait (a retry later, or a disabled endpoint), less often. */
export const WAITING_POLL_MS = 30_000;
/** A pending delivery due within this is "about to be attempted". */
const DUE_SOON_MS = 60_000;

/**
 * How soon the log should ask again: often while a pending delivery is due (queued, redelivered, or its
 * retry near), rarely while they only wait, and not at all once none is pending.
 */
export function pollInterval(pages: readonly WebhooksDeliveriesResult[] | undefined, now: number): number | false {
  const pending = (pages ?? []).flatMap((page) => page.webhookDeliveries.edges.map((edge) => edge.node)).filter((node) => node.status === "PENDING");
  if (pending.length === 0) return false;
  if (pages?.[0]?.webhookEndpoint?.enabled === false) return WAITING_POLL_MS;
  const dueSoon = pending.some((node) => node.nextAttemptAt === null || Date.parse(node.nextAttemptAt) - now < DUE_SOON_MS);
  return dueSoon ? PENDING_POLL_MS : WAITING_POLL_MS;
}

export const webhookDeliveriesQueryKey = (endpointId: string, status: WebhookDeliveryStatus | null) =>
  [...WEBHOOKS_QUERY_KEY, "deliveries", endpointId, status ?? "ALL"] as const;

export const webhookDeliveriesQueryOptions = (queryClient: QueryClient, endpointId: string, status: WebhookDeliveryStatus | null) =>
  infiniteQueryOptions({
    queryKey: webhookDeliveriesQueryKey(endpointId, status),
    queryFn: async ({ pageParam }) => {
      const result = await executeGraphQL(WebhooksDeliveriesQuery, {
        endpointId,
        filter: status ? { status } : null,
        first: DELIVERIES_PAGE_SIZE,
        after: pageParam,
      });
      const state = result.webhookEndpoint;
      if (state) {
        queryClient.setQueryData<EndpointData>(webhookEndpointQueryKey(endpointId), (cached) =>
          cached?.webhookEndpoint ? { webhookEndpoint: { ...cached.webhookEndpoint, enabled: state.enabled, disabledReason: state.disabledReason } } : cached,
        );
      }
      return result;
    },
    initialPageParam: null as string | null,
    // Keyset pages: the cursor of the last delivery shown, so deliveries added meanwhile neither repeat nor go missing.
    getNextPageParam: (page) => (page.webhookDeliveries.pageInfo.hasNextPage ? page.webhookDeliveries.pageInfo.endCursor : null),
    refetchInterval: (query) => pollInterval(query.state.data?.pages, Date.now()),
  });

/** An endpoint's deliveries, newest first, in pages of 20 ("Load more"); `status` null: all of them. */
export function useWebhookDeliveries(endpointId: string, status: WebhookDeliveryStatus | null) {
  const queryClient = useQueryClient();
  return useInfiniteQuery(webhookDeliveriesQueryOptions(queryClient, endpointId, status));
}
