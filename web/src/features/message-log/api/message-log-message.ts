import { queryOptions, useQuery } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";

// The detail drawer's message: its history and the provider's raw callbacks, asked for only here.
export const MessageLogMessageQuery = graphql(`
  query MessageLogMessage($id: ID!) {
    message(id: $id) {
      id
      createdAt
      statusChangedAt
      direction
      status
      from
      to
      text
      error
      attempts
      providerMessageId
      idempotencyKey
      history {
        status
        detail
        at
      }
      providerEvents {
        type
        receivedAt
        payload
      }
    }
  }
`);

export const messageLogMessageQueryOptions = (id: string) =>
  queryOptions({ queryKey: ["message-log", "message", id], queryFn: () => executeGraphQL(MessageLogMessageQuery, { id }) });

export const useMessageLogMessage = (id: string) => useQuery(messageLogMessageQueryOptions(id));
