import type { Database } from "../../db/database.ts";
import { notFound } from "../../errors.ts";
import type { TenantPrincipal } from "../../graphql/context.ts";

export function getTenant(db: Database, actor: TenantPrincipal) {
  return db.withTenant(actor.tenantId, async (tx) => {
    const tenant = await tx.tenant.findUnique({ where: { id: actor.tenantId } });
    if (!tenant) throw notFound("The tenant");
    return tenant;
  });
}
