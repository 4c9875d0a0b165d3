import type { Database } from "../../db/database.ts";
import { notFound } from "../../errors.ts";
import type { Plan } from "../../generated/prisma/enums.ts";
import { Permission } from "../auth/permissions.ts";
import type { TenantPrincipal } from "../auth/principal.ts";
import { byId, findById, type NodeSource } from "../relay/node-source.ts";

type TenantRow = {
  id: string;
  company_name: string;
  slug: string;
  plan: Plan;
  active: boolean;
  suspension_reason: string | null;
  suspended_at: Date | null;
  created_at: Date;
};
const TENANT_COLUMNS = "id, company_name, slug, plan, active, suspension_reason, suspended_at, created_at";

const toTenant = (row: TenantRow) => ({
  id: row.id,
  companyName: row.company_name,
  slug: row.slug,
  plan: row.plan,
  active: row.active,
  suspensionReason: row.suspension_reason,
  suspendedAt: row.suspended_at,
  createdAt: row.created_at,
});

/** On the raw-SQL path: every API-key request that asks for its tenant comes here (measured: Prisma's transaction wrapper cost 2-3x on it). */
export async function getTenant(db: Database, actor: TenantPrincipal) {
  const row = await db.withTenantSql(actor.tenantId, async (client) => {
    const { rows } = await client.query<TenantRow>(`SELECT ${TENANT_COLUMNS} FROM tenants WHERE id = $1`, [actor.tenantId]);
    return rows[0];
  });
  if (!row) throw notFound("The tenant");
  return toTenant(row);
}

/** `node(id:)` for tenants: only the one the request acts for. */
export const tenantNodes: NodeSource = {
  typename: "Tenant",
  permission: Permission.TENANT_READ,
  find: findById("tenants", { tenant: "id" }),
  async load(client, tenantId) {
    const { rows } = await client.query<TenantRow>(`SELECT ${TENANT_COLUMNS} FROM tenants WHERE id = $1`, [tenantId]);
    return byId(rows.map(toTenant));
  },
};

/** Why a tenant is suspended, from its row (null while it is active). */
export function suspensionOf(tenant: { active: boolean; suspensionReason?: string | null; suspendedAt?: Date | null; createdAt: Date }) {
  if (tenant.active) return null;
  return { reason: tenant.suspensionReason ?? "Suspended by Switchboard.", since: tenant.suspendedAt ?? tenant.createdAt };
}
