import type pg from "pg";
import type { TenantPermission } from "../auth/permissions.ts";

/** An id the look-up found, with what its type needs to load it (a conversation's contact number). */
export type FoundNode = { id: string; key: string | null };

/**
 * How `node(id:)` finds and loads one type of object. Each module that owns a type with an id
 * exports one; `modules/nodes` asks them all in one tenant-scoped query (see nodes.service.ts).
 */
export type NodeSource = {
  /** The GraphQL object type the ids resolve to. */
  typename: string;
  /** What the caller needs to see it: the permission of the type's own list query. */
  permission: TenantPermission;
  /**
   * SQL selecting `id` (uuid) and `key` (text, or NULL) for those of `ids` (a uuid[] placeholder)
   * that are this type's in tenant `tenant` (a uuid placeholder). It filters by the tenant itself,
   * besides the row-level security of the transaction it runs in.
   */
  find(tenant: string, ids: string): string;
  /** Which ids can be this type's at all, when the id tells (conversation ids are name-based UUIDs). */
  candidate?(id: string): boolean;
  /** The objects, as the type's other fields return them, for the ids found. */
  load(client: pg.PoolClient, tenantId: string, found: FoundNode[]): Promise<Map<string, object>>;
};

/** `find` for a table keyed by (tenant, id), on its primary key or unique index. */
export const findById =
  (table: string, { id = "id", tenant = "tenant_id" } = {}) =>
  (tenantParam: string, idsParam: string) =>
    `SELECT ${id} AS id, NULL::text AS key FROM ${table} WHERE ${tenant} = ${tenantParam} AND ${id} = ANY (${idsParam})`;

/** The rows by id, for `load`. */
export const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((row) => [row.id, row]));
