import { infiniteQueryOptions, useInfiniteQuery } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import type { InboxConversationsQuery as InboxConversationsResult } from "../../../graphql/graphql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";

export const InboxConversationsQuery = graphql(`
  query InboxConversations($search: String, $first: Int, $after: String) {
    conversations(search: $search, first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          contact
          unreadCount
          lastMessageAt
          lastMessage {
            id
            direction
            text
            status
            createdAt
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

export type InboxConversationPage = InboxConversationsResult["conversations"];
export type InboxConversation = InboxConversationPage["edges"][number]["node"];

export const INBOX_KEY = ["inbox"] as const;
export const conversationsKey = (search: string) => [...INBOX_KEY, "conversations", search] as const;

const PAGE_SIZE = 30;

/** The conversation list, latest first, page by page with the connection's cursors; `search` "" for all. */
export const inboxConversationsQueryOptions = (search: string) =>
  infiniteQueryOptions({
    queryKey: conversationsKey(search),
    queryFn: async ({ pageParam }) =>
      (await executeGraphQL(InboxConversationsQuery, { search: search || null, first: PAGE_SIZE, after: pageParam })).conversations,
    initialPageParam: null as string | null,
    getNextPageParam: (page) => (page.pageInfo.hasNextPage ? page.pageInfo.endCursor : undefined),
  });

export const useInboxConversations = (search: string) => useInfiniteQuery(inboxConversationsQueryOptions(search));
