import { setTimeout as sleep } from "node:timers/promises";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { ACCEPT_MESSAGES_SQL, RAW_MODES, type RawMode } from "./accept-sql.ts";
import type { BenchChild } from "./child.ts";
import { cpuSnapshot, cpuUsage, type CpuPids, type CpuUsage } from "./cpu.ts";
import { runLoad, type LoadRequest, type LoadResult } from "./http-load.ts";
import type { RawEvent, RawResult } from "./raw-sql.mts";
import { printTable } from "./report.ts";

/**
 * The send path: sendMessage under load with API keys against the fake Rapiwa, and how fast the
 * dispatcher sends what was accepted; plus the raw-SQL baseline (raw-sql.mts) it is compared with.
 *
 * Per scenario (fake latency × connections), starting from an empty queue:
 *   1. reset the fake Rapiwa (forgets what it received) and set its latency;
 *   2. warm-up load, then the measured load (the dispatcher sends all along, as in production);
 *   3. "drain": after the load stops, poll the queue until nothing is QUEUED or SENDING, at most
 *      DRAIN_CAP_SECONDS;
 *   4. if messages remain (at 200 ms the dispatcher can do about concurrency ÷ 0.2 s = 320/s, far
 *      less than is accepted), delete the jobs of the still QUEUED ones so the dispatcher leaves
 *      them (the messages stay QUEUED, untouched, so that the table's update counts are the
 *      product's own), and wait for the sends in flight to be recorded. The next scenario then
 *      starts with an empty queue; the count skipped is reported ("left").
 * Counts come from the messages table through a superuser/owner connection (scoped to the bench
 * tenant, so it works under FORCE ROW LEVEL SECURITY too) and from the fake's /__fake/stats.
 */

export const SEND_LATENCIES_MS = [0, 200];
/** How long to wait for the backlog after a load; at 200 ms it never drains, and the rate is steady. */
export const DRAIN_CAP_SECONDS = 30;
const POLL_MS = 100;

/** The fake Rapiwa in its own process, driven over its HTTP control endpoints. */
export type FakeRapiwaControl = {
  url: string;
  pid: number;
  configure(patch: { latencyMs?: number }): Promise<void>;
  reset(): Promise<void>;
  stats(): Promise<{ received: number; attempts: number }>;
};

export function controlFakeRapiwa(url: string, pid: number, signal: AbortSignal): FakeRapiwaControl {
  async function call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const response = await fetch(new URL(path, url), {
      method,
      signal,
      ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`fake Rapiwa ${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }
  return {
    url,
    pid,
    configure: async (patch) => void (await call("POST", "/__fake/config", patch)),
    reset: async () => void (await call("POST", "/__fake/reset")),
    stats: () => call("GET", "/__fake/stats"),
  };
}

export type TableWrites = { inserts: number; updates: number; hotUpdates: number };

/** Outbound messages of the bench tenant by state, and what the fake received since its reset. */
export type OutboxCounts = { at: number; queued: number; sending: number; sent: number; failed: number; fakeReceived: number };

export type OutboxWatch = {
  /** Every count; a scan of the messages table, so only at the ends of the phases. */
  counts(): Promise<OutboxCounts>;
  /** QUEUED + SENDING only: the jobs left, cheap enough to poll. */
  pending(): Promise<number>;
  /** Drops the jobs of every QUEUED message (the message stays QUEUED); returns how many. */
  skipQueued(): Promise<number>;
  /**
   * PostgreSQL's cumulative write counters of the messages table. Backends report them at the end
   * of a transaction at most once a second, idle ones within 10 s, all when they exit: read them
   * after the server stopped.
   */
  tableWrites(): Promise<TableWrites>;
  close(): Promise<void>;
};

export async function watchOutbox(ownerUrl: string, tenantIds: string[], fake: FakeRapiwaControl): Promise<OutboxWatch> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  client.on("error", () => undefined);
  /**
   * A query for each bench tenant in turn, `$1` being its id. A plain owner sees only the rows of
   * the tenant it acts for (FORCE ROW LEVEL SECURITY), a superuser sees all: so both, and the
   * query filters by `$1` too.
   */
  async function perTenant<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<pg.QueryResult<R>[]> {
    const results: pg.QueryResult<R>[] = [];
    for (const tenantId of tenantIds) {
      await client.query("SELECT set_config('app.tenant_id', $1, false)", [tenantId]);
      results.push(await client.query<R>(sql, [tenantId, ...values]));
    }
    return results;
  }
  const sum = <R extends pg.QueryResultRow>(results: pg.QueryResult<R>[], pick: (row: R) => number) =>
    results.reduce((total, result) => total + result.rows.reduce((subtotal, row) => subtotal + pick(row), 0), 0);
  return {
    async counts() {
      const at = performance.now();
      const [results, stats] = await Promise.all([
        perTenant<{ queued: string; sending: string; sent: string; failed: string }>(
          // Skipped messages are QUEUED without a job: not counted as queued.
          `SELECT count(*) FILTER (WHERE status = 'QUEUED' AND EXISTS (SELECT 1 FROM jobs j WHERE j.tenant_id = m.tenant_id AND j.id = m.id)) AS queued,
                  count(*) FILTER (WHERE status = 'SENDING') AS sending,
                  count(*) FILTER (WHERE status = 'SENT') AS sent,
                  count(*) FILTER (WHERE status IN ('FAILED', 'UNKNOWN')) AS failed
             FROM messages m WHERE tenant_id = $1 AND direction = 'OUTBOUND'`,
        ),
        fake.stats(),
      ]);
      return {
        at,
        queued: sum(results, (row) => Number(row.queued)),
        sending: sum(results, (row) => Number(row.sending)),
        sent: sum(results, (row) => Number(row.sent)),
        failed: sum(results, (row) => Number(row.failed)),
        fakeReceived: stats.received,
      };
    },
    async pending() {
      const results = await perTenant<{ pending: string }>(`SELECT count(*) AS pending FROM jobs WHERE tenant_id = $1`);
      return sum(results, (row) => Number(row.pending));
    },
    async skipQueued() {
      const results = await perTenant(
        `WITH skipped AS (DELETE FROM jobs WHERE tenant_id = $1 AND locked_until IS NULL RETURNING id) SELECT count(*) FROM skipped`,
      );
      return results.reduce((total, result) => total + Number(result.rows[0]?.count ?? 0), 0);
    },
    async tableWrites() {
      const { rows } = await client.query<{ inserts: string; updates: string; hot: string }>(
        "SELECT n_tup_ins AS inserts, n_tup_upd AS updates, n_tup_hot_upd AS hot FROM pg_stat_user_tables WHERE relid = 'messages'::regclass",
      );
      const row = rows[0];
      return { inserts: Number(row?.inserts ?? 0), updates: Number(row?.updates ?? 0), hotUpdates: Number(row?.hot ?? 0) };
    },
    close: () => client.end().catch(() => undefined),
  };
}

export type SendRow = {
  latencyMs: number;
  connections: number;
  warmUp: LoadResult;
  measured: LoadResult;
  cpu: CpuUsage | undefined;
  /** Before the warm-up, at the start and end of the measured load, at the end of the drain, once quiet. */
  before: OutboxCounts;
  loadStart: OutboxCounts;
  loadEnd: OutboxCounts;
  drainEnd: OutboxCounts;
  quiet: OutboxCounts;
  /** Whether the queue emptied within DRAIN_CAP_SECONDS. */
  drained: boolean;
  /** QUEUED messages marked FAILED after the drain cap. */
  skipped: number;
};

/** Derived figures of a scenario, for the table and the target checks. */
export function sendFigures(row: SendRow) {
  const seconds = (from: OutboxCounts, to: OutboxCounts) => (to.at - from.at) / 1000;
  const loadSeconds = seconds(row.loadStart, row.loadEnd);
  const drainSeconds = seconds(row.loadEnd, row.drainEnd);
  const backlog = row.loadEnd.queued + row.loadEnd.sending;
  return {
    acceptedPerSecond: row.measured.requestsPerSecond,
    backlog,
    /** The backlog in seconds of accepting at the measured rate. */
    backlogSeconds: row.measured.requestsPerSecond > 0 ? backlog / row.measured.requestsPerSecond : Number.NaN,
    drainSeconds,
    dispatchDuringLoad: (row.loadEnd.sent - row.loadStart.sent) / loadSeconds,
    /** Accepted and sent: messages recorded SENT from the start of the measured load to the end of the drain, per second of that time. */
    acceptedAndSent: (row.drainEnd.sent - row.loadStart.sent) / (loadSeconds + drainSeconds),
    dispatchDuringDrain: drainSeconds >= 0.2 ? (row.drainEnd.sent - row.loadEnd.sent) / drainSeconds : Number.NaN,
    /** Dispatch failures (FAILED/UNKNOWN other than skipped), the warm-up's included. */
    failed: row.quiet.failed - row.before.failed,
    /** Sends the fake received since its reset vs messages recorded SENT: a difference is a lost or duplicate send. */
    sentInScenario: row.quiet.sent - row.before.sent,
    fakeReceived: row.quiet.fakeReceived,
  };
}

export type SendScenario = {
  baseUrl: string;
  request: LoadRequest;
  latencyMs: number;
  connections: number;
  warmUpSeconds: number;
  durationSeconds: number;
  fake: FakeRapiwaControl;
  watch: OutboxWatch;
  cpuPids: CpuPids;
  cpus: number;
  signal: AbortSignal;
};

export async function runSendScenario(scenario: SendScenario): Promise<SendRow> {
  const { baseUrl, request, latencyMs, connections, warmUpSeconds, durationSeconds, fake, watch, cpuPids, cpus, signal } = scenario;
  // Start from an empty queue (e.g. the message sent to check the request), then a fresh fake.
  if (!(await waitUntilEmpty(watch, performance.now() + 60_000, 1, signal))) throw new Error("the queue did not empty within 60 s before a scenario");
  await fake.reset();
  await fake.configure({ latencyMs });
  const before = await watch.counts();
  const warmUp = await runLoad(baseUrl, request, { connections, durationSeconds: warmUpSeconds, signal });
  const loadStart = await watch.counts();
  const cpuBefore = cpuSnapshot(cpuPids);
  const measured = await runLoad(baseUrl, request, { connections, durationSeconds, signal });
  const cpu = cpuUsage(cpuBefore, cpuSnapshot(cpuPids), cpus);
  const loadEnd = await watch.counts();

  const drained = await waitUntilEmpty(watch, loadEnd.at + DRAIN_CAP_SECONDS * 1000, loadEnd.queued + loadEnd.sending, signal);
  const drainEnd = await watch.counts();
  let skipped = 0;
  if (!drained) {
    skipped = await watch.skipQueued();
    // Only sends in flight remain: at most the provider timeout (15 s by default) away.
    if (!(await waitUntilEmpty(watch, performance.now() + 60_000, 1, signal))) throw new Error("sends in flight were not recorded within 60 s");
  }
  const quiet = await watch.counts();
  return { latencyMs, connections, warmUp, measured, cpu, before, loadStart, loadEnd, drainEnd, quiet, drained, skipped };
}

/** Polls until nothing is QUEUED or SENDING (true) or `deadline` (performance.now() ms) passes (false). */
async function waitUntilEmpty(watch: OutboxWatch, deadline: number, pending: number, signal: AbortSignal): Promise<boolean> {
  while (pending > 0) {
    if (performance.now() >= deadline) return false;
    await sleep(POLL_MS, undefined, { signal });
    pending = await watch.pending();
  }
  return true;
}

export type RawRow = { result: RawResult; cpu: CpuUsage | undefined };

/** Reads the raw-SQL baseline process's runs (see raw-sql.mts), with CPU figures per measured run. */
export async function driveRawBaseline(
  child: BenchChild,
  {
    connections,
    postmasterPid,
    fakePid,
    cpus,
    durationSeconds,
    signal,
    onStart,
    onResult,
  }: {
    connections: number[];
    postmasterPid: number | undefined;
    fakePid: number | undefined;
    cpus: number;
    durationSeconds: number;
    signal: AbortSignal;
    onStart(mode: RawMode, connections: number): void;
    onResult(result: RawResult): void;
  },
): Promise<RawRow[]> {
  const timeoutMs = (durationSeconds + 60) * 1000;
  const next = async <E extends RawEvent["event"]>(event: E): Promise<Extract<RawEvent, { event: E }>> => {
    const message = await child.nextMessage<RawEvent>(timeoutMs, signal);
    if (message.event !== event) throw new Error(`raw-SQL baseline: expected "${event}", got ${JSON.stringify(message)}`);
    return message as Extract<RawEvent, { event: E }>;
  };
  await next("ready");
  const pids: CpuPids = { server: child.pid, postmaster: postmasterPid, fake: fakePid };
  const rows: RawRow[] = [];
  for (const mode of RAW_MODES) {
    for (const expected of connections) {
      onStart(mode, expected);
      const measuring = await next("measuring");
      if (measuring.connections !== expected || measuring.mode !== mode) {
        throw new Error(`raw-SQL baseline: measured ${measuring.mode} @${measuring.connections}, expected ${mode} @${expected}`);
      }
      const before = cpuSnapshot(pids);
      const { event: _, ...result } = await next("result");
      rows.push({ result, cpu: cpuUsage(before, cpuSnapshot(pids), cpus) });
      onResult(result);
    }
  }
  return rows;
}

export type SendPathInfo = {
  dispatchConcurrency: number;
  sendRatePerSecond: number;
  /** The server's (and so the baseline's) database pool. */
  poolSize: number;
  /** Connected numbers (one per tenant) the load is spread over. */
  numbers: number;
  /** Writes to the messages table over all send scenarios (before the raw-SQL baseline). */
  tableWrites: TableWrites | undefined;
};

const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : "n/a");

export function printSendPath(rows: SendRow[], raw: RawRow[], info: SendPathInfo) {
  if (rows.length === 0 && raw.length === 0) return;
  const { dispatchConcurrency: concurrency, numbers } = info;
  const rate = info.sendRatePerSecond * numbers;
  console.log("\nsend path: sendMessage with an API key; the server's dispatcher sends to the fake Rapiwa meanwhile");
  printTable([
    [
      "fake latency",
      "conns",
      "accepted/s",
      "p50 ms",
      "p99 ms",
      "non-2xx",
      "errors",
      "bad body",
      "backlog at end",
      "drain s",
      "dispatch/s load",
      "dispatch/s drain",
      "left",
      "failed",
    ],
    ...rows.map((row) => {
      const figures = sendFigures(row);
      return [
        `${row.latencyMs} ms`,
        String(row.connections),
        fixed(figures.acceptedPerSecond),
        row.measured.p50Ms.toFixed(2),
        row.measured.p99Ms.toFixed(2),
        String(row.measured.non2xx + row.warmUp.non2xx),
        String(row.measured.errors + row.warmUp.errors),
        String(row.measured.badBodies + row.warmUp.badBodies),
        `${figures.backlog} (${fixed(figures.backlogSeconds, 1)} s)`,
        row.drained ? fixed(figures.drainSeconds, 1) : `>${DRAIN_CAP_SECONDS}`,
        fixed(figures.dispatchDuringLoad),
        fixed(figures.dispatchDuringDrain),
        String(row.skipped),
        String(figures.failed),
      ];
    }),
  ]);
  console.log(
    [
      "(accepted/s, p50, p99: the measured load; non-2xx, errors and bad body include the warm-up. backlog at end: QUEUED + SENDING",
      ` when the load stopped, and how many seconds of accepting that is. drain s: until nothing was QUEUED or SENDING (cap ${DRAIN_CAP_SECONDS} s).`,
      " dispatch/s: messages recorded SENT per second during the measured load and during the drain. left: still QUEUED at the cap,",
      " marked FAILED so the next scenario starts empty. failed: FAILED/UNKNOWN from the dispatcher, warm-up included.)",
      `(the dispatcher's ceiling: ${concurrency} sends in flight (DISPATCH_CONCURRENCY) and ${numbers} numbers paced at ${info.sendRatePerSecond}/s each: about`,
      ` ${SEND_LATENCIES_MS.map((latency) => `${Math.round(latency > 0 ? Math.min(rate, (concurrency * 1000) / latency) : rate)}/s at ${latency} ms`).join(", ")} plus round trips)`,
    ].join("\n"),
  );
  if (info.tableWrites) {
    const { inserts, updates, hotUpdates } = info.tableWrites;
    const skipped = rows.reduce((sum, row) => sum + row.skipped, 0);
    console.log(
      `(the messages table over these runs: ${inserts} rows inserted, ${updates} updated of which ${hotUpdates} HOT` +
        ` (${updates > 0 ? ((100 * hotUpdates) / updates).toFixed(0) : "0"}%, target >= 90%); all by the product: the bench's ${skipped} skips only dropped jobs)`,
    );
  }
  const mismatched = rows
    .map((row) => ({ row, figures: sendFigures(row) }))
    .filter(({ figures }) => figures.fakeReceived !== figures.sentInScenario + figures.failed);
  for (const { row, figures } of mismatched) {
    console.log(
      `note: at ${row.latencyMs} ms @${row.connections} the fake Rapiwa received ${figures.fakeReceived} sends but ${figures.sentInScenario} messages were recorded SENT and ${figures.failed} failed`,
    );
  }

  if (raw.length > 0) {
    console.log(
      `\nraw-SQL baseline: node-postgres in a process of its own, pool of ${info.poolSize} (the server's) as the app role, the bench tenants in turn; per message exactly`,
    );
    console.log(`the server's accept SQL for one request, pool.query(ACCEPT_MESSAGES_SQL) imported from send-message.ts: "${ACCEPT_MESSAGES_SQL}";`);
    console.log(`in "accept + dispatch", meanwhile one loop per number on a pool of 4 does the dispatcher's SQL for them without a provider call:`);
    console.log(`claim up to ${concurrency} (app_claim_sends), record them SENT in one statement (app_record_send_outcomes); the run ends when every`);
    console.log("accepted message is SENT. That is all the SQL the server does per message, in the largest batches its dispatcher could use.");
    console.log("(not included: HTTP, GraphQL, validation, JSON parsing, the API-key check, which the server caches per key, provider calls)");
    printTable([
      ["raw pg", "conns", "msgs/s", "dispatched/s", "p50 ms", "p99 ms", "errors"],
      ...raw.map(({ result }) => [
        result.mode,
        String(result.connections),
        fixed(result.messagesPerSecond),
        result.mode === "accept" ? "-" : fixed(result.dispatchedPerSecond),
        result.p50Ms.toFixed(2),
        result.p99Ms.toFixed(2),
        String(result.errors),
      ]),
    ]);
    console.log("\naccepted/s ÷ raw pg msgs/s (how much of the raw SQL throughput the whole API keeps):");
    for (const row of rows) {
      const ratios = RAW_MODES.map((mode) => `${fixed(rawRatio(row, raw, mode), 2)} of "${mode}"`);
      console.log(`  sendMessage (fake ${row.latencyMs} ms) @${row.connections}: ${ratios.join(", ")}`);
    }
  }

  printTargets(rows, raw);
}

/** A scenario's accepted/s over the baseline's msgs/s in `mode` at the same connection count; NaN without one. */
function rawRatio(row: SendRow, raw: RawRow[], mode: RawMode): number {
  const baseline = raw.find(({ result }) => result.connections === row.connections && result.mode === mode);
  return baseline ? row.measured.requestsPerSecond / baseline.result.messagesPerSecond : Number.NaN;
}

/** The issue's targets, informational only: the exit code does not depend on them. */
function printTargets(rows: SendRow[], raw: RawRow[]) {
  if (rows.length === 0) return;
  const yes = (ok: boolean) => (ok ? "yes" : "NO");
  const at = (connections: number) => rows.filter((row) => row.connections === connections);
  const line = (criterion: string, parts: string[]) => parts.length > 0 && console.log(`  ${criterion}: ${parts.join("; ")}`);
  console.log("\ntargets (informational; the exit code does not depend on them):");
  line(
    "accepted/s @64 >= 1500",
    at(64).map((row) => `${row.latencyMs} ms ${yes(row.measured.requestsPerSecond >= 1500)} (${fixed(row.measured.requestsPerSecond)})`),
  );
  line(
    "p99 @64 < 50 ms",
    at(64).map((row) => `${row.latencyMs} ms ${yes(row.measured.p99Ms < 50)} (${row.measured.p99Ms.toFixed(1)})`),
  );
  // End to end, with the dispatcher keeping pace: what is both accepted and sent per second, against
  // the raw SQL doing the same work (its "accept + dispatch" runs until every accepted message is SENT).
  line(
    '4 tenants at 0 ms: accepted and sent >= 1500/s and >= 0.7 of raw pg "accept + dispatch"',
    rows
      .filter((row) => row.latencyMs === 0)
      .map((row) => {
        const endToEnd = sendFigures(row).acceptedAndSent;
        const rawRate = raw.find((entry) => entry.result.mode === "accept + dispatch" && entry.result.connections === row.connections)?.result
          .messagesPerSecond;
        const ratio = rawRate ? endToEnd / rawRate : Number.NaN;
        return `@${row.connections} ${yes(endToEnd >= 1500 && ratio >= 0.7)} (${fixed(endToEnd)}/s, ${fixed(ratio, 2)} of raw)`;
      }),
  );
  // Keeping pace: what is queued when the load stops is under one second of accepting, and the
  // dispatcher empties the queue within 5 s.
  line(
    "dispatch keeps pace at 0 ms (backlog at end < 1 s of accepts and drained within 5 s)",
    rows
      .filter((row) => row.latencyMs === 0)
      .map((row) => {
        const figures = sendFigures(row);
        const ok = figures.backlogSeconds < 1 && row.drained && figures.drainSeconds <= 5;
        const drain = row.drained ? `drained in ${fixed(figures.drainSeconds, 1)} s` : `not drained in ${DRAIN_CAP_SECONDS} s`;
        return `@${row.connections} ${yes(ok)} (backlog ${figures.backlog}, ${drain}, dispatch ${fixed(figures.dispatchDuringLoad)}/s vs ${fixed(figures.acceptedPerSecond)} accepted/s)`;
      }),
  );
}

/** What broke in the send path (failed requests, failed dispatches, failed raw SQL); empty when all is well. */
export function sendPathFailures(rows: SendRow[], raw: RawRow[]): string[] {
  const failures: string[] = [];
  for (const row of rows) {
    const { measured, warmUp } = row;
    const label = `sendMessage (fake ${row.latencyMs} ms) @${row.connections}`;
    if (measured.non2xx + measured.errors + measured.badBodies + warmUp.non2xx + warmUp.errors + warmUp.badBodies > 0) {
      failures.push(`${label}: ${[...new Set([...warmUp.problems, ...measured.problems])].join("; ")}`);
    }
    const { failed } = sendFigures(row);
    if (failed > 0) failures.push(`${label}: the dispatcher recorded ${failed} message(s) FAILED or UNKNOWN`);
  }
  for (const { result } of raw) {
    if (result.errors > 0) failures.push(`raw pg ${result.mode} @${result.connections}: ${result.errors} failed message(s): ${result.problem}`);
  }
  return failures;
}
