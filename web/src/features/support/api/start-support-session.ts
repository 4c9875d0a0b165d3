import { useMutation } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";

export const SupportStartSessionMutation = graphql(`
  mutation SupportStartSession($reason: String!) {
    startSupportSession(reason: $reason) {
      id
      reason
      startedAt
      expiresAt
    }
  }
`);

/** Starts a support session: the reason is recorded with every read and shown to the tenants read. */
export const useStartSupportSession = () => useMutation({ mutationFn: (reason: string) => executeGraphQL(SupportStartSessionMutation, { reason }) });
