import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logged, startServerProcess, type ServerProcess } from "../support/server-process.ts";

type RunningServer = ServerProcess;

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "switchboard-start-"));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** Starts the server the way `npm start` does, on the embedded default (no DATABASE_URL). */
const startServer = () => startServerProcess({ NODE_ENV: "development", DATA_DIR: dataDir });

/** Superuser URL of the embedded cluster, from what the server logged and keeps in its folder. */
async function embeddedUrl(server: RunningServer): Promise<string> {
  const password = (await readFile(path.join(dataDir, "postgres-password"), "utf8")).trim();
  const port = logged(server, "embedded PostgreSQL running")!.port;
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/switchboard`;
}

async function stopWith(server: RunningServer, signal: NodeJS.Signals): Promise<number | null> {
  server.child.kill(signal);
  return (await server.exited).code;
}

describe("npm start on the embedded default", () => {
  it("creates the database on an empty data folder, serves /healthz, /graphql and stops cleanly on Ctrl-C", async () => {
    const server = await startServer();
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

    // Something to find again after a restart.
    const client = new pg.Client({ connectionString: await embeddedUrl(server) });
    await client.connect();
    await client.query("CREATE TABLE restart_marker (note text); INSERT INTO restart_marker VALUES ('still here')");
    await client.end();

    expect(await stopWith(server, "SIGINT")).toBe(0);
    expect(logged(server, "stopped")).toBeDefined();
    expect(existsSync(path.join(dataDir, "pg", "postmaster.pid"))).toBe(false);
  });

  it("finds its data again on a second start, with no migration to apply", async () => {
    const server = await startServer();
    expect(logged(server, "embedded PostgreSQL running")).toMatchObject({ firstRun: false });
    expect(logged(server, "database schema up to date")).toBeDefined();
    const client = new pg.Client({ connectionString: await embeddedUrl(server) });
    await client.connect();
    const { rows } = await client.query("SELECT note FROM restart_marker");
    await client.end();
    expect(rows).toEqual([{ note: "still here" }]);
    expect(await stopWith(server, "SIGTERM")).toBe(0);
  });

  it("recovers after being killed with SIGKILL, which leaves PostgreSQL running", async () => {
    const killed = await startServer();
    await stopWith(killed, "SIGKILL");
    expect(existsSync(path.join(dataDir, "pg", "postmaster.pid"))).toBe(true);

    const server = await startServer();
    expect(logged(server, "stopping PostgreSQL left running by a previous run")).toBeDefined();
    expect(await stopWith(server, "SIGINT")).toBe(0);
  });
});
