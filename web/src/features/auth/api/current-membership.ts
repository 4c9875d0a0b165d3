import { useSelectedTenantId } from "../../../lib/tenant-selection.ts";
import { useMe } from "./me.ts";

/**
 * The tenant this browser acts for and the person's role in it: the one chosen, else their first
 * (the server's default for requests without X-Tenant-Id, in the same order as `me.memberships`).
 */
export function useCurrentMembership() {
  const me = useMe();
  const memberships = me.data?.me.memberships ?? [];
  const chosen = useSelectedTenantId();
  const current = memberships.find((membership) => membership.tenant.id === chosen) ?? memberships[0];
  return { me, memberships, current };
}
