import { useMutation, useQueryClient } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import type { UpdateWebhookEndpointInput } from "../../../graphql/graphql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";
import { webhookEndpointQueryKey } from "./webhook-endpoint.ts";
import { WEBHOOKS_QUERY_KEY } from "./webhook-endpoints.ts";

export const WebhooksUpdateEndpointMutation = graphql(`
  mutation WebhooksUpdateEndpoint($id: ID!, $input: UpdateWebhookEndpointInput!) {
    updateWebhookEndpoint(id: $id, input: $input) {
      id
      url
      description
      events
      enabled
      disabledReason
      createdAt
    }
  }
`);

/** Changes the fields given (settings, or enabled); the endpoint is shown as answered, the rest fetched again. */
export function useUpdateWebhookEndpoint(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateWebhookEndpointInput) => executeGraphQL(WebhooksUpdateEndpointMutation, { id, input }),
    onSuccess: ({ updateWebhookEndpoint }) => {
      queryClient.setQueryData(webhookEndpointQueryKey(id), { webhookEndpoint: updateWebhookEndpoint });
      // Enabling sends what waited: the log changes too.
      void queryClient.invalidateQueries({ queryKey: WEBHOOKS_QUERY_KEY });
    },
  });
}
