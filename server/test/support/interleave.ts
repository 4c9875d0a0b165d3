import type pg from "pg";
import type { TestApi } from "./api.ts";

/** Resolves once some session of this database waits for a lock (polled, not timed). */
async function someoneWaitsForALock(client: pg.PoolClient) {
  for (;;) {
    const { rows } = await client.query(
      "SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    );
    if (rows[0].waiting > 0) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Plays a concurrent request that wins: runs `otherWrite` (one row) in a transaction of its own, sends
 * `request` while that transaction holds the row, and commits once the request waits for it. The
 * request has read the row as it was before, and its own write lands after the other one. Returns
 * the request's answer.
 */
export async function racedBy<T>(api: TestApi, otherWrite: { sql: string; params: unknown[] }, request: () => Promise<T>): Promise<T> {
  const other = await api.database.ownerPool.connect();
  const watcher = await api.database.ownerPool.connect();
  try {
    await other.query("BEGIN");
    const written = await other.query(otherWrite.sql, otherWrite.params);
    if (written.rowCount !== 1) throw new Error(`the concurrent write changed ${written.rowCount} rows, not 1: ${otherWrite.sql}`);
    const answer = request();
    await someoneWaitsForALock(watcher);
    await other.query("COMMIT");
    return await answer;
  } finally {
    await other.query("ROLLBACK").catch(() => undefined);
    other.release();
    watcher.release();
  }
}
