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

/**
 * Collects the outcomes that arrive in the same moment and records each tenant's in one statement
 * (one commit) via app_record_send_outcomes. Each caller's promise settles when its own outcome
 * is committed, so a dispatcher slot is only freed once its message is recorded.
 */
export function createOutcomeRecorder(pool: pg.Pool) {
  const pending = new Map<string, { rows: SendOutcomeRow[]; waiters: { resolve(): void; reject(error: unknown): void }[] }>();
  let scheduled = false;

  async function flush(tenantId: string, batch: NonNullable<ReturnType<typeof pending.get>>) {
    try {
      await pool.query("SELECT app_record_send_outcomes($1, $2::jsonb)", [tenantId, JSON.stringify(batch.rows)]);
      for (const waiter of batch.waiters) waiter.resolve();
    } catch (error) {
      for (const waiter of batch.waiters) waiter.reject(error);
    }
  }

  function flushAll() {
    scheduled = false;
    const batches = [...pending];
    pending.clear();
    for (const [tenantId, batch] of batches) void flush(tenantId, batch);
  }

  return {
    record(tenantId: string, row: SendOutcomeRow): Promise<void> {
      return new Promise((resolve, reject) => {
        let batch = pending.get(tenantId);
        if (!batch) pending.set(tenantId, (batch = { rows: [], waiters: [] }));
        batch.rows.push(row);
        batch.waiters.push({ resolve, reject });
        if (batch.rows.length >= MAX_BATCH) {
          pending.delete(tenantId);
          void flush(tenantId, batch);
        } else if (!scheduled) {
          // Outcomes arriving in the same turn of the event loop share a commit.
          scheduled = true;
          setImmediate(flushAll);
        }
      });
    },
  };
}
