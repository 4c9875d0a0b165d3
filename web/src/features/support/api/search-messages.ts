import { infiniteQueryOptions, useInfiniteQuery } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import type { SupportMessageFilter } from "../../../graphql/graphql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";

export const SupportSearchMessagesQuery = graphql(`
  query SupportSearchMessages($sessionId: ID!, $filter: SupportMessageFilter!, $first: Int, $after: String) {
    supportSearchMessages(sessionId: $sessionId, filter: $filter, first: $first, after: $after) {
      edges {
        node {
          id
          tenant {
            id
            companyName
          }
          direction
          status
          contact
          attempts
          createdAt
          statusChangedAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const PAGE = 25;

/**
 * One search, a page at a time. Every page is recorded in the access log of the tenants it shows, so it
 * is fetched once and kept (never refetched in the background).
 */
export const supportSearchQueryOptions = (sessionId: string, filter: SupportMessageFilter) =>
  infiniteQueryOptions({
    queryKey: ["support-search", sessionId, filter],
    queryFn: ({ pageParam }) => executeGraphQL(SupportSearchMessagesQuery, { sessionId, filter, first: PAGE, after: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.supportSearchMessages.pageInfo.hasNextPage ? last.supportSearchMessages.pageInfo.endCursor : undefined),
    staleTime: Infinity,
    retry: false,
  });

export const useSupportSearch = (sessionId: string, filter: SupportMessageFilter | null) =>
  useInfiniteQuery({ ...supportSearchQueryOptions(sessionId, filter ?? {}), enabled: filter !== null });
