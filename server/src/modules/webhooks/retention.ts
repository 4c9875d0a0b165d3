import type { Database } from "../../db/database.ts";
import type { Logger } from "../../logger.ts";

/** How long a webhook event keeps its payload (the message it carried). */
export const WEBHOOK_RETENTION_DAYS = 30;
const BATCH = 1_000;
const EVERY_MS = 3_600_000;

/**
 * Clears the payloads of webhook events past retention, in batches, at start and every hour, through
 * the SECURITY DEFINER look-up `webhooks_drop_expired_payloads` (migration 20261130040000; it may only
 * clear payloads). The deliveries and their attempts stay; the body can no longer be sent again.
 */
export function startWebhookRetention({ db, logger }: { db: Database; logger: Logger }) {
  let running: Promise<number> | undefined;

  async function dropExpired(): Promise<number> {
    let total = 0;
    for (;;) {
      const { rows } = await db.backgroundPool.query<{ cleared: number }>("SELECT webhooks_drop_expired_payloads($1, $2) AS cleared", [
        WEBHOOK_RETENTION_DAYS,
        BATCH,
      ]);
      const cleared = rows[0]?.cleared ?? 0;
      total += cleared;
      if (cleared < BATCH) return total;
    }
  }

  function run(): Promise<number> {
    running ??= dropExpired()
      .then((cleared) => {
        if (cleared > 0) logger.info({ cleared }, `webhook payloads older than ${WEBHOOK_RETENTION_DAYS} days cleared`);
        return cleared;
      })
      .catch((error: unknown) => {
        logger.warn({ err: error }, "webhook retention did not run; it tries again within the hour");
        return 0;
      })
      .finally(() => (running = undefined));
    return running;
  }

  const timer = setInterval(() => void run(), EVERY_MS);
  timer.unref();
  void run();
  return {
    /** Runs now (as the timer does); resolves with how many payloads were cleared. */
    run,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
