import type pg from "pg";
import { announceAfterCommit } from "../../jobs/wake-ups.ts";

/** The channel on which every process says which tenants' messages changed (ids only, never message data). */
export const MESSAGE_CHANGES_CHANNEL = "switchboard_message_changes";

const announcers = new WeakMap<pg.Pool, (tenantId: string) => void>();

/**
 * Tells the live feeds of every process (modules/live/live-feed.ts) that messages of this tenant were
 * written or changed status. Call it after the change committed: the tenants named in 20 ms go in one
 * NOTIFY on this pool (one gatherer per pool, so the engine's thread gathers on its own pool). Never
 * inside the accept transaction: a NOTIFY there lines up concurrent commits (it halved the send path).
 */
export function messagesChanged(pool: pg.Pool, tenantId: string): void {
  let announce = announcers.get(pool);
  if (!announce) {
    // A lost announcement only delays the dashboards: their feeds poll too.
    announce = announceAfterCommit(pool, MESSAGE_CHANGES_CHANNEL, () => undefined);
    announcers.set(pool, announce);
  }
  announce(tenantId);
}
