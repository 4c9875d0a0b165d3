import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { assertRestrictedRole, enableAppRoleLogin } from "../src/db/app-role.ts";
import { ACCEPT_MESSAGES_SQL, acceptParameters, RAW_MODES, type RawMode } from "./accept-sql.ts";
import { BENCH_SECRET } from "./bench-secret.ts";
import { percentile } from "./http-load.ts";

/**
 * The raw-SQL baseline of the send path, started by run.mts as a process of its own (like the
 * server, so nothing else shares its event loop): `connections` callers share a pg.Pool of the
 * server's size, as the restricted app role, and each does per message the SQL the server does to
 * accept it (see accept-sql.ts): `pool.query(ACCEPT_MESSAGES_SQL, parameters)` with one request,
 * the statement send-message.ts exports, which sets the tenant and writes the message and its job
 * in one statement, for the bench tenants in turn. No HTTP, no GraphQL, no validation, no auth, no
 * parsing of the returned row, and no batching of concurrent requests (the server batches them).
 *
 * Two modes, each at every connection count:
 * - "accept + dispatch": the accept statement and meanwhile, on a pool of its own (like the
 *   dispatcher's background pool), one loop per number doing the dispatcher's SQL for what was
 *   accepted, with no provider call: claim up to `dispatchBatch` due messages (app_claim_sends)
 *   and record them all SENT in one statement (app_record_send_outcomes). The run ends when every
 *   accepted message is SENT, and msgs/s counts over that time: all the SQL the server does per
 *   message, in the largest batches its dispatcher could use;
 * - "accept": the accept statement only.
 *
 * Input: BENCH_RAW_PLAN (JSON, see RawPlan). Output, one JSON line each on stdout: `ready`, then
 * per mode and connection count `measuring` (the measured run starts) and `result`. Then it waits to be
 * stopped (SIGTERM, or stdin closing), keeping its connections until the bench took its CPU figures.
 */
export type RawPlan = {
  ownerUrl: string;
  tenantIds: string[];
  connections: number[];
  warmUpSeconds: number;
  durationSeconds: number;
  poolSize: number;
  /** The dispatcher's concurrency: the most it can claim at once. */
  dispatchBatch: number;
  leaseMs: number;
};

export type RawResult = {
  mode: RawMode;
  connections: number;
  /** Messages recorded SENT per second by the dispatch loop ("accept + dispatch" only). */
  dispatchedPerSecond: number;
  messages: number;
  messagesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Failed messages, the warm-up's included. */
  errors: number;
  /** The first error, to say what broke. */
  problem: string | null;
};

export type RawEvent = { event: "ready" } | { event: "measuring"; mode: RawMode; connections: number } | ({ event: "result" } & RawResult);

const plan = JSON.parse(process.env.BENCH_RAW_PLAN ?? "null") as RawPlan | null;
if (!plan) throw new Error("BENCH_RAW_PLAN is not set; run the bench with `npm run bench`");

let stopped = false;
const emit = (event: RawEvent) => process.stdout.write(`${JSON.stringify(event)}\n`);

// The same role and pool size as the server (server.mts): RLS applies as it does there.
const appUrl = await enableAppRoleLogin(plan.ownerUrl, BENCH_SECRET);
const pool = new pg.Pool({ connectionString: appUrl, max: plan.poolSize });
const dispatchPool = new pg.Pool({ connectionString: appUrl, max: 4 });
pool.on("error", () => undefined);
dispatchPool.on("error", () => undefined);
await assertRestrictedRole(pool);
const tenants = await Promise.all(
  plan.tenantIds.map(async (tenantId) => ({
    tenantId,
    connectionId: await connectedNumber(tenantId),
    paramsFor: acceptParameters(tenantId, { to: "+14155550123", text: "bench message" }),
  })),
);
let nextTenant = 0;

async function connectedNumber(tenantId: string): Promise<string> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
    const { rows } = await client.query<{ id: string }>("SELECT id FROM whatsapp_connections WHERE status = 'CONNECTED'");
    await client.query("COMMIT");
    if (!rows[0]) throw new Error(`bench tenant ${tenantId} has no connected number`);
    return rows[0].id;
  } finally {
    client.release();
  }
}

/** One message, as acceptOutboundMessage sends it; anything but "created" is an error. */
async function acceptOne(): Promise<void> {
  const tenant = tenants[nextTenant++ % tenants.length]!;
  const { rows } = await pool.query<{ outcome: string }>(ACCEPT_MESSAGES_SQL, tenant.paramsFor());
  if (rows[0]?.outcome !== "created") throw new Error(`accepting answered ${JSON.stringify(rows[0] ?? null)}, expected outcome "created"`);
}

/**
 * The dispatcher's SQL without the provider, one loop per number: claim a batch, record it SENT.
 * Runs while `accepting`, then until the number has nothing due: every accepted message is sent.
 */
async function dispatchWhile(accepting: () => boolean): Promise<number> {
  let dispatched = 0;
  await Promise.all(
    tenants.map(async ({ tenantId, connectionId }) => {
      while (!stopped) {
        const claimed = await dispatchPool.query<{ id: string | null }>("SELECT id FROM app_claim_sends($1, $2, $3, $4)", [
          tenantId,
          connectionId,
          plan!.dispatchBatch,
          plan!.leaseMs,
        ]);
        const rows = claimed.rows.filter((row): row is { id: string } => row.id !== null);
        if (rows.length === 0) {
          if (!accepting()) return;
          await sleep(5);
          continue;
        }
        const outcomes = rows.map(({ id }) => ({ id, status: "SENT", provider_message_id: `raw-${id}`, error: null, retry_in_ms: 0, detail: null }));
        await dispatchPool.query("SELECT app_record_send_outcomes($1, $2::jsonb)", [tenantId, JSON.stringify(outcomes)]);
        dispatched += rows.length;
      }
    }),
  );
  return dispatched;
}

async function run(mode: RawMode, connections: number, seconds: number): Promise<RawResult> {
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  let errors = 0;
  let problem: string | null = null;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const caller = async () => {
    while (!stopped && performance.now() < deadline) {
      const start = performance.now();
      try {
        await acceptOne();
      } catch (error) {
        errors++;
        problem ??= error instanceof Error ? error.message : String(error);
        continue;
      }
      if (count === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[count++] = performance.now() - start;
    }
  };
  let accepting = true;
  const dispatching = mode === "accept + dispatch" ? dispatchWhile(() => accepting) : Promise.resolve(0);
  await Promise.all(Array.from({ length: connections }, caller));
  accepting = false;
  // With dispatch, the run ends when the last accepted message is recorded SENT.
  const dispatched = await dispatching;
  const elapsedSeconds = (performance.now() - started) / 1000;
  const sorted = latencies.subarray(0, count).sort();
  return {
    mode,
    connections,
    dispatchedPerSecond: dispatched / elapsedSeconds,
    messages: count,
    messagesPerSecond: count / elapsedSeconds,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    errors,
    problem,
  };
}

async function stop(code: number) {
  stopped = true;
  await pool.end().catch(() => undefined);
  await dispatchPool.end().catch(() => undefined);
  process.exit(code);
}
process.on("SIGTERM", () => void stop(0));
process.on("SIGINT", () => void stop(0));
// The bench died without stopping this process.
process.stdin.on("end", () => void stop(0));
process.stdin.resume();

emit({ event: "ready" });
for (const mode of RAW_MODES) {
  for (const connections of plan.connections) {
    const warmUp = await run(mode, connections, plan.warmUpSeconds);
    emit({ event: "measuring", mode, connections });
    const result = await run(mode, connections, plan.durationSeconds);
    // Errors include the warm-up's, as in the HTTP scenarios.
    emit({ event: "result", ...result, errors: result.errors + warmUp.errors, problem: warmUp.problem ?? result.problem });
  }
}
