import { useQueryClient } from "@tanstack/react-query";
import { flushSync } from "react-dom";
import { selectTenant } from "../../../lib/tenant-selection.ts";
import { ME_QUERY_KEY } from "./me.ts";

/**
 * Acts for another of the person's tenants from the next request on. Every cached answer except `me`
 * (the same in every tenant) belonged to the previous tenant: inactive ones are dropped, the ones on
 * screen are emptied and fetched again, so nothing of one tenant is ever shown under another's name.
 */
export function useSwitchTenant() {
  const queryClient = useQueryClient();
  return async (tenantId: string) => {
    // Components that depend on the tenant (its role decides which queries run) re-render with it
    // before anything is fetched again, so no query runs with the previous tenant's options.
    flushSync(() => selectTenant(tenantId));
    const tenantData = { predicate: (query: { queryKey: readonly unknown[] }) => query.queryKey[0] !== ME_QUERY_KEY[0] };
    queryClient.removeQueries({ ...tenantData, type: "inactive" });
    await queryClient.resetQueries(tenantData);
  };
}
