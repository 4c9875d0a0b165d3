import { queryOptions, useQuery } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import type { MessageStatus } from "../../../graphql/graphql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";
import { ONBOARDING_QUERY_KEY } from "./get-onboarding-status.ts";

export const MessageStatusQuery = graphql(`
  query MessageStatus($id: ID!) {
    message(id: $id) {
      id
      to
      status
      error
      statusChangedAt
    }
  }
`);

/** Statuses after which nothing changes any more for the test (READ may still follow DELIVERED, but the path is proven). */
export const FINAL_STATUSES: readonly MessageStatus[] = ["DELIVERED", "READ", "FAILED", "UNKNOWN"];

export const messageStatusQueryOptions = (id: string) =>
  queryOptions({
    queryKey: [...ONBOARDING_QUERY_KEY, "message", id],
    queryFn: () => executeGraphQL(MessageStatusQuery, { id }),
    // Asked every second until it is delivered, read or failed.
    refetchInterval: (query) => {
      const status = query.state.data?.message?.status;
      return status && FINAL_STATUSES.includes(status) ? false : 1000;
    },
    staleTime: 0,
  });

export const useMessageStatus = (id: string) => useQuery(messageStatusQueryOptions(id));
