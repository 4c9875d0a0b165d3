import type pg from "pg";
import type { Database } from "../../db/database.ts";
import { badInput } from "../../errors.ts";
import type { Logger } from "../../logger.ts";
import { decodeCursor, encodeCursor, type Position } from "../relay/pagination.ts";
import { MESSAGE_COLUMNS, toMessage, type MessageRow, type MessageView } from "../messages/message-row.ts";
import { STATUS_CHANGED_KEYSET } from "../messages/messages.queries.ts";
import { MESSAGE_CHANGES_CHANNEL } from "./message-changes.ts";

/** One change as a subscriber gets it: the message as it is now, its contact, and where the change sits in the feed. */
export type MessageChangeView = { cursor: string; contact: string; message: MessageView };

/** Rows read per statement; a full page is followed at once by the next. */
const PAGE = 500;
/** A subscriber further behind than this must reload (its lists are stale anyway) instead of replaying. */
export const MAX_CATCH_UP = 10_000;
/** Changes are released this long after every transaction that began before them has ended (see `safeUntil`). */
const SAFETY_MARGIN_MS = 50;
/** A transaction open longer than this no longer holds the feed back (the README's polling caveat, for live updates). */
const LONGEST_HELD_MS = 10_000;

const ZERO_ID = "00000000-0000-0000-0000-000000000000";

/**
 * The time before which every change is committed and visible. `status_changed_at` (and `created_at`)
 * are PostgreSQL's `now()`, the start of the writing transaction, and commits come in any order: a
 * change can become visible behind one already read. So this reads, before the rows (a statement of its
 * own, so the rows' snapshot is taken after it), the start of the oldest transaction still running on
 * the database (`pg_stat_activity`, which shows the app role its own sessions): anything stamped before
 * that has committed by the time the rows are read. The feed releases changes in (status_changed_at, id)
 * order up to this time only, so its cursor is exact: a subscriber resuming after a cursor misses
 * nothing and gets nothing twice, without an overlap window or a set of what it saw.
 */
const SAFE_UNTIL_SQL = `
  SELECT LEAST(clock_timestamp(), min(xact_start)) - make_interval(secs => $1::float8 / 1000) AS safe_until
    FROM pg_stat_activity
   WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
     AND xact_start IS NOT NULL AND xact_start > clock_timestamp() - make_interval(secs => $2::float8 / 1000)`;

async function safeUntil(client: pg.PoolClient): Promise<Date> {
  const { rows } = await client.query<{ safe_until: Date }>(SAFE_UNTIL_SQL, [SAFETY_MARGIN_MS, LONGEST_HELD_MS]);
  return rows[0]!.safe_until;
}

type ChangeRow = MessageRow & { contact_number: string };
const CHANGE_COLUMNS = `${MESSAGE_COLUMNS}, contact_number`;

/** The tenant's changes after `from`, in feed order, up to `until` (inclusive position) or `safe` (exclusive time). */
async function readChanges(client: pg.PoolClient, tenantId: string, from: Position, bound: { until: Position } | { safe: Date }, limit: number) {
  const upper = "until" in bound ? "AND (status_changed_at, id) <= ($5::timestamptz, $6::uuid)" : "AND status_changed_at < $5::timestamptz";
  const values = [tenantId, from.at, from.id, limit, ...("until" in bound ? [bound.until.at, bound.until.id] : [bound.safe])];
  const { rows } = await client.query<ChangeRow>(
    `SELECT ${CHANGE_COLUMNS} FROM messages
      WHERE tenant_id = $1 AND (status_changed_at, id) > ($2::timestamptz, $3::uuid) ${upper}
      ORDER BY status_changed_at, id LIMIT $4`,
    values,
  );
  return rows.map((row): { position: Position; change: MessageChangeView } => {
    const message = toMessage(row);
    const position = { at: message.statusChangedAt, id: message.id };
    return { position, change: { cursor: encodeCursor(STATUS_CHANGED_KEYSET, position), contact: row.contact_number, message } };
  });
}

const after = (a: Position, b: Position) => a.at.getTime() > b.at.getTime() || (a.at.getTime() === b.at.getTime() && a.id > b.id);

type Subscriber = { deliver(changes: { position: Position; change: MessageChangeView }[]): void; end(): void };

type TenantFeed = {
  tenantId: string;
  /** The last change released: every change up to it has gone to the subscribers of the moment. */
  position: Position;
  ready: Promise<void>;
  subscribers: Set<Subscriber>;
  reading: boolean;
  again: boolean;
  retry?: NodeJS.Timeout;
  poll?: NodeJS.Timeout;
};

/**
 * Live message changes for the subscriptions held in this process. One feed per tenant with
 * subscribers, fed by the wake-ups every process announces (message-changes.ts) on one LISTEN
 * connection: a wake-up names tenants only, and each feed then reads what changed through the
 * tenant-scoped path (RLS), once for all of that tenant's subscribers here, not once per open tab.
 */
export function createLiveFeeds(db: Database, logger: Logger, { pollMs }: { pollMs: number }) {
  const feeds = new Map<string, TenantFeed>();
  let listening: ReturnType<Database["subscribe"]> | undefined;

  function listen() {
    listening ??= db.subscribe(
      MESSAGE_CHANGES_CHANNEL,
      (payload) => {
        let tenants: unknown;
        try {
          tenants = JSON.parse(payload);
        } catch {
          return;
        }
        if (!Array.isArray(tenants)) return;
        for (const tenantId of tenants) {
          const feed = typeof tenantId === "string" ? feeds.get(tenantId) : undefined;
          if (feed) void read(feed);
        }
      },
      // Wake-ups may have been missed while (re)connecting: read every feed.
      () => {
        for (const feed of feeds.values()) void read(feed);
      },
    );
  }

  /** Reads and releases what changed since the feed's position; one read at a time per feed, repeated when woken meanwhile. */
  async function read(feed: TenantFeed): Promise<void> {
    if (feed.reading) {
      feed.again = true;
      return;
    }
    feed.reading = true;
    try {
      await feed.ready;
      for (;;) {
        feed.again = false;
        const { released, heldFor } = await db.withTenantSql(feed.tenantId, async (client) => {
          const safe = await safeUntil(client);
          const rows = await readChanges(client, feed.tenantId, feed.position, { safe }, PAGE);
          // The oldest change not released yet: it is released once `safe` passes it.
          const held =
            rows.length < PAGE
              ? (
                  await client.query<{ at: Date }>(
                    `SELECT status_changed_at AS at FROM messages WHERE tenant_id = $1 AND status_changed_at >= $2 ORDER BY status_changed_at LIMIT 1`,
                    [feed.tenantId, safe],
                  )
                ).rows[0]?.at
              : undefined;
          return { released: rows, heldFor: held ? held.getTime() - safe.getTime() : undefined };
        });
        if (released.length > 0) {
          feed.position = released.at(-1)!.position;
          for (const subscriber of feed.subscribers) subscriber.deliver(released);
        }
        if (released.length === PAGE || feed.again) continue;
        // Changes of transactions that have just committed are released a moment later, once nothing older can still commit.
        if (heldFor !== undefined && !feed.retry) {
          feed.retry = setTimeout(
            () => {
              feed.retry = undefined;
              void read(feed);
            },
            Math.min(Math.max(heldFor + 5, 10), SAFETY_MARGIN_MS * 4),
          );
          feed.retry.unref();
        }
        break;
      }
    } catch (error) {
      logger.warn({ err: error, tenantId: feed.tenantId }, "live feed could not read changes; retrying at its next wake-up or poll");
    } finally {
      feed.reading = false;
    }
  }

  function feedOf(tenantId: string): TenantFeed {
    let feed = feeds.get(tenantId);
    if (feed) return feed;
    const created: TenantFeed = {
      tenantId,
      position: { at: new Date(0), id: ZERO_ID },
      subscribers: new Set(),
      reading: false,
      again: false,
      ready: db
        .withTenantSql(tenantId, (client) => safeUntil(client))
        .then((safe) => {
          // Start at the present: what came before is a subscriber's catch-up, not the feed's.
          created.position = { at: safe, id: ZERO_ID };
        }),
    };
    created.ready.catch(() => {
      if (feeds.get(tenantId) === created) feeds.delete(tenantId);
    });
    // Wake-ups are announced, not guaranteed (LIVE_POLL_MS).
    created.poll = setInterval(() => void read(created), pollMs);
    created.poll.unref();
    feeds.set(tenantId, (feed = created));
    listen();
    return feed;
  }

  function drop(feed: TenantFeed, subscriber: Subscriber) {
    feed.subscribers.delete(subscriber);
    if (feed.subscribers.size > 0 || feeds.get(feed.tenantId) !== feed) return;
    clearInterval(feed.poll);
    clearTimeout(feed.retry);
    feeds.delete(feed.tenantId);
  }

  return {
    /**
     * The tenant's message changes, from after `cursor` (a cursor of an earlier change, or of
     * messages(orderBy: STATUS_CHANGED_AT)) if given, else from now: first those already committed
     * (catch-up), then live, each exactly once and in feed order. Ends when the caller stops iterating.
     */
    async subscribe(tenantId: string, cursor: string | null | undefined): Promise<AsyncGenerator<MessageChangeView>> {
      const from = cursor ? decodeCursor(STATUS_CHANGED_KEYSET, cursor, "after") : null;
      const feed = feedOf(tenantId);
      await feed.ready;

      const queue: MessageChangeView[] = [];
      let ended = false;
      let wake: (() => void) | undefined;
      let last: Position | null = from;
      let catchingUp = true;
      const buffered: { position: Position; change: MessageChangeView }[] = [];
      const push = (items: { position: Position; change: MessageChangeView }[]) => {
        for (const item of items) {
          if (last && !after(item.position, last)) continue;
          last = item.position;
          queue.push(item.change);
        }
        wake?.();
      };
      const subscriber: Subscriber = { deliver: (items) => (catchingUp ? buffered.push(...items) : push(items)), end: () => void end() };
      // Attached before the catch-up is read: what the feed releases meanwhile waits in `buffered`.
      feed.subscribers.add(subscriber);
      const attachedAt = feed.position;

      try {
        if (from && after(attachedAt, from)) {
          const missed = await db.withTenantSql(tenantId, async (client) => {
            const rows: { position: Position; change: MessageChangeView }[] = [];
            for (let position = from; ;) {
              const page = await readChanges(client, tenantId, position, { until: attachedAt }, PAGE);
              rows.push(...page);
              if (rows.length > MAX_CATCH_UP) {
                throw badInput("after", `More than ${MAX_CATCH_UP} changes were missed since this cursor: reload the lists, then subscribe without after.`);
              }
              if (page.length < PAGE) return rows;
              position = page.at(-1)!.position;
            }
          });
          push(missed);
        } else if (!from) last = attachedAt;
        catchingUp = false;
        push(buffered.splice(0));
      } catch (error) {
        drop(feed, subscriber);
        throw error;
      }

      // Not an async generator: one waiting for the next change could not be ended by `return()`
      // (the client went away) until a change came, and its subscriber would stay attached meanwhile.
      function end(): Promise<IteratorResult<MessageChangeView>> {
        ended = true;
        drop(feed, subscriber);
        wake?.();
        return Promise.resolve({ done: true, value: undefined });
      }
      const iterator: AsyncGenerator<MessageChangeView> = {
        async next() {
          while (!ended && queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
          if (ended) return { done: true, value: undefined };
          return { done: false, value: queue.shift()! };
        },
        return: end,
        throw: (error: unknown) => end().then(() => Promise.reject(error)),
        [Symbol.asyncIterator]() {
          return iterator;
        },
      };
      return iterator;
    },
    /** Stops every feed and the LISTEN connection (the server is stopping). */
    async close() {
      for (const feed of feeds.values()) {
        clearInterval(feed.poll);
        clearTimeout(feed.retry);
        // Their streams complete, so open connections do not hold the server's shutdown.
        for (const subscriber of feed.subscribers) subscriber.end();
      }
      feeds.clear();
      await listening?.close();
      listening = undefined;
    },
  };
}

export type LiveFeeds = ReturnType<typeof createLiveFeeds>;
