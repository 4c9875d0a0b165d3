import type pg from "pg";

/**
 * The dispatcher's narrow paths past RLS: SECURITY DEFINER functions from the `messaging`
 * migration. They return ids only; the work on each tenant's messages runs under its RLS scope.
 */
export type DispatchLookups = ReturnType<typeof createDispatchLookups>;

export function createDispatchLookups(pool: pg.Pool) {
  return {
    /** Connections that have outbound messages due now. */
    async dueConnections(limit: number): Promise<{ tenantId: string; connectionId: string }[]> {
      const { rows } = await pool.query("SELECT tenant_id, connection_id FROM dispatch_due_connections($1)", [limit]);
      return rows.map((row) => ({ tenantId: row.tenant_id, connectionId: row.connection_id }));
    },
    /** Marks sends whose dispatcher died (lease expired) as UNKNOWN; returns how many. */
    async expireLeases(): Promise<number> {
      const { rowCount } = await pool.query("SELECT * FROM dispatch_expire_leases()");
      return rowCount ?? 0;
    },
  };
}
