import { queryOptions, useQuery } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";

export const SupportOpenMessageQuery = graphql(`
  query SupportOpenMessage($sessionId: ID!, $messageId: ID!) {
    supportMessage(sessionId: $sessionId, messageId: $messageId) {
      id
      text
      tenant {
        id
        companyName
      }
      direction
      status
      contact
      from
      to
      providerMessageId
      error
      attempts
      createdAt
      statusChangedAt
      history {
        status
        detail
        at
      }
      webhookDeliveries {
        id
        eventType
        status
        attempts
        createdAt
        lastResponseStatus
      }
    }
  }
`);

/** Opening a message is recorded in its tenant's access log: asked for only when staff open it, once. */
export const supportMessageQueryOptions = (sessionId: string, messageId: string) =>
  queryOptions({
    queryKey: ["support-message", sessionId, messageId],
    queryFn: () => executeGraphQL(SupportOpenMessageQuery, { sessionId, messageId }),
    staleTime: Infinity,
    retry: false,
  });

export const useSupportMessage = (sessionId: string, messageId: string) => useQuery(supportMessageQueryOptions(sessionId, messageId));
