import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeRapiwa, type FakeRapiwa } from "../../fakes/fake-rapiwa.ts";
import { TEST_SECRET, createTestDatabase, type TestDatabase } from "../support/database.ts";
import { eventually } from "../support/messaging.ts";
import { setUpCall as setUp, startServerProcess, stopServerProcesses, type ServerProcess } from "../support/server-process.ts";

/**
 * The README's production shape: API processes with DISPATCH_ENABLED=false behind a load balancer,
 * and one process that dispatches. The API process announces new work with NOTIFY after its commit;
 * the dispatcher's poll is set to a minute here, so only that wake-up can get a message sent
 * within the test's wait.
 */

let database: TestDatabase | undefined;
let rapiwa: FakeRapiwa | undefined;
const servers: ServerProcess[] = [];

async function startServer(environment: Record<string, string>): Promise<ServerProcess> {
  const server = await startServerProcess({
    NODE_ENV: "test",
    DATABASE_URL: database!.ownerUrl,
    SWITCHBOARD_SECRET: TEST_SECRET,
    RAPIWA_BASE_URL: rapiwa!.url,
    PROVIDER_TIMEOUT_MS: "5000",
    LOG_LEVEL: "warn",
    ...environment,
  });
  servers.push(server);
  return server;
}

beforeAll(async () => {
  database = await createTestDatabase();
  rapiwa = await startFakeRapiwa();
  await startServer({ DISPATCH_ENABLED: "false" });
  await startServer({ DISPATCH_ENABLED: "true", DISPATCH_POLL_MS: "60000" });
});

afterAll(async () => {
  await stopServerProcesses(servers);
  await rapiwa?.close().catch(() => undefined);
  await database?.drop().catch(() => undefined);
});

describe("API processes that do not dispatch, and one that does", () => {
  it("sends what an API process accepted, woken at once rather than at the dispatcher's next poll", async () => {
    const [api] = servers as [ServerProcess, ServerProcess];
    const tag = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    const account = { email: `split-${tag}@example.com`, password: `correct horse ${tag} battery`, companyName: `Split ${tag}` };
    const signedUp = await setUp(api, `mutation ($input: SignUpInput!) { signUp(input: $input) { token tenant { id } } }`, { input: account });
    const token = signedUp.signUp.token as string;
    const tenantId = signedUp.signUp.tenant.id as string;
    await setUp(
      api,
      `mutation ($input: ConnectWhatsAppInput!) { connectWhatsApp(input: $input) { status } }`,
      { input: { apiKey: `rapiwa-key-${tenantId}`, number: "+8801712345678", sendRatePerSecond: 100 } },
      token,
    );
    const key = await setUp(
      api,
      `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
      { input: { name: "split", scopes: ["MESSAGES_SEND"] } },
      token,
    );

    const texts = Array.from({ length: 5 }, (_, index) => `split processes ${tag} #${index}`);
    for (const text of texts) {
      const response = await fetch(`${api.url}/api/v1/send-message`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key.createApiKey.secret}` },
        body: JSON.stringify({ number: "+14155550123", message: text }),
      });
      expect(response.status).toBe(202);
    }
    // Well inside the dispatcher's 60 s poll: only a wake-up can have brought it.
    const received = await eventually(
      async () => rapiwa!.received().filter((entry) => texts.includes(entry.message)),
      (list) => list.length === texts.length,
      20_000,
    );
    expect(received.map((entry) => entry.message).sort()).toEqual([...texts].sort());
  });
});
