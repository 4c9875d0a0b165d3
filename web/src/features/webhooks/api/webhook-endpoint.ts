import { queryOptions, useQuery } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";
import { WEBHOOKS_QUERY_KEY } from "./webhook-endpoints.ts";

export const WebhooksEndpointQuery = graphql(`
  query WebhooksEndpoint($id: ID!) {
    webhookEndpoint(id: $id) {
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

export const webhookEndpointQueryKey = (id: string) => [...WEBHOOKS_QUERY_KEY, "endpoint", id] as const;

export const webhookEndpointQueryOptions = (id: string) =>
  queryOptions({ queryKey: webhookEndpointQueryKey(id), queryFn: () => executeGraphQL(WebhooksEndpointQuery, { id }) });

/** Null data: the tenant has no such endpoint (deleted, or never its own). */
export const useWebhookEndpoint = (id: string, enabled: boolean) => useQuery({ ...webhookEndpointQueryOptions(id), enabled });
