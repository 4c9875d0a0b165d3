import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { findFreePort } from "../../src/db/embedded-postgres.ts";

const serverDir = path.resolve(import.meta.dirname, "../..");

export type ServerProcess = {
  child: ChildProcess;
  port: number;
  url: string;
  /** Its JSON log lines as they arrive (stderr chunks as `{ stderr }`). */
  logs: Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/**
 * src/main.ts as `npm start -w server` runs it: one Node process, so a signal reaches the server
 * itself. `environment` is laid over this process's, without DATABASE_URL/DATABASE_APP_URL unless
 * given. Resolves once /healthz answers 200.
 */
export async function startServerProcess(environment: Record<string, string>): Promise<ServerProcess> {
  const port = await findFreePort();
  const { DATABASE_URL: _url, DATABASE_APP_URL: _appUrl, ...inherited } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: serverDir,
    env: { ...inherited, LOG_LEVEL: "info", ...environment, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: Record<string, unknown>[] = [];
  let buffered = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split("\n");
    buffered = lines.pop()!;
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line));
      } catch {
        logs.push({ msg: line });
      }
    }
  });
  child.stderr!.on("data", (chunk: Buffer) => logs.push({ stderr: chunk.toString() }));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  const server = { child, port, url: `http://127.0.0.1:${port}`, logs, exited };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early: ${JSON.stringify(logs.slice(-5))}`);
    const healthy = await fetch(`${server.url}/healthz`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (healthy) return server;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`no /healthz within 60 s: ${JSON.stringify(logs.slice(-5))}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const logged = (server: ServerProcess, msg: string) => server.logs.find((entry) => entry.msg === msg);

/**
 * Stops server processes after a suite: SIGTERM, then SIGKILL for one that has not exited within
 * 10 s. Never throws, so that the rest of the clean-up always runs.
 */
export async function stopServerProcesses(servers: ServerProcess[]): Promise<void> {
  await Promise.all(
    servers.map(async (server) => {
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGTERM");
      const stopped = await Promise.race([server.exited.then(() => true), new Promise((resolve) => setTimeout(resolve, 10_000, false))]);
      if (!stopped) {
        server.child.kill("SIGKILL");
        await server.exited;
      }
    }),
  ).catch(() => undefined);
}

/** A set-up call to a server process's GraphQL API: any GraphQL error fails the test with the answer. */
export async function setUpCall(server: ServerProcess, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<any> {
  const response = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(`set-up call failed: ${JSON.stringify(body)}`);
  return body.data;
}
