import { queryOptions, useQuery } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";

export const WebhooksEndpointsQuery = graphql(`
  query WebhooksEndpoints {
    webhookEndpoints {
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

/** Every query of this feature starts with it, so a change can refresh them all at once. */
export const WEBHOOKS_QUERY_KEY = ["webhooks"] as const;

export const webhookEndpointsQueryOptions = () =>
  queryOptions({ queryKey: [...WEBHOOKS_QUERY_KEY, "endpoints"], queryFn: () => executeGraphQL(WebhooksEndpointsQuery) });

/** Owners and admins only: a member's request would be refused, so it is not made for them. */
export const useWebhookEndpoints = (enabled: boolean) => useQuery({ ...webhookEndpointsQueryOptions(), enabled });
