import { useQueryClient } from "@tanstack/react-query";
import { selectTenant } from "../../../lib/tenant-selection.ts";

/**
 * After logging in or signing up: nothing cached belongs to the new session (it may be another
 * person's browser session before), and its default tenant applies until they pick another.
 */
export function useStartSession() {
  const queryClient = useQueryClient();
  return () => {
    selectTenant(null);
    queryClient.removeQueries();
  };
}
