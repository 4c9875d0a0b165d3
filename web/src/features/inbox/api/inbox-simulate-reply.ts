import { useMutation, useQueryClient } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";
import { INBOX_KEY } from "./inbox-conversations.ts";

export const InboxSimulateReplyMutation = graphql(`
  mutation InboxSimulateReply($from: String!, $text: String!) {
    simulateInboundMessage(from: $from, text: $text) {
      id
    }
  }
`);

/** Sandbox numbers only: pretend a contact wrote, to see the inbox work before real customers do. */
export function useInboxSimulateReply() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (variables: { from: string; text: string }) => executeGraphQL(InboxSimulateReplyMutation, variables),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: INBOX_KEY }),
  });
}
