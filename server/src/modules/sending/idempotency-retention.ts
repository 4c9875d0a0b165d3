import type { Database } from "../../db/database.ts";
import type { PeriodicTask } from "../../jobs/periodic.ts";

const BATCH = 1_000;

/**
 * Forgets idempotency keys older than `retentionHours` (at least 24, as the API promises): their
 * messages stay, but the same key then sends a new message. Through the SECURITY DEFINER function
 * `messages_forget_idempotency_keys` (migration 20261201020000), which may only clear keys older
 * than 24 hours. Clearing an indexed column is not a HOT update: once per keyed message, in batches.
 */
export function idempotencyKeyRetention(db: Database, retentionHours: number): PeriodicTask {
  return {
    name: "idempotency-keys",
    batchSize: BATCH,
    done: `idempotency keys older than ${retentionHours} hours forgotten`,
    async batch() {
      const { rows } = await db.backgroundPool.query<{ cleared: number }>("SELECT messages_forget_idempotency_keys($1, $2) AS cleared", [
        retentionHours,
        BATCH,
      ]);
      return rows[0]?.cleared ?? 0;
    },
  };
}
