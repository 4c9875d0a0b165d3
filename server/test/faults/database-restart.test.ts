import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePort, startEmbeddedPostgres, type EmbeddedDatabase } from "../../src/db/embedded-postgres.ts";
import { createLogger } from "../../src/logger.ts";
import { startFakeRapiwa, type FakeRapiwa } from "../../fakes/fake-rapiwa.ts";
import { TEST_SECRET } from "../support/database.ts";
import { eventually } from "../support/messaging.ts";
import { startServerProcess, type ServerProcess } from "../support/server-process.ts";

/**
 * PostgreSQL restarted (fast shutdown, down a few seconds, started again) twice while 16 clients
 * keep sending messages: a database outage is not a bug. Every answer is a success or UNAVAILABLE
 * (HTTP 503 with Retry-After), never INTERNAL; every acknowledged message is kept and sent exactly
 * once; the server serves again by itself; its log says "database unavailable" once per outage.
 *
 * A cluster of this file's own (the suites' shared one is never stopped) on a fixed port, so the
 * server finds it again where it was, and the server as `npm start` runs it (the dispatcher on its
 * own thread), talking to a fake Rapiwa.
 */

const CLIENTS = 16;
const OUTAGES = 2;
/** How long each outage lasts at least (what is being survived, not an assertion). */
const DOWN_FOR_MS = 3_000;
const METRICS_TOKEN = "metrics-token-for-the-database-restart-suite-01";
const RECIPIENT = "+14155550123";

type Answer = { client: number; via: "graphql" | "rest"; text: string; status: number; code: string; retryAfter: string | null; id?: string; body: string };

let dataDir: string;
let port: number;
let cluster: EmbeddedDatabase | undefined;
let server: ServerProcess | undefined;
let rapiwa: FakeRapiwa | undefined;
const logger = createLogger(process.env.TEST_LOG_LEVEL ?? "warn");

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "switchboard-restart-"));
  port = await findFreePort();
  // Durable (not `ephemeral`, which also deletes the cluster on stop): it must come back with its data.
  cluster = await startEmbeddedPostgres({ dataDir, logger, port });
  rapiwa = await startFakeRapiwa();
  server = await startServerProcess({
    NODE_ENV: "test",
    DATABASE_URL: cluster.url,
    SWITCHBOARD_SECRET: TEST_SECRET,
    RAPIWA_BASE_URL: rapiwa.url,
    DISPATCH_ENABLED: "true",
    PROVIDER_TIMEOUT_MS: "5000",
    METRICS_TOKEN,
    LOG_LEVEL: "info",
  });
});

afterAll(async () => {
  if (server && server.child.exitCode === null && server.child.signalCode === null) {
    server.child.kill("SIGTERM");
    const stopped = await Promise.race([server.exited.then(() => true), new Promise((resolve) => setTimeout(resolve, 10_000, false))]);
    if (!stopped) {
      server.child.kill("SIGKILL");
      await server.exited;
    }
  }
  await rapiwa?.close().catch(() => undefined);
  await cluster?.stop().catch(() => undefined);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function graphql(query: string, variables: Record<string, unknown>, token?: string) {
  const response = await fetch(`${server!.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { response, text: await response.text() };
}

async function setUp(query: string, variables: Record<string, unknown>, token?: string) {
  const { text } = await graphql(query, variables, token);
  const body = JSON.parse(text) as { data?: any; errors?: unknown };
  if (body.errors || !body.data) throw new Error(`set-up call failed: ${text}`);
  return body.data;
}

/** One send, as GraphQL's sendMessage or REST's /api/v1/send-message, and what came back. */
async function send(client: number, via: Answer["via"], text: string, key: string): Promise<Answer> {
  let answer: { response: Response; text: string };
  try {
    if (via === "graphql") {
      answer = await graphql(
        `
          mutation ($input: SendMessageInput!) {
            sendMessage(input: $input) {
              id
              status
            }
          }
        `,
        { input: { to: RECIPIENT, text, idempotencyKey: text } },
        key,
      );
    } else {
      const response = await fetch(`${server!.url}/api/v1/send-message`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}`, "idempotency-key": text },
        body: JSON.stringify({ number: RECIPIENT, message: text }),
      });
      answer = { response, text: await response.text() };
    }
  } catch (error) {
    return { client, via, text, status: 0, code: "NO ANSWER", retryAfter: null, body: String(error) };
  }
  let parsed: any;
  try {
    parsed = JSON.parse(answer.text);
  } catch {
    parsed = undefined;
  }
  const error = via === "graphql" ? parsed?.errors?.[0]?.extensions : parsed?.error;
  const id = via === "graphql" ? parsed?.data?.sendMessage?.id : parsed?.id;
  const { status, headers } = answer.response;
  return { client, via, text, status, code: error?.code ?? (id ? "OK" : "NO DATA"), retryAfter: headers.get("retry-after"), id, body: answer.text };
}

const healthz = async () => {
  const response = await fetch(`${server!.url}/healthz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const metric = async (name: string) => {
  const text = await fetch(`${server!.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }).then((response) => response.text());
  return Number(new RegExp(`^${name} (\\d+)$`, "m").exec(text)?.[1]);
};

const logged = (msg: RegExp) => server!.logs.filter((entry) => typeof entry.msg === "string" && msg.test(entry.msg));

describe("PostgreSQL restarted under load", () => {
  it(
    `answers ${CLIENTS} sending clients success or UNAVAILABLE through ${OUTAGES} restarts, keeps every acknowledged message and sends it once`,
    { timeout: 240_000 },
    async () => {
      // Set-up: a tenant with a connected number on the fake, and a sending key.
      const tag = `restart-${Date.now().toString(36)}`;
      const owner = (
        await setUp(`mutation ($input: SignUpInput!) { signUp(input: $input) { token tenant { id } } }`, {
          input: { email: `${tag}@example.com`, password: `correct horse ${tag} battery`, companyName: `Company ${tag}` },
        })
      ).signUp as { token: string; tenant: { id: string } };
      await setUp(
        `mutation ($input: ConnectWhatsAppInput!) { connectWhatsApp(input: $input) { status } }`,
        { input: { apiKey: `rapiwa-key-${owner.tenant.id}`, number: "+8801712345678", sendRatePerSecond: 1000 } },
        owner.token,
      );
      const key = (
        await setUp(
          `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
          { input: { name: "restart load", scopes: ["MESSAGES_SEND", "MESSAGES_READ"] } },
          owner.token,
        )
      ).createApiKey.secret as string;
      const pid = server!.child.pid;

      // 16 clients, half on GraphQL and half on REST, each sending one message after another (a
      // refused one is simply sent again later under a new text, as a client would after Retry-After).
      const answers: Answer[] = [];
      let running = true;
      const clients = Array.from({ length: CLIENTS }, async (_, client) => {
        const via = client % 2 === 0 ? "graphql" : "rest";
        for (let n = 0; running; n++) answers.push(await send(client, via, `${tag} client ${client} message ${n}`, key));
      });
      const successes = () => answers.filter((answer) => answer.code === "OK").length;
      /** Answers other than a success (all UNAVAILABLE, as asserted below). */
      const failedOf = (client: number) => answers.filter((answer) => answer.client === client && answer.code !== "OK").length;

      const healthDuring: Awaited<ReturnType<typeof healthz>>[] = [];
      const upDuring: number[] = [];
      const outages: { refusedBefore: number; refusedAfter: number }[] = [];
      try {
        for (let outage = 1; outage <= OUTAGES; outage++) {
          // Traffic flows before the database goes.
          const before = successes();
          await eventually(
            async () => successes(),
            (count) => count >= before + 100,
            60_000,
          );

          const refusedBefore = answers.filter((answer) => answer.code !== "OK").length;
          const stoppedAt = Date.now();
          await cluster!.stop(); // SIGINT: PostgreSQL's fast shutdown
          // Down until every client has been refused a few times, /healthz says so, and some seconds passed.
          healthDuring.push(await eventually(healthz, (health) => health.status === 503, 10_000));
          upDuring.push(await metric("switchboard_database_up"));
          await eventually(
            async () => ({ elapsed: Date.now() - stoppedAt, refused: Array.from({ length: CLIENTS }, (_, client) => failedOf(client)) }),
            ({ elapsed, refused }) => elapsed >= DOWN_FOR_MS && refused.every((count) => count >= 3),
            30_000,
          );
          cluster = await startEmbeddedPostgres({ dataDir, logger, port });

          // Served again, by the same process, for every client.
          const restartedAt = answers.length;
          await eventually(
            async () =>
              Array.from({ length: CLIENTS }, (_, client) => answers.slice(restartedAt).some((answer) => answer.client === client && answer.code === "OK")),
            (served) => served.every(Boolean),
            60_000,
          );
          outages.push({ refusedBefore, refusedAfter: answers.filter((answer) => answer.code !== "OK").length });
          // As a load balancer would: /healthz is 200 again (and this process has noted the recovery).
          await eventually(healthz, (health) => health.status === 200, 10_000);
        }
      } finally {
        running = false;
        await Promise.all(clients);
      }

      // Every answer: a success, or UNAVAILABLE with HTTP 503 and Retry-After. Never INTERNAL or a 500.
      const unexpected = answers.filter((answer) =>
        answer.code === "OK"
          ? answer.status !== (answer.via === "rest" ? 202 : 200)
          : answer.code !== "UNAVAILABLE" || answer.status !== 503 || answer.retryAfter !== "2",
      );
      expect(unexpected.slice(0, 5)).toEqual([]);
      const refused = answers.filter((answer) => answer.code === "UNAVAILABLE");
      const acknowledged = answers.filter((answer) => answer.code === "OK");
      for (const { refusedBefore, refusedAfter } of outages) expect(refusedAfter - refusedBefore).toBeGreaterThanOrEqual(3 * CLIENTS);
      expect(new Set(refused.map((answer) => JSON.parse(answer.body).errors?.[0]?.message ?? JSON.parse(answer.body).error.message))).toEqual(
        new Set(["The database is not answering; nothing was done. Try again in a few seconds."]),
      );
      expect(server!.child.pid).toBe(pid);
      expect(server!.child.exitCode).toBeNull();

      // Every acknowledged message is stored, and the fake Rapiwa took each exactly once.
      const owners = new pg.Pool({ connectionString: cluster!.url, max: 2 });
      try {
        // Once the dispatcher is done with all of them (none QUEUED or SENDING).
        const rows = await eventually(
          async () =>
            (
              await owners.query<{ id: string; body: string; status: string }>(
                "SELECT id, body, status FROM messages WHERE tenant_id = $1 AND direction = 'OUTBOUND'",
                [owner.tenant.id],
              )
            ).rows,
          (current) => current.every((row) => row.status !== "QUEUED" && row.status !== "SENDING"),
          120_000,
        );
        const stored = new Map(rows.map((row) => [row.body, row]));
        expect(acknowledged.filter((answer) => stored.get(answer.text)?.id !== answer.id).map((answer) => answer.text)).toEqual([]);
        // SENT, also when Rapiwa took it while the database was away: the engine records the outcome
        // once the database is back (within the lease) instead of leaving it UNKNOWN. Never lost or doubled.
        expect(
          acknowledged.filter((answer) => stored.get(answer.text)?.status !== "SENT").map((answer) => [answer.text, stored.get(answer.text)?.status]),
        ).toEqual([]);
        // Refused sends the database had committed before the answer was lost (kept and sent like any other).
        const keptThoughRefused = refused.filter((answer) => stored.has(answer.text)).length;

        const times = new Map<string, number>();
        for (const message of rapiwa!.received()) if (message.message.startsWith(tag)) times.set(message.message, (times.get(message.message) ?? 0) + 1);
        expect(acknowledged.filter((answer) => times.get(answer.text) !== 1).map((answer) => [answer.text, times.get(answer.text) ?? 0])).toEqual([]);
        expect([...times].filter(([text, count]) => count !== 1 || !stored.has(text))).toEqual([]);

        // What the server said: one "database unavailable" per outage (not one per refused request),
        // then "available again" once, counting the requests it refused.
        const down = logged(/^database unavailable$/);
        const back = logged(/^database available again after \d+(\.\d)? s, \d+ requests refused$/);
        expect(down).toHaveLength(OUTAGES);
        expect(back).toHaveLength(OUTAGES);
        const refusedLogged = back.reduce((sum, entry) => sum + (entry.refusedRequests as number), 0);
        // A request refused just as the database came back is counted but belongs to no outage.
        expect(refusedLogged).toBeLessThanOrEqual(refused.length);
        expect(refusedLogged).toBeGreaterThanOrEqual(refused.length - CLIENTS * OUTAGES);
        // Nothing else logged as an error by the API side (the work engine, on its thread, logs its own outage).
        const apiErrors = server!.logs.filter(
          (entry) => (entry.level as number) >= 50 && entry.thread !== "work-engine" && entry.msg !== "database unavailable",
        );
        expect(apiErrors.map((entry) => entry.msg)).toEqual([]);

        // /healthz said so during each outage, and is fine after; so are the metrics.
        for (const health of healthDuring) expect(health.body).toMatchObject({ status: "DEGRADED", database: "down", databaseDownSince: expect.any(String) });
        expect(upDuring).toEqual(Array(OUTAGES).fill(0));
        expect(await healthz()).toEqual({ status: 200, body: { status: "OK", database: "up", databaseLatencyMs: expect.any(Number) } });
        expect(await metric("switchboard_database_up")).toBe(1);
        expect(await metric("switchboard_database_refused_requests_total")).toBe(refused.length);

        console.log(
          `database restarts: ${answers.length} answers, ${acknowledged.length} acknowledged, ${refused.length} UNAVAILABLE ` +
            `(${outages.map(({ refusedBefore, refusedAfter }) => refusedAfter - refusedBefore).join(" + ")}), ${keptThoughRefused} refused but kept, ` +
            `logged: ${down.length} unavailable, ${back.map((entry) => entry.msg).join("; ")}`,
        );
      } finally {
        await owners.end();
      }
    },
  );
});
