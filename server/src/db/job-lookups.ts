import type pg from "pg";
import type { JobDirectory } from "../jobs/engine.ts";

/**
 * The work engine's narrow paths past RLS: SECURITY DEFINER functions owned by the NOLOGIN role
 * `switchboard_dispatch` (migration 20261130010000). They return ids only; the work on each
 * tenant's rows runs under that tenant's RLS scope.
 */
export function createJobLookups(pool: pg.Pool): JobDirectory {
  return {
    async dueKeys(limit, horizonMs) {
      const { rows } = await pool.query<{ queue: string; tenant_id: string; pace_key: string; due_in_ms: number }>(
        "SELECT queue, tenant_id, pace_key, due_in_ms FROM jobs_due_keys($1, $2)",
        [limit, horizonMs],
      );
      return rows.map((row) => ({ queue: row.queue, tenantId: row.tenant_id, paceKey: row.pace_key, dueInMs: row.due_in_ms }));
    },
    async expiredLeases(limit) {
      const { rows } = await pool.query<{ queue: string; tenant_id: string; id: string }>("SELECT queue, tenant_id, id FROM jobs_expired_leases($1)", [limit]);
      return rows.map((row) => ({ queue: row.queue, tenantId: row.tenant_id, id: row.id }));
    },
  };
}
