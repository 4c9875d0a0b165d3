type Waiter<Result> = { resolve(result: Result): void; reject(error: unknown): void };
type Group<Row, Result> = { rows: Row[]; waiters: Waiter<Result>[]; flushing: number; scheduled: boolean };

export type GroupCommitOptions = {
  /** The most rows one statement takes. */
  maxBatch?: number;
  /** Statements of one group in flight at once. */
  maxInFlight?: number;
};

/**
 * Group commit: rows submitted for the same group (a tenant) while a statement of that group is in
 * flight go together in the next one, so a busy path writes in batches that grow with the load and
 * an idle one writes at once. Rows submitted in the same turn of the event loop share the first
 * statement too. Each caller's promise settles with its own row's result once its statement is
 * done, never before its commit. `flush` returns one result per row, in order.
 */
export function createGroupCommit<Row, Result = void>(
  flush: (group: string, rows: Row[]) => Promise<Result[]>,
  { maxBatch = 64, maxInFlight = 1 }: GroupCommitOptions = {},
) {
  const groups = new Map<string, Group<Row, Result>>();
  const idle = new Set<() => void>();

  async function drain(key: string, group: Group<Row, Result>) {
    group.flushing++;
    while (group.rows.length > 0) {
      const rows = group.rows.splice(0, maxBatch);
      const waiters = group.waiters.splice(0, rows.length);
      try {
        const results = await flush(key, rows);
        waiters.forEach((waiter, index) => waiter.resolve(results[index] as Result));
      } catch (error) {
        for (const waiter of waiters) waiter.reject(error);
      }
    }
    group.flushing--;
    if (group.flushing === 0 && group.rows.length === 0 && groups.get(key) === group) {
      groups.delete(key);
      if (groups.size === 0) for (const notify of idle) notify();
    }
  }

  function start(key: string, group: Group<Row, Result>) {
    if (group.scheduled || group.flushing >= maxInFlight) return;
    group.scheduled = true;
    setImmediate(() => {
      group.scheduled = false;
      if (group.rows.length > 0) void drain(key, group);
    });
  }

  return {
    submit(key: string, row: Row): Promise<Result> {
      return new Promise<Result>((resolve, reject) => {
        let group = groups.get(key);
        if (!group) groups.set(key, (group = { rows: [], waiters: [], flushing: 0, scheduled: false }));
        group.rows.push(row);
        group.waiters.push({ resolve, reject });
        start(key, group);
      });
    },
    /** Resolves once nothing is waiting or being written. */
    settled(): Promise<void> {
      if (groups.size === 0) return Promise.resolve();
      return new Promise((resolve) => {
        const done = () => {
          idle.delete(done);
          resolve();
        };
        idle.add(done);
      });
    },
  };
}

export type GroupCommit<Row, Result = void> = ReturnType<typeof createGroupCommit<Row, Result>>;
