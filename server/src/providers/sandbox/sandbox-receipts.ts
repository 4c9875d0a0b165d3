import type { Database } from "../../db/database.ts";
import type { Logger } from "../../logger.ts";
import { recordReceipt } from "../../modules/messages/message-status.ts";

export const SANDBOX_DELIVERED_AFTER_MS = 1_000;
export const SANDBOX_READ_AFTER_MS = 3_000;

/** What a real phone would do a moment after a sandbox send: deliver, then read. */
export function createSandboxReceipts({ db, logger }: { db: Database; logger: Logger }) {
  const timers = new Set<NodeJS.Timeout>();
  function later(ms: number, work: () => Promise<unknown>) {
    const timer = setTimeout(() => {
      timers.delete(timer);
      work().catch((error) => logger.warn({ err: error }, "sandbox receipt not recorded"));
    }, ms);
    timer.unref();
    timers.add(timer);
  }
  return {
    messageSent(tenantId: string, messageId: string) {
      later(SANDBOX_DELIVERED_AFTER_MS, () => recordReceipt(db, tenantId, messageId, "DELIVERED"));
      later(SANDBOX_READ_AFTER_MS, () => recordReceipt(db, tenantId, messageId, "READ"));
    },
    stop() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
