import { useMutation } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import type { SignUpInput } from "../../../graphql/graphql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";
import { useStartSession } from "./start-session.ts";

export const SignUpMutation = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      expiresAt
    }
  }
`);

/** Creates the account and its company (tenant), and logs in (session cookie). */
export function useSignUp() {
  const startSession = useStartSession();
  return useMutation({
    mutationFn: (input: SignUpInput) => executeGraphQL(SignUpMutation, { input }),
    onSuccess: startSession,
    meta: { handlesUnauthenticated: true },
  });
}
