import { useMutation, useQueryClient } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";
import { WEBHOOKS_QUERY_KEY } from "./webhook-endpoints.ts";

export const WebhooksSendTestMutation = graphql(`
  mutation WebhooksSendTest($endpointId: ID!) {
    sendTestWebhook(endpointId: $endpointId) {
      id
      status
    }
  }
`);

/** Queues a signed `test` event; the delivery log is fetched again (and polls while it is pending). */
export function useSendTestWebhook(endpointId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => executeGraphQL(WebhooksSendTestMutation, { endpointId }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: [...WEBHOOKS_QUERY_KEY, "deliveries", endpointId] }),
  });
}
