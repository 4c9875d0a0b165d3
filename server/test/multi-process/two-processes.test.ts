import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOG_IN_LIMITS } from "../../src/modules/auth/rate-limits.ts";
import { startFakeRapiwa, type FakeRapiwa } from "../../fakes/fake-rapiwa.ts";
import { TEST_SECRET, createTestDatabase, type TestDatabase } from "../support/database.ts";
import { eventually } from "../support/messaging.ts";
import { startServerProcess, stopServerProcesses, type ServerProcess } from "../support/server-process.ts";

/**
 * Switchboard as it runs behind a load balancer: two server processes (src/main.ts, as `npm start`
 * runs it) on one database, both taking API traffic and both dispatching. What one process learns
 * (a revoked key, a failed log-in) must hold on the other at once, and the two dispatchers must
 * share the outbox without sending anything twice.
 *
 * Each process talks to a fake Rapiwa of its own, so the fakes show which process sent what.
 */

const CONFIRMATION_PREFIX = "Switchboard:";
const MESSAGE_COUNT = 200;

let database: TestDatabase | undefined;
const fakes: FakeRapiwa[] = [];
const servers: ServerProcess[] = [];

async function startServer(rapiwa: FakeRapiwa): Promise<ServerProcess> {
  const server = await startServerProcess({
    NODE_ENV: "test",
    DATABASE_URL: database!.ownerUrl,
    SWITCHBOARD_SECRET: TEST_SECRET,
    RAPIWA_BASE_URL: rapiwa.url,
    DISPATCH_ENABLED: "true",
    // Generous, so a loaded machine never turns a slow answer into UNKNOWN (not what is under test).
    PROVIDER_TIMEOUT_MS: "5000",
    // Claims of one message at a time (batch = concurrency / 4), so the two dispatchers claim from
    // the same backlog many times over, at the same moments: what a missing row lock would double.
    DISPATCH_CONCURRENCY: "4",
    LOG_LEVEL: "warn",
  });
  servers.push(server);
  return server;
}

beforeAll(async () => {
  // The copy is already migrated: each process finds no pending migration and only gives the app
  // role its (secret-derived, identical) password. Started one after the other, so the two do not
  // alter that role at the same moment.
  database = await createTestDatabase();
  for (let index = 0; index < 2; index++) fakes.push(await startFakeRapiwa());
  for (const fake of fakes) await startServer(fake);
});

afterAll(async () => {
  // Nothing here may throw before everything is stopped: each step swallows its own failure.
  await stopServerProcesses(servers);
  await Promise.all(fakes.map((fake) => fake.close().catch(() => undefined)));
  await database?.drop().catch(() => undefined);
});

type GraphQLBody = { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };

async function graphql(server: ServerProcess, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLBody> {
  const response = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLBody;
}

/** Set-up calls: any GraphQL error fails the test with the answer. */
async function setUp(server: ServerProcess, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const body = await graphql(server, query, variables, token);
  if (body.errors || !body.data) throw new Error(`set-up call failed: ${JSON.stringify(body)}`);
  return body.data;
}

const codeOf = (body: GraphQLBody) => body.errors?.[0]?.extensions?.code ?? "none";

async function signUp(server: ServerProcess, label: string) {
  const tag = `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const account = { email: `${tag}@example.com`, password: `correct horse ${tag} battery`, companyName: `Company ${tag}` };
  const data = await setUp(server, `mutation ($input: SignUpInput!) { signUp(input: $input) { token tenant { id } } }`, { input: account });
  return { ...account, token: data.signUp.token as string, tenantId: data.signUp.tenant.id as string };
}

async function createApiKey(server: ServerProcess, sessionToken: string, scopes: string[]) {
  const data = await setUp(
    server,
    `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }`,
    { input: { name: "two processes", scopes } },
    sessionToken,
  );
  return { id: data.createApiKey.apiKey.id as string, secret: data.createApiKey.secret as string };
}

describe("two server processes on one database", () => {
  it("a key revoked through one process is refused by the other at once (by NOTIFY, not the cache's expiry)", async () => {
    const [first, second] = servers as [ServerProcess, ServerProcess];
    const owner = await signUp(first, "revoke");
    const key = await createApiKey(first, owner.token, ["MESSAGES_READ"]);
    const TENANT = `{ tenant { id } }`;

    // Used on the second process, so it holds the verified key in its cache.
    for (let use = 0; use < 2; use++) expect((await graphql(second, TENANT, {}, key.secret)).data?.tenant.id).toBe(owner.tenantId);

    await setUp(first, `mutation ($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`, { id: key.id }, owner.token);

    // The revocation reaches the second process by NOTIFY, sent at commit, so it is normally there
    // before the next request; on a loaded machine the listening backend can be a moment late (seen
    // once in about six runs), so this polls, for far less than the cache's 60 s lifetime: without the
    // announcement the second process keeps serving the key from its cache and this times out.
    let servedAfterRevocation = -1;
    const after = await eventually(
      () => {
        servedAfterRevocation++;
        return graphql(second, TENANT, {}, key.secret);
      },
      (body) => codeOf(body) === "UNAUTHENTICATED",
      5_000,
    );
    expect(after.errors?.[0]?.message).toBe("This API key is not valid or was revoked.");
    console.log(`revocation: the second process served the revoked key ${servedAfterRevocation} more times`);
    expect(codeOf(await graphql(first, TENANT, {}, key.secret))).toBe("UNAUTHENTICATED");
  });

  it("counts failed log-ins across both processes: 5 on each, then the 11th is refused on either", async () => {
    const [first, second] = servers as [ServerProcess, ServerProcess];
    const owner = await signUp(first, "guessed");
    const LOG_IN = `mutation ($input: LogInInput!) { logIn(input: $input) { token } }`;
    const logIn = (server: ServerProcess, password: string) => graphql(server, LOG_IN, { input: { email: owner.email, password } });

    // Both processes see the same address (127.0.0.1): one attacker spreading guesses over them.
    const limit = LOG_IN_LIMITS.failuresPerAccountAndAddress;
    expect(limit).toBe(10);
    for (let attempt = 1; attempt <= limit; attempt++) {
      const server = attempt <= limit / 2 ? first : second;
      expect(codeOf(await logIn(server, `wrong guess ${attempt}`)), `attempt ${attempt}`).toBe("UNAUTHENTICATED");
    }

    for (const server of [second, first]) {
      const refused = await logIn(server, owner.password);
      expect(codeOf(refused)).toBe("RATE_LIMITED");
      expect(refused.errors?.[0]?.message).toMatch(/^Too many failed log-ins for this account from this address\. Try again in \d+ s\.$/);
    }
  });

  it(`dispatches each of ${MESSAGE_COUNT} messages exactly once with both processes dispatching`, async () => {
    const [first, second] = servers as [ServerProcess, ServerProcess];
    const owner = await signUp(first, "dispatch");
    const connected = await setUp(
      first,
      `mutation ($input: ConnectWhatsAppInput!) { connectWhatsApp(input: $input) { status provider } }`,
      { input: { apiKey: `rapiwa-key-${owner.tenantId}`, number: "+8801712345678", sendRatePerSecond: 1000 } },
      owner.token,
    );
    expect(connected.connectWhatsApp).toEqual({ status: "CONNECTED", provider: "RAPIWA" });
    const key = await createApiKey(first, owner.token, ["MESSAGES_SEND", "MESSAGES_READ"]);
    // Sends that take a moment keep a backlog both dispatchers claim from while messages arrive.
    for (const fake of fakes) fake.configure({ latencyMs: 50 });

    // Accepted alternately by the two processes, a few requests at a time.
    const texts = Array.from({ length: MESSAGE_COUNT }, (_, index) => `two processes ${owner.tenantId} #${String(index + 1).padStart(3, "0")}`);
    let next = 0;
    const client = async () => {
      while (next < texts.length) {
        const index = next++;
        const server = index % 2 === 0 ? first : second;
        const response = await fetch(`${server.url}/api/v1/send-message`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${key.secret}` },
          body: JSON.stringify({ number: "+14155550123", message: texts[index] }),
        });
        const body = (await response.json()) as { status?: string };
        if (response.status !== 202 || body.status !== "QUEUED") throw new Error(`send ${index} refused: ${response.status} ${JSON.stringify(body)}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, client));

    const rows = await eventually(
      async () =>
        (
          await database!.ownerPool.query<{ body: string; status: string; attempts: number }>(
            `SELECT body, status, attempts FROM messages WHERE tenant_id = $1 AND direction = 'OUTBOUND'`,
            [owner.tenantId],
          )
        ).rows,
      (current) => current.length === MESSAGE_COUNT && current.every((row) => row.status !== "QUEUED" && row.status !== "SENDING"),
      60_000,
    );
    expect(rows.filter((row) => row.status !== "SENT" || row.attempts !== 1)).toEqual([]);

    // What the two fakes took (each process's own), the connection's confirmation left out.
    const sentBy = fakes.map((fake) =>
      fake
        .received()
        .filter((entry) => !entry.message.startsWith(CONFIRMATION_PREFIX))
        .map((entry) => entry.message),
    );
    const timesSent = new Map<string, number>();
    for (const message of sentBy.flat()) timesSent.set(message, (timesSent.get(message) ?? 0) + 1);
    expect([...timesSent.entries()].filter(([, times]) => times !== 1)).toEqual([]);
    expect([...timesSent.keys()].sort()).toEqual([...texts].sort());
    console.log(`two processes: sent ${sentBy.map((messages) => messages.length).join(" + ")}`);
  });
});
