import { useMutation, useQueryClient } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";
import { WEBHOOKS_QUERY_KEY } from "./webhook-endpoints.ts";

export const WebhooksRecoverDeliveriesMutation = graphql(`
  mutation WebhooksRecoverDeliveries($endpointId: ID!, $since: DateTimeISO!) {
    recoverWebhookDeliveries(endpointId: $endpointId, since: $since)
  }
`);

/** Delivers again every FAILED delivery created since `since` (an ISO time); answers how many were queued. */
export function useRecoverWebhookDeliveries(endpointId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (since: string) => executeGraphQL(WebhooksRecoverDeliveriesMutation, { endpointId, since }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: [...WEBHOOKS_QUERY_KEY, "deliveries", endpointId] }),
  });
}
