import { useMutation } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import type { SendMessageInput } from "../../../graphql/graphql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";

export const SendTestMessageMutation = graphql(`
  mutation SendTestMessage($input: SendMessageInput!) {
    sendMessage(input: $input) {
      id
      to
      status
    }
  }
`);

/**
 * Queues the message. The caller passes the same `idempotencyKey` for the same attempt, so a double
 * click (or a retry after a lost answer) returns the first message instead of sending a second.
 */
export const useSendTestMessage = () => useMutation({ mutationFn: (input: SendMessageInput) => executeGraphQL(SendTestMessageMutation, { input }) });
