import { useMutation, useQueryClient } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";
import { setUnread } from "./inbox-cache.ts";

export const InboxMarkConversationReadMutation = graphql(`
  mutation InboxMarkConversationRead($contact: String!) {
    markConversationRead(contact: $contact) {
      id
      contact
      unreadCount
    }
  }
`);

/** Marks a conversation read for the whole team; its badge clears in every cached list. */
export function useInboxMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (contact: string) => executeGraphQL(InboxMarkConversationReadMutation, { contact }),
    onMutate: (contact) => setUnread(queryClient, contact, 0),
    onSuccess: ({ markConversationRead }) => setUnread(queryClient, markConversationRead.contact, markConversationRead.unreadCount),
  });
}
