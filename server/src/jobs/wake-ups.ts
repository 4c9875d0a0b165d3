import type pg from "pg";
import type { Database } from "../db/database.ts";
import type { Logger } from "../logger.ts";
import { jobKeyId, type JobKey } from "./engine.ts";

/** The channel on which processes that accept work tell the processes that do it. */
export const JOBS_CHANNEL = "switchboard_jobs";

/** How long the keys woken in a process are gathered before one NOTIFY carries them all. */
const GATHER_MS = 20;

/**
 * Wake-ups for work engines in other processes (an API process with DISPATCH_ENABLED=false, beside
 * a dispatching one): the keys that got new work are gathered for a moment and announced in one
 * NOTIFY, after the work was committed and outside its transaction (a NOTIFY per message inside
 * the accept transaction halved the send path when measured). Losing one costs only latency: the
 * engines also poll.
 */
export function createRemoteWakeUps(pool: pg.Pool, logger: Logger) {
  return gatherKeys(
    (flush) => setTimeout(flush, GATHER_MS).unref(),
    (keys) =>
      void pool.query("SELECT pg_notify($1, $2)", [JOBS_CHANNEL, JSON.stringify(keys)]).catch((error: unknown) => {
        logger.warn({ err: error }, "could not announce new work to other processes; they find it at their next poll");
      }),
  );
}

/**
 * Gathers the keys woken until `later` calls back, each once, and hands them to `send` together:
 * one message (to the engine's thread, or one NOTIFY) for many wake-ups.
 */
export function gatherKeys(later: (flush: () => void) => void, send: (keys: JobKey[]) => void) {
  return gatherDistinct(jobKeyId, later, send);
}

/** `gatherKeys` for any kind of item, told apart by `idOf`. */
export function gatherDistinct<T>(idOf: (item: T) => string, later: (flush: () => void) => void, send: (items: T[]) => void) {
  let pending: Map<string, T> | undefined;
  return (item: T) => {
    if (!pending) {
      const gathering = (pending = new Map());
      later(() => {
        pending = undefined;
        send([...gathering.values()]);
      });
    }
    pending.set(idOf(item), item);
  };
}

/** NOTIFY carries at most 8000 bytes: about 200 UUIDs as a JSON array. */
const IDS_PER_NOTIFY = 150;

/**
 * Announces ids (e.g. tenants whose messages changed) on `channel` to every process: the ids named
 * during GATHER_MS go together, in one NOTIFY per 150, sent on the pool after the changes committed
 * and outside their transactions. Losing one costs only latency: listeners also poll.
 */
export function announceAfterCommit(pool: pg.Pool, channel: string, onError: (error: unknown) => void) {
  return gatherDistinct<string>(
    (id) => id,
    (flush) => setTimeout(flush, GATHER_MS).unref(),
    (ids) => {
      for (let start = 0; start < ids.length; start += IDS_PER_NOTIFY) {
        pool.query("SELECT pg_notify($1, $2)", [channel, JSON.stringify(ids.slice(start, start + IDS_PER_NOTIFY))]).catch(onError);
      }
    },
  );
}

/** Listens for other processes' wake-ups; `onReset` (notifications may have been missed) asks for a poll. */
export function listenForWakeUps(db: Database, wake: (key?: JobKey) => void) {
  return db.subscribe(
    JOBS_CHANNEL,
    (payload) => {
      let keys: unknown;
      try {
        keys = JSON.parse(payload);
      } catch {
        return;
      }
      if (!Array.isArray(keys)) return;
      for (const key of keys as JobKey[]) {
        if (typeof key?.queue === "string" && typeof key.tenantId === "string" && typeof key.paceKey === "string") wake(key);
      }
    },
    () => wake(),
  );
}
