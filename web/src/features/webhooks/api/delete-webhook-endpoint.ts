import { useMutation, useQueryClient } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";
import { webhookEndpointQueryKey } from "./webhook-endpoint.ts";
import { WEBHOOKS_QUERY_KEY } from "./webhook-endpoints.ts";

export const WebhooksDeleteEndpointMutation = graphql(`
  mutation WebhooksDeleteEndpoint($id: ID!) {
    deleteWebhookEndpoint(id: $id)
  }
`);

/** Deletes the endpoint with its deliveries; the list (and the home checklist) are fetched again. */
export function useDeleteWebhookEndpoint(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => executeGraphQL(WebhooksDeleteEndpointMutation, { id }),
    onSuccess: () => {
      // The endpoint's page is being left: its queries would only be refused now.
      queryClient.removeQueries({ queryKey: webhookEndpointQueryKey(id) });
      queryClient.removeQueries({ queryKey: [...WEBHOOKS_QUERY_KEY, "deliveries", id] });
      void queryClient.invalidateQueries({ queryKey: WEBHOOKS_QUERY_KEY });
      void queryClient.invalidateQueries({ queryKey: ["setup-progress"] });
    },
  });
}
