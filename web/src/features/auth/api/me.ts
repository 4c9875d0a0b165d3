import { queryOptions, useQuery } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";

export const MeQuery = graphql(`
  query Me {
    me {
      id
      email
      platformRole
      memberships {
        role
        tenant {
          id
          companyName
          suspension {
            reason
            since
          }
        }
      }
    }
  }
`);

export const ME_QUERY_KEY = ["me"] as const;

/**
 * Who is logged in and the tenants they belong to. The route guard loads it before any
 * authenticated page; a failure with UNAUTHENTICATED means nobody is (any longer).
 */
export const meQueryOptions = () => queryOptions({ queryKey: ME_QUERY_KEY, queryFn: () => executeGraphQL(MeQuery), staleTime: 5 * 60_000, retry: false });

export const useMe = () => useQuery(meQueryOptions());
