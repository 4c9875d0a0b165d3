import { useMutation } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import type { LogInInput } from "../../../graphql/graphql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";
import { useStartSession } from "./start-session.ts";

export const LogInMutation = graphql(`
  mutation LogIn($input: LogInInput!) {
    logIn(input: $input) {
      expiresAt
    }
  }
`);

/** Logs in; the server sets the httpOnly session cookie, so the token in the answer is not kept. */
export function useLogIn() {
  const startSession = useStartSession();
  return useMutation({
    mutationFn: (input: LogInInput) => executeGraphQL(LogInMutation, { input }),
    onSuccess: startSession,
    // A wrong password is UNAUTHENTICATED too: it is this form's answer, not a session that ended.
    meta: { handlesUnauthenticated: true },
  });
}
