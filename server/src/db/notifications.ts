import pg from "pg";

export type Subscription = {
  /** True while the listening connection is up: only then are missed notifications impossible. */
  readonly live: boolean;
  close(): Promise<void>;
};

const RECONNECT_DELAY_MS = 1_000;

/**
 * LISTENs on one channel over a dedicated connection, reconnecting when it drops. `onReset` runs
 * whenever notifications may have been missed (before each (re)connect), so a cache built on them
 * can start over instead of serving stale entries.
 */
export function subscribe(url: string, channel: string, onMessage: (payload: string) => void, onReset: () => void): Subscription {
  let client: pg.Client | undefined;
  let live = false;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  async function connect() {
    onReset();
    const next = new pg.Client({ connectionString: url });
    next.on("notification", (message) => {
      if (message.channel === channel && message.payload !== undefined) onMessage(message.payload);
    });
    next.on("error", () => dropped(next));
    next.on("end", () => dropped(next));
    try {
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      if (closed) return void (await next.end().catch(() => undefined));
      client = next;
      live = true;
    } catch {
      dropped(next);
    }
  }

  function dropped(which: pg.Client) {
    if (client && client !== which) return;
    live = false;
    client = undefined;
    onReset();
    which.end().catch(() => undefined);
    if (!closed && !retry) {
      retry = setTimeout(() => {
        retry = undefined;
        void connect();
      }, RECONNECT_DELAY_MS);
      retry.unref();
    }
  }

  void connect();
  return {
    get live() {
      return live;
    },
    async close() {
      closed = true;
      live = false;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}
