import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

// The real server from this repository, started as `npm start -w server` starts it (no DATABASE_URL: an
// embedded PostgreSQL in a data folder of its own), and set-up calls that an integrator makes once in the
// dashboard. The example's own code (src/) knows nothing of this: it only talks to the server's URL.

const serverDir = path.resolve(import.meta.dirname, "../../../../server");

export type Switchboard = { url: string; stop(): Promise<void> };

export async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startSwitchboard(): Promise<Switchboard> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "switchboard-example-"));
  const port = await freePort();
  const { DATABASE_URL: _url, DATABASE_APP_URL: _appUrl, SWITCHBOARD_SECRET: _secret, ...inherited } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: serverDir,
    env: { ...inherited, NODE_ENV: "development", DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: "warn", WEBHOOK_ALLOW_PRIVATE_URLS: "true" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    if ((await Promise.race([exited.then(() => true), sleep(15_000, false, { ref: false })])) === false) {
      child.kill("SIGKILL");
      await exited;
      await stopLeftoverPostgres(dataDir);
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  // Started once /healthz answers (polled: the server has no other way to say it is ready).
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`the server exited while starting: ${stderr}`);
    }
    const healthy = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return { url, stop };
    await sleep(100);
  }
}

/** A server killed with SIGKILL leaves its PostgreSQL running: stop it before removing its folder. */
async function stopLeftoverPostgres(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, "pg", "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt((await readFile(pidFile, "utf8")).split("\n")[0] ?? "", 10);
  if (Number.isInteger(pid) && pid > 0) {
    try {
      process.kill(pid, "SIGINT");
    } catch {
      // already gone
    }
  }
}

/** One GraphQL call as the dashboard makes it (a session token); any error fails the set-up. */
export async function setUpCall<Data>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<Data> {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Data; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(`set-up call failed: ${JSON.stringify(body)}`);
  return body.data;
}

export type Tenant = { token: string; apiKey: string };

/** Signs up, connects the built-in sandbox number (sends succeed without a provider) and creates an API key. */
export async function newTenant(url: string): Promise<Tenant> {
  const tag = Math.random().toString(36).slice(2, 10);
  const { signUp } = await setUpCall<{ signUp: { token: string } }>(url, `mutation ($input: SignUpInput!) { signUp(input: $input) { token } }`, {
    input: { email: `example-${tag}@example.com`, password: `correct horse ${tag} battery`, companyName: `Example ${tag}` },
  });
  const token = signUp.token;
  await setUpCall(
    url,
    `mutation ($input: ConnectWhatsAppInput!) { connectWhatsApp(input: $input) { status } }`,
    { input: { apiKey: "sandbox_example", number: "+8801711000001" } },
    token,
  );
  const { createApiKey } = await setUpCall<{ createApiKey: { secret: string } }>(
    url,
    `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
    { input: { name: "example client", scopes: ["MESSAGES_SEND"] } },
    token,
  );
  return { token, apiKey: createApiKey.secret };
}

/** A webhook endpoint for `message.sent` events at `url`; returns its id and signing secret. */
export async function createEndpoint(server: string, tenant: Tenant, url: string): Promise<{ id: string; secret: string }> {
  const { createWebhookEndpoint } = await setUpCall<{ createWebhookEndpoint: { secret: string; endpoint: { id: string } } }>(
    server,
    `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id } } }`,
    { input: { url, events: ["MESSAGE_SENT"], description: "example receiver" } },
    tenant.token,
  );
  return { id: createWebhookEndpoint.endpoint.id, secret: createWebhookEndpoint.secret };
}
