import { infiniteQueryOptions, useInfiniteQuery } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";

export const SettingsSupportAccessLogQuery = graphql(`
  query SettingsSupportAccessLog($first: Int, $after: String) {
    supportAccessLog(first: $first, after: $after) {
      edges {
        node {
          id
          createdAt
          staffEmail
          reason
          action
          messageId
          query {
            contact
            providerMessageId
            messageId
            text
            statuses
            direction
            createdAfter
            createdBefore
            tenantNamed
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const PAGE = 20;

/** Support's reads of this company's data, newest first, a page at a time (owners and admins). */
export const supportAccessLogQueryOptions = () =>
  infiniteQueryOptions({
    queryKey: ["support-access-log"],
    queryFn: ({ pageParam }) => executeGraphQL(SettingsSupportAccessLogQuery, { first: PAGE, after: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.supportAccessLog.pageInfo.hasNextPage ? last.supportAccessLog.pageInfo.endCursor : undefined),
  });

export const useSupportAccessLog = ({ enabled }: { enabled: boolean }) => useInfiniteQuery({ ...supportAccessLogQueryOptions(), enabled });
