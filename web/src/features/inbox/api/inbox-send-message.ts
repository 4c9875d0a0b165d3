import { useMutation, useQueryClient } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";
import { applyMessage } from "./inbox-cache.ts";

export const InboxSendMessageMutation = graphql(`
  mutation InboxSendMessage($input: SendMessageInput!) {
    sendMessage(input: $input) {
      id
      direction
      to
      text
      status
      error
      createdAt
      statusChangedAt
    }
  }
`);

/** A reply; its idempotency key comes from the composer, so a retry of the same text never sends twice. */
export function useInboxSendMessage() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { to: string; text: string; idempotencyKey: string }) => executeGraphQL(InboxSendMessageMutation, { input }),
    // The sent message shows at once, from the answer; its status then changes live.
    onSuccess: ({ sendMessage }) => applyMessage(queryClient, sendMessage.to, sendMessage, { open: true }),
  });
}
