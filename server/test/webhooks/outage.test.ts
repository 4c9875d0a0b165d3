import { afterEach, describe, expect, it } from "vitest";
import { startFakeRapiwa } from "../../fakes/fake-rapiwa.ts";
import { TEST_SECRET, createTestDatabase, type TestDatabase } from "../support/database.ts";
import { eventually } from "../support/messaging.ts";
import { setUpCall as graphql, startServerProcess, stopServerProcesses, type ServerProcess } from "../support/server-process.ts";
import { startReceiver } from "./receiver.ts";

/**
 * The webhook promise through a receiver outage and a crash, with real processes: the tenant's
 * receiver answers 503 while 500 messages arrive from contacts, the server is SIGKILLed and
 * restarted in the middle of it, then the receiver comes back. Every message the server
 * acknowledged reaches the receiver, each under one webhook-id, and nothing is lost.
 */

const MESSAGES = 500;
const SENDERS = 16;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

/** The shared loopback receiver, answering 503 while `down`, keeping every request it took with a 2xx. */
async function startOutageReceiver() {
  const state = { down: true, refused: 0, taken: [] as { id: string; text: string }[] };
  const receiver = await startReceiver((request, response) => {
    if (state.down) {
      state.refused++;
      response.writeHead(503).end("down for maintenance");
      return;
    }
    const body = JSON.parse(request.body) as { data: { message: { text: string } } };
    state.taken.push({ id: String(request.headers["webhook-id"]), text: body.data.message.text });
    response.writeHead(204).end();
  });
  cleanups.push(() => receiver.close());
  return { state, url: `http://127.0.0.1:${receiver.port}/hooks` };
}

async function startServer(database: TestDatabase, rapiwaUrl: string): Promise<ServerProcess> {
  const server = await startServerProcess({
    NODE_ENV: "test",
    DATABASE_URL: database.ownerUrl,
    SWITCHBOARD_SECRET: TEST_SECRET,
    RAPIWA_BASE_URL: rapiwaUrl,
    LOG_LEVEL: "warn",
    WEBHOOK_ALLOW_PRIVATE_URLS: "true",
    // Short, so the test is quick: a delivery in flight at the kill is due again 4 s later.
    WEBHOOK_TIMEOUT_MS: "1000",
    // Twenty attempts a second apart: enough to outlast the outage and the restart.
    WEBHOOK_RETRY_SCHEDULE: ["0", ...Array(19).fill("1")].join(","),
  });
  cleanups.push(() => stopServerProcesses([server]));
  return server;
}

describe("webhooks through a receiver outage and a crash", () => {
  it("delivers every acknowledged inbound message once the receiver is back, each under one webhook-id", { timeout: 180_000 }, async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const rapiwa = await startFakeRapiwa();
    cleanups.push(() => rapiwa.close());
    const receiver = await startOutageReceiver();
    let server = await startServer(database, rapiwa.url);

    const tag = `outage-${Date.now().toString(36)}`;
    const signUp = await graphql(
      server,
      `
        mutation ($input: SignUpInput!) {
          signUp(input: $input) {
            token
            tenant {
              id
            }
          }
        }
      `,
      {
        input: { email: `${tag}@example.com`, password: `correct horse ${tag} battery`, companyName: `Outage ${tag}` },
      },
    );
    const token = signUp.signUp.token as string;
    const tenantId = signUp.signUp.tenant.id as string;
    const connected = await graphql(
      server,
      `
        mutation ($input: ConnectWhatsAppInput!) {
          connectWhatsApp(input: $input) {
            inboundWebhookUrl
          }
        }
      `,
      { input: { apiKey: `rapiwa-key-${tenantId}`, number: "+8801712345678" } },
      token,
    );
    const inboundPath = new URL(connected.connectWhatsApp.inboundWebhookUrl as string).pathname;
    await graphql(
      server,
      `
        mutation ($input: CreateWebhookEndpointInput!) {
          createWebhookEndpoint(input: $input) {
            secret
          }
        }
      `,
      { input: { url: receiver.url, events: ["MESSAGE_RECEIVED"], description: "outage test" } },
      token,
    );

    // Contacts write; a callback the server did not acknowledge (it was being killed) is sent
    // again, as Rapiwa would. Halfway, the server is killed and started again.
    const acknowledged = new Set<string>();
    let next = 0;
    let restarting: Promise<void> | undefined;
    const sender = async () => {
      while (next < MESSAGES) {
        const index = next++;
        const text = `${tag} message ${String(index).padStart(3, "0")}`;
        for (;;) {
          if (index === MESSAGES / 2 && !restarting) {
            restarting = (async () => {
              server.child.kill("SIGKILL");
              await server.exited;
              server = await startServer(database, rapiwa.url);
            })();
          }
          await restarting;
          const reply = await fetch(`${server.url}${inboundPath}`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ event: "message", data: { from: "8801811111111", message: text, messageId: `wamid.${tag}.${index}` } }),
          }).catch(() => undefined);
          if (reply?.status === 200) {
            acknowledged.add(text);
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, sender));
    expect(acknowledged.size).toBe(MESSAGES);
    // The outage is real to the server: deliveries reach the receiver and are refused. They may start only
    // after the last callback was acknowledged (the restarted process's work engine starts its thread after
    // /healthz answers, slowly on a loaded machine), so wait for that rather than assume it already happened.
    await eventually(
      async () => receiver.state.refused,
      (refused) => refused > 0,
      60_000,
    );
    expect(receiver.state.refused).toBeGreaterThan(0);

    // The receiver comes back: everything acknowledged arrives.
    receiver.state.down = false;
    const taken = await eventually(
      async () => receiver.state.taken,
      (list) => new Set(list.map((entry) => entry.text)).size >= MESSAGES,
      120_000,
    );
    const idsByText = new Map<string, Set<string>>();
    for (const { id, text } of taken) idsByText.set(text, (idsByText.get(text) ?? new Set()).add(id));
    expect([...acknowledged].filter((text) => !idsByText.has(text))).toEqual([]);
    // Each message under one webhook-id, however often it had to be tried.
    expect([...idsByText].filter(([, ids]) => ids.size !== 1)).toEqual([]);
    // And every delivery recorded as succeeded.
    const { rows } = await database.ownerPool.query("SELECT status, count(*)::int AS n FROM webhook_deliveries WHERE tenant_id = $1 GROUP BY status", [
      tenantId,
    ]);
    expect(rows).toEqual([{ status: "SUCCEEDED", n: MESSAGES }]);
  });
});
