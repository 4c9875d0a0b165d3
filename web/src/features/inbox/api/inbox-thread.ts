import { infiniteQueryOptions, useInfiniteQuery } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import type { InboxThreadQuery as InboxThreadResult } from "../../../graphql/graphql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";
import { INBOX_KEY } from "./inbox-conversations.ts";

export const InboxThreadQuery = graphql(`
  query InboxThread($contact: String!, $first: Int, $after: String) {
    messages(filter: { contact: $contact }, first: $first, after: $after) {
      edges {
        node {
          id
          direction
          text
          status
          error
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

export type InboxThreadPage = InboxThreadResult["messages"];
export type InboxMessage = InboxThreadPage["edges"][number]["node"];

export const threadKey = (contact: string) => [...INBOX_KEY, "thread", contact] as const;

const PAGE_SIZE = 30;

/** A conversation's messages, newest page first (the log's order); each next page is older. */
export const inboxThreadQueryOptions = (contact: string) =>
  infiniteQueryOptions({
    queryKey: threadKey(contact),
    queryFn: async ({ pageParam }) => (await executeGraphQL(InboxThreadQuery, { contact, first: PAGE_SIZE, after: pageParam })).messages,
    initialPageParam: null as string | null,
    getNextPageParam: (page) => (page.pageInfo.hasNextPage ? page.pageInfo.endCursor : undefined),
  });

export const useInboxThread = (contact: string) => useInfiniteQuery(inboxThreadQueryOptions(contact));
