import { useMutation, useQueryClient } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";
import { selectTenant } from "../../../lib/tenant-selection.ts";

export const LogOutMutation = graphql(`
  mutation LogOut {
    logOut
  }
`);

/** Ends the session on the server, then forgets everything cached and the chosen tenant. */
export function useLogOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => executeGraphQL(LogOutMutation),
    // Already logged out (the session had ended) is as good as logged out.
    meta: { handlesUnauthenticated: true },
    onSettled: () => {
      selectTenant(null);
      queryClient.removeQueries();
    },
  });
}
