import type pg from "pg";
import type { MessageStatus } from "../../generated/prisma/enums.ts";

export type SendOutcomeRow = {
  id: string;
  status: MessageStatus;
  provider_message_id: string | null;
  error: string | null;
  retry_in_ms: number;
  detail: string | null;
};

const MAX_BATCH = 64;

type Waiter = { resolve(): void; reject(error: unknown): void };
type TenantQueue = { rows: SendOutcomeRow[]; waiters: Waiter[]; flushing: boolean };

/**
 * Records provider answers with group commit: per tenant, one statement (one commit) via
 * app_record_send_outcomes is in flight at a time, and the outcomes that arrive meanwhile go
 * together in the next one. An idle dispatcher records an answer at once; a busy one in batches
 * that grow with the load (measured: 2.9 outcomes per statement with per-turn batching, which
 * made PostgreSQL's per-statement cost the dispatcher's limit). Each caller's promise settles
 * when its own outcome is committed, so a dispatcher slot is only freed once its message is recorded.
 */
export function createOutcomeRecorder(pool: pg.Pool) {
  const queues = new Map<string, TenantQueue>();

  async function drain(tenantId: string, queue: TenantQueue) {
    queue.flushing = true;
    while (queue.rows.length > 0) {
      const rows = queue.rows.splice(0, MAX_BATCH);
      const waiters = queue.waiters.splice(0, rows.length);
      try {
        await pool.query("SELECT app_record_send_outcomes($1, $2::jsonb)", [tenantId, JSON.stringify(rows)]);
        for (const waiter of waiters) waiter.resolve();
      } catch (error) {
        for (const waiter of waiters) waiter.reject(error);
      }
    }
    queue.flushing = false;
    queues.delete(tenantId);
  }

  return {
    record(tenantId: string, row: SendOutcomeRow): Promise<void> {
      return new Promise((resolve, reject) => {
        let queue = queues.get(tenantId);
        if (!queue) queues.set(tenantId, (queue = { rows: [], waiters: [], flushing: false }));
        queue.rows.push(row);
        queue.waiters.push({ resolve, reject });
        // Outcomes arriving in the same turn of the event loop share the first commit too.
        if (!queue.flushing) {
          queue.flushing = true;
          setImmediate(() => void drain(tenantId, queue));
        }
      });
    },
  };
}
