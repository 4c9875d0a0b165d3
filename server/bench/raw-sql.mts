import { performance } from "node:perf_hooks";
import pg from "pg";
import { v7 as uuidv7 } from "uuid";
import { assertRestrictedRole, enableAppRoleLogin } from "../src/db/app-role.ts";
import { ACCEPT_MESSAGE_SQL, acceptParameters } from "./accept-sql.ts";
import { BENCH_SECRET } from "./bench-secret.ts";
import { percentile } from "./http-load.ts";

/**
 * The raw-SQL baseline of the send path, started by run.mts as a process of its own (like the
 * server, so nothing else shares its event loop): `connections` callers share a pg.Pool of the
 * server's size, as the restricted app role, and each does per message exactly the SQL the server
 * does to accept one (see accept-sql.ts): `pool.query(ACCEPT_MESSAGE_SQL, parameters)`, the
 * statement send-message.ts exports, which sets the tenant and inserts in one statement. No HTTP,
 * no GraphQL, no validation, no auth, no parsing of the returned row.
 *
 * Input: BENCH_RAW_PLAN (JSON, see RawPlan). Output, one JSON line each on stdout: `ready`, then
 * per connection count `measuring` (the measured run starts) and `result`. Then it waits to be
 * stopped (SIGTERM, or stdin closing), keeping its connections until the bench took its CPU figures.
 */
export type RawPlan = { ownerUrl: string; tenantId: string; connections: number[]; warmUpSeconds: number; durationSeconds: number; poolSize: number };

export type RawResult = {
  connections: number;
  messages: number;
  messagesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Failed messages, the warm-up's included. */
  errors: number;
  /** The first error, to say what broke. */
  problem: string | null;
};

export type RawEvent = { event: "ready" } | { event: "measuring"; connections: number } | ({ event: "result" } & RawResult);

const plan = JSON.parse(process.env.BENCH_RAW_PLAN ?? "null") as RawPlan | null;
if (!plan) throw new Error("BENCH_RAW_PLAN is not set; run the bench with `npm run bench`");

let stopped = false;
const emit = (event: RawEvent) => process.stdout.write(`${JSON.stringify(event)}\n`);

// The same role and pool size as the server (server.mts): RLS applies as it does there.
const appUrl = await enableAppRoleLogin(plan.ownerUrl, BENCH_SECRET);
const pool = new pg.Pool({ connectionString: appUrl, max: plan.poolSize });
pool.on("error", () => undefined);
await assertRestrictedRole(pool);
const paramsFor = acceptParameters(plan.tenantId, { to: "+14155550123", text: "bench message" });

/** One message, as acceptOutboundMessage sends it; anything but "created" is an error. */
async function acceptOne(): Promise<void> {
  const { rows } = await pool.query<{ outcome: string }>(ACCEPT_MESSAGE_SQL, paramsFor(uuidv7()));
  if (rows[0]?.outcome !== "created") throw new Error(`accepting answered ${JSON.stringify(rows[0] ?? null)}, expected outcome "created"`);
}

async function run(connections: number, seconds: number): Promise<RawResult> {
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
  await Promise.all(Array.from({ length: connections }, caller));
  const elapsedSeconds = (performance.now() - started) / 1000;
  const sorted = latencies.subarray(0, count).sort();
  return { connections, messages: count, messagesPerSecond: count / elapsedSeconds, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), errors, problem };
}

async function stop(code: number) {
  stopped = true;
  await pool.end().catch(() => undefined);
  process.exit(code);
}
process.on("SIGTERM", () => void stop(0));
process.on("SIGINT", () => void stop(0));
// The bench died without stopping this process.
process.stdin.on("end", () => void stop(0));
process.stdin.resume();

emit({ event: "ready" });
for (const connections of plan.connections) {
  const warmUp = await run(connections, plan.warmUpSeconds);
  emit({ event: "measuring", connections });
  const result = await run(connections, plan.durationSeconds);
  // Errors include the warm-up's, as in the HTTP scenarios.
  emit({ event: "result", ...result, errors: result.errors + warmUp.errors, problem: warmUp.problem ?? result.problem });
}
