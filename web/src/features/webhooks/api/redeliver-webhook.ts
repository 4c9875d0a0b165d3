import { useMutation, useQueryClient } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";
import { WEBHOOKS_QUERY_KEY } from "./webhook-endpoints.ts";

export const WebhooksRedeliverMutation = graphql(`
  mutation WebhooksRedeliver($id: ID!) {
    redeliverWebhook(id: $id) {
      id
      status
    }
  }
`);

/** Sends one delivery's event again (same webhook-id); the endpoint's log is fetched again. */
export function useRedeliverWebhook(endpointId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => executeGraphQL(WebhooksRedeliverMutation, { id }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: [...WEBHOOKS_QUERY_KEY, "deliveries", endpointId] }),
  });
}
