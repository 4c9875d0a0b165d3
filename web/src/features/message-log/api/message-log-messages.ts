import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import type { MessageLogMessagesQueryVariables } from "../../../graphql/graphql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";

export const MessageLogMessagesQuery = graphql(`
  query MessageLogMessages($filter: MessageFilter, $first: Int, $after: String, $last: Int, $before: String) {
    messages(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      edges {
        node {
          id
          createdAt
          direction
          status
          from
          to
          text
          error
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
    }
  }
`);

export const messageLogMessagesQueryOptions = (variables: MessageLogMessagesQueryVariables) =>
  queryOptions({ queryKey: ["message-log", "messages", variables], queryFn: () => executeGraphQL(MessageLogMessagesQuery, variables) });

/** A page of the log; the previous page stays on screen (dimmed) while the next one loads. */
export const useMessageLogMessages = (variables: MessageLogMessagesQueryVariables) =>
  useQuery({ ...messageLogMessagesQueryOptions(variables), placeholderData: keepPreviousData });
