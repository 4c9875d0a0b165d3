import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeRapiwa, type FakeRapiwa } from "../../fakes/fake-rapiwa.ts";
import { TEST_SECRET, createTestDatabase, type TestDatabase } from "../support/database.ts";
import { subscribeToChanges, type Change, type LiveSubscription } from "../support/live.ts";
import { eventually } from "../support/messaging.ts";
import { setUpCall as setUp, startServerProcess, stopServerProcesses, type ServerProcess } from "../support/server-process.ts";

/**
 * The inbox's live updates across processes: what one server process accepts, sends or receives
 * reaches subscriptions held on another, through PostgreSQL NOTIFY (tenant ids only) and each
 * process's tenant-scoped read of what changed.
 */

let database: TestDatabase | undefined;
let rapiwa: FakeRapiwa | undefined;
const servers: ServerProcess[] = [];
const open: LiveSubscription[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  rapiwa = await startFakeRapiwa();
  for (let index = 0; index < 2; index++) {
    servers.push(
      await startServerProcess({
        NODE_ENV: "test",
        DATABASE_URL: database.ownerUrl,
        SWITCHBOARD_SECRET: TEST_SECRET,
        RAPIWA_BASE_URL: rapiwa.url,
        PROVIDER_TIMEOUT_MS: "5000",
        LOG_LEVEL: "warn",
        // Far beyond the waits below: only the NOTIFY wake-ups can bring a change in time.
        LIVE_POLL_MS: "600000",
      }),
    );
  }
});

afterAll(async () => {
  for (const subscription of open) subscription.close();
  await stopServerProcesses(servers);
  await rapiwa?.close().catch(() => undefined);
  await database?.drop().catch(() => undefined);
});

type Tenant = { token: string; tenantId: string; key: string };

let counter = 0;
async function connectedTenant(server: ServerProcess, number: string): Promise<Tenant> {
  counter += 1;
  const tag = `${Date.now().toString(36)}-${counter}`;
  const account = { email: `live-${tag}@example.com`, password: `correct horse ${tag} battery`, companyName: `Live ${tag}` };
  const signedUp = await setUp(server, `mutation ($input: SignUpInput!) { signUp(input: $input) { token tenant { id } } }`, { input: account });
  const token = signedUp.signUp.token as string;
  const tenantId = signedUp.signUp.tenant.id as string;
  await setUp(
    server,
    `mutation ($input: ConnectWhatsAppInput!) { connectWhatsApp(input: $input) { status } }`,
    { input: { apiKey: `rapiwa-key-${tenantId}`, number, sendRatePerSecond: 100 } },
    token,
  );
  const key = await setUp(
    server,
    `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
    { input: { name: "live", scopes: ["MESSAGES_SEND"] } },
    token,
  );
  return { token, tenantId, key: key.createApiKey.secret as string };
}

async function send(server: ServerProcess, tenant: Tenant, to: string, text: string): Promise<string> {
  const data = await setUp(server, `mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id } }`, { input: { to, text } }, tenant.key);
  return data.sendMessage.id as string;
}

function subscribe(server: ServerProcess, options: Parameters<typeof subscribeToChanges>[1]) {
  const subscription = subscribeToChanges(server.url, options);
  open.push(subscription);
  return subscription;
}

const LIFECYCLE = ["QUEUED", "SENDING", "SENT"];
/**
 * A message's states as a subscriber saw them: in lifecycle order, each once, ending SENT. A change
 * is read as the row stands when the feed reads it, so a step overtaken before that read (QUEUED
 * claimed at once) can be skipped, never repeated or reordered.
 */
const expectLifecycle = (statuses: string[]) => {
  expect(statuses.at(-1)).toBe("SENT");
  expect(statuses.map((status) => LIFECYCLE.indexOf(status))).toEqual([...new Set(statuses.map((status) => LIFECYCLE.indexOf(status)))].sort());
};

const keyOf = (change: Change) => `${change.message.id} ${change.message.status} ${change.message.statusChangedAt}`;

describe("live message changes across server processes", () => {
  it("shows a message sent through one process, then its status changes, on a subscription held on the other", async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const tenant = await connectedTenant(a, "+8801712340001");
    const live = subscribe(b, { token: tenant.token });
    await live.connected;

    const id = await send(a, tenant, "+14155550101", "hello from process A");
    const seen = await eventually(
      async () => live.changes.filter((change) => change.message.id === id),
      (changes) => changes.some((change) => change.message.status === "SENT"),
      20_000,
    );
    expect(seen[0]).toMatchObject({ contact: "+14155550101", message: { direction: "OUTBOUND", text: "hello from process A" } });
    // The steps in order, each once: QUEUED (accepted), SENDING (claimed), SENT (recorded).
    expectLifecycle(seen.map((change) => change.message.status));
    expect(live.errors).toEqual([]);
  });

  it("resumes from a cursor after a reconnect: every missed change once, nothing seen before again", async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const tenant = await connectedTenant(a, "+8801712340002");
    const first = subscribe(b, { token: tenant.token });
    await first.connected;
    const before = await send(a, tenant, "+14155550102", "before the disconnect");
    await eventually(
      async () => first.changes,
      (changes) => changes.some((change) => change.message.id === before && change.message.status === "SENT"),
      20_000,
    );
    first.close();
    const cursor = first.changes.at(-1)!.cursor;

    // Sent while nobody listens, through both processes.
    const missed: string[] = [];
    for (let index = 0; index < 6; index++) missed.push(await send(index % 2 ? a : b, tenant, `+1415555011${index}`, `missed ${index}`));

    // All of them sent before anyone listens again: only the catch-up from the cursor can bring them.
    await eventually(
      async () => setUp(a, `{ messages(filter: { statuses: [SENT] }, first: 50) { edges { node { id } } } }`, {}, tenant.key),
      (data) => missed.every((id) => data.messages.edges.some((edge: { node: { id: string } }) => edge.node.id === id)),
      20_000,
    );

    const resumed = subscribe(a, { token: tenant.token, after: cursor });
    const after = await eventually(
      async () => resumed.changes,
      (changes) => missed.every((id) => changes.some((change) => change.message.id === id)),
      20_000,
    );
    const keys = [...first.changes, ...after].map(keyOf);
    expect(new Set(keys).size).toBe(keys.length);
    // Each missed message once, as it stands now.
    for (const id of missed) expect(after.filter((change) => change.message.id === id).map((change) => change.message.status)).toEqual(["SENT"]);
    expect(after.some((change) => change.message.id === before)).toBe(false);
    // In the feed's order, as messages(orderBy: STATUS_CHANGED_AT) pages.
    const order = after.map((change) => [change.message.statusChangedAt, change.message.id].join(" "));
    expect([...order].sort()).toEqual(order);
  });

  it("never shows one tenant's messages to another tenant's subscription", async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const tenantA = await connectedTenant(a, "+8801712340003");
    const tenantB = await connectedTenant(b, "+8801712340004");
    const watchingA = subscribe(b, { token: tenantA.token });
    const watchingB = subscribe(b, { token: tenantB.token });
    const watchingBOnA = subscribe(a, { token: tenantB.key });
    await Promise.all([watchingA.connected, watchingB.connected, watchingBOnA.connected]);

    const ids = [await send(a, tenantA, "+14155550120", "for A's eyes only"), await send(b, tenantA, "+14155550121", "also A's")];
    const mine = await send(b, tenantB, "+14155550122", "B's own");
    await eventually(
      async () => watchingA.changes,
      (changes) => ids.every((id) => changes.some((change) => change.message.id === id && change.message.status === "SENT")),
      20_000,
    );
    await eventually(
      async () => [watchingB.changes, watchingBOnA.changes],
      (lists) => lists.every((changes) => changes.some((change) => change.message.id === mine && change.message.status === "SENT")),
      20_000,
    );
    for (const changes of [watchingB.changes, watchingBOnA.changes]) {
      expect(changes.every((change) => change.message.id === mine)).toBe(true);
    }
    expect(watchingA.changes.some((change) => change.message.id === mine)).toBe(false);
  });

  it("refuses a subscription without credentials as UNAUTHENTICATED, and a bad cursor as BAD_USER_INPUT", async () => {
    const [, b] = servers as [ServerProcess, ServerProcess];
    const anonymous = subscribe(b, {});
    await anonymous.done;
    expect(anonymous.changes).toEqual([]);
    expect(anonymous.errors[0]?.extensions?.code).toBe("UNAUTHENTICATED");

    const tenant = await connectedTenant(b, "+8801712340005");
    const forged = subscribe(b, { token: tenant.token, after: "not-a-cursor" });
    await forged.done;
    expect(forged.errors[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
  });
});
