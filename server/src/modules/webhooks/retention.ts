import type { Database } from "../../db/database.ts";
import type { PeriodicTask } from "../../jobs/periodic.ts";

/** How long a webhook event keeps its payload (the message it carried). */
export const WEBHOOK_RETENTION_DAYS = 30;
const BATCH = 1_000;

/**
 * Clears the payloads of webhook events past retention, through the SECURITY DEFINER look-up
 * `webhooks_drop_expired_payloads` (migration 20261130040000; it may only clear payloads). The
 * deliveries and their attempts stay; the body can no longer be sent again.
 */
export function webhookPayloadRetention(db: Database): PeriodicTask {
  return {
    name: "webhook-payloads",
    batchSize: BATCH,
    done: `webhook payloads older than ${WEBHOOK_RETENTION_DAYS} days cleared`,
    async batch() {
      const { rows } = await db.backgroundPool.query<{ cleared: number }>("SELECT webhooks_drop_expired_payloads($1, $2) AS cleared", [
        WEBHOOK_RETENTION_DAYS,
        BATCH,
      ]);
      return rows[0]?.cleared ?? 0;
    },
  };
}
