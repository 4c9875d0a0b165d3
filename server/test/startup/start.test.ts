import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { logged, startServerProcess, type ServerProcess } from "../support/server-process.ts";

type RunningServer = ServerProcess;

/** Each test starts one or two servers, the first of them on an empty folder (initdb): allow for a loaded machine. */
const START_TIMEOUT_MS = 120_000;

// What each test started, undone after it in reverse (servers before their data folders), also
// when an assertion failed half-way: no server, PostgreSQL or folder outlives its test.
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Stops a PostgreSQL still running on `dataDir` (a server killed with SIGKILL leaves its child behind). */
async function stopLeftoverPostgres(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, "pg", "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt((await readFile(pidFile, "utf8")).split("\n")[0] ?? "", 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  process.kill(pid, "SIGINT");
  for (let waited = 0; isAlive(pid); waited += 100) {
    if (waited > 15_000) {
      process.kill(pid, "SIGKILL");
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** An empty data folder of this test's own; removed after the test, once whatever ran on it is stopped. */
async function newDataDir(): Promise<string> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "switchboard-start-"));
  cleanups.push(async () => {
    await stopLeftoverPostgres(dataDir);
    await rm(dataDir, { recursive: true, force: true });
  });
  return dataDir;
}

/** Starts the server the way `npm start` does, on the embedded default (no DATABASE_URL); killed after the test if still running. */
async function startServer(dataDir: string): Promise<RunningServer> {
  const server = await startServerProcess({ NODE_ENV: "development", DATA_DIR: dataDir });
  cleanups.push(async () => {
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGKILL");
    await server.exited;
  });
  return server;
}

/** Superuser URL of the embedded cluster, from what the server logged and keeps in its folder. */
async function embeddedUrl(server: RunningServer, dataDir: string): Promise<string> {
  const password = (await readFile(path.join(dataDir, "postgres-password"), "utf8")).trim();
  const port = logged(server, "embedded PostgreSQL running")!.port;
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/switchboard`;
}

async function stopWith(server: RunningServer, signal: NodeJS.Signals): Promise<number | null> {
  server.child.kill(signal);
  return (await server.exited).code;
}

async function onEmbedded<T>(server: RunningServer, dataDir: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: await embeddedUrl(server, dataDir) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe("npm start on the embedded default", () => {
  it("creates the database on an empty data folder, serves /healthz, /graphql and stops cleanly on Ctrl-C", { timeout: START_TIMEOUT_MS }, async () => {
    const dataDir = await newDataDir();
    const server = await startServer(dataDir);
    expect(logged(server, "embedded PostgreSQL running")).toMatchObject({ firstRun: true });
    expect(logged(server, "migrations applied")).toMatchObject({ applied: expect.any(Number) });

    const health = await fetch(`http://127.0.0.1:${server.port}/healthz`).then((response) => response.json());
    expect(health).toMatchObject({ status: "OK", database: "up" });
    const graphql = await fetch(`http://127.0.0.1:${server.port}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ health }" }),
    }).then((response) => response.json());
    expect(graphql).toEqual({ data: { health: "OK" } });

    expect(await stopWith(server, "SIGINT")).toBe(0);
    expect(logged(server, "stopped")).toBeDefined();
    expect(existsSync(path.join(dataDir, "pg", "postmaster.pid"))).toBe(false);
  });

  it("finds its data again on a second start, with no migration to apply", { timeout: START_TIMEOUT_MS }, async () => {
    const dataDir = await newDataDir();
    // Set-up: a first run that leaves something to find again.
    const first = await startServer(dataDir);
    await onEmbedded(first, dataDir, (client) => client.query("CREATE TABLE restart_marker (note text); INSERT INTO restart_marker VALUES ('still here')"));
    expect(await stopWith(first, "SIGINT")).toBe(0);

    const server = await startServer(dataDir);
    expect(logged(server, "embedded PostgreSQL running")).toMatchObject({ firstRun: false });
    expect(logged(server, "database schema up to date")).toBeDefined();
    expect(logged(server, "migrations applied")).toBeUndefined();
    const { rows } = await onEmbedded(server, dataDir, (client) => client.query("SELECT note FROM restart_marker"));
    expect(rows).toEqual([{ note: "still here" }]);
    expect(await stopWith(server, "SIGTERM")).toBe(0);
  });

  it("recovers after being killed with SIGKILL, which leaves PostgreSQL running", { timeout: START_TIMEOUT_MS }, async () => {
    const dataDir = await newDataDir();
    const killed = await startServer(dataDir);
    await stopWith(killed, "SIGKILL");
    expect(existsSync(path.join(dataDir, "pg", "postmaster.pid"))).toBe(true);

    const server = await startServer(dataDir);
    expect(logged(server, "stopping PostgreSQL left running by a previous run")).toBeDefined();
    expect(await stopWith(server, "SIGINT")).toBe(0);
  });
});
