import { useMutation, useQueryClient } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import type { CreateWebhookEndpointInput } from "../../../graphql/graphql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";
import { WEBHOOKS_QUERY_KEY } from "./webhook-endpoints.ts";

export const WebhooksCreateEndpointMutation = graphql(`
  mutation WebhooksCreateEndpoint($input: CreateWebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) {
      secret
      endpoint {
        id
        url
        description
        events
        enabled
        disabledReason
        createdAt
      }
    }
  }
`);

/** Creates an endpoint; its signing secret is in this answer only. The list (and the home checklist) are fetched again. */
export function useCreateWebhookEndpoint() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateWebhookEndpointInput) => executeGraphQL(WebhooksCreateEndpointMutation, { input }),
    // Not awaited: the caller's onSuccess runs at once (the secret shows) while the list refreshes.
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: WEBHOOKS_QUERY_KEY });
      void queryClient.invalidateQueries({ queryKey: ["setup-progress"] });
    },
  });
}
