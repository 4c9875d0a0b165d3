import { queryOptions, useQuery } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";

export const ApiKeysQuery = graphql(`
  query ApiKeys {
    apiKeys {
      id
      name
      prefix
      scopes
      createdAt
      lastUsedAt
      revokedAt
    }
  }
`);

export const apiKeysQueryOptions = () => queryOptions({ queryKey: ["api-keys"], queryFn: () => executeGraphQL(ApiKeysQuery) });

/** Owners and admins only: a member's request would be refused, so it is not made for them. */
export const useApiKeys = (enabled: boolean) => useQuery({ ...apiKeysQueryOptions(), enabled });
