import { useMutation } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";

export const SupportEndSessionMutation = graphql(`
  mutation SupportEndSession($sessionId: ID!) {
    endSupportSession(sessionId: $sessionId)
  }
`);

export const useEndSupportSession = () => useMutation({ mutationFn: (sessionId: string) => executeGraphQL(SupportEndSessionMutation, { sessionId }) });
