import type pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { ensureSandboxWhatsApp, errorCode, expectData, signUp, startTestApi, type SignedUp, type TestApi } from "../support/api.ts";
import { eventually } from "../support/messaging.ts";
import { newStaff, SEARCH, startSession, type Staff } from "./staff.ts";

/**
 * A search that cannot finish is made honestly: another transaction holds a lock the search needs (its
 * own audit insert), as a long-running statement or a lock queue would in production. It then waits on
 * the support pool's own connections, which carry the statement timeout.
 */

const CONTACT = "+14155550123";
const SEND = `mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id status } }`;

let api: TestApi | undefined;
let locker: pg.PoolClient | undefined;
afterEach(async () => {
  await locker?.query("ROLLBACK").catch(() => undefined);
  locker?.release();
  locker = undefined;
  await api?.close();
  api = undefined;
});

async function world(environment: Record<string, string>): Promise<{ api: TestApi; owner: SignedUp; staff: Staff; sessionId: string }> {
  api = await startTestApi({ environment });
  const owner = await signUp(api, "slow-search");
  await ensureSandboxWhatsApp(api, owner);
  expectData(await api.graphql(SEND, { input: { to: CONTACT, text: "a message to find" } }, { token: owner.token, tenantId: owner.tenantId }));
  const staff = await newStaff(api);
  return { api, owner, staff, sessionId: await startSession(api, staff) };
}

/** Holds the access log against inserts until the test ends (or commits). */
async function blockAuditWrites(testApi: TestApi) {
  locker = await testApi.database.ownerPool.connect();
  await locker.query("BEGIN");
  await locker.query("LOCK TABLE support_access_log IN EXCLUSIVE MODE");
}

const waitingSearches = async (testApi: TestApi) =>
  Number(
    (
      await testApi.database.ownerPool.query(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%support_search_messages%'",
      )
    ).rows[0].count,
  );

describe("slow support searches", () => {
  it("are stopped by the support connections' statement timeout and answered TIMEOUT, asking to narrow the search", async () => {
    const { api, staff, sessionId } = await world({ SUPPORT_STATEMENT_TIMEOUT_MS: "300" });
    await blockAuditWrites(api);
    const result = await api.graphql(SEARCH, { sessionId, filter: { contact: CONTACT } }, { token: staff.token });
    expect(errorCode(result)).toBe("TIMEOUT");
    expect(result.errors![0]!.message).toMatch(/Narrow it/);
    // The read was not returned without its record: nothing was shown, nothing is in the log.
    expect(result.data?.supportSearchMessages ?? null).toBeNull();
    await locker!.query("COMMIT");
    expect(Number((await api.database.ownerPool.query("SELECT count(*) FROM support_access_log")).rows[0].count)).toBe(0);
    // Unblocked, the same search answers (and is recorded).
    const again = await api.graphql(SEARCH, { sessionId, filter: { contact: CONTACT } }, { token: staff.token });
    expect(expectData(again).supportSearchMessages.edges).toHaveLength(1);
  });

  it("wait on their own connections: with every support connection stuck, tenants still send and read", async () => {
    const { api, owner, staff, sessionId } = await world({ SUPPORT_STATEMENT_TIMEOUT_MS: "60000", SUPPORT_DATABASE_POOL_SIZE: "2", DATABASE_POOL_SIZE: "2" });
    await blockAuditWrites(api);
    const searches = [1, 2, 3].map(() => api.graphql(SEARCH, { sessionId, filter: { contact: CONTACT } }, { token: staff.token }));
    // Both support connections are in use, waiting; the third search waits for one of them.
    await eventually(
      () => waitingSearches(api),
      (count) => count === 2,
    );
    const caller = { token: owner.token, tenantId: owner.tenantId };
    for (let i = 0; i < 4; i++) {
      expect(errorCode(await api.graphql(SEND, { input: { to: CONTACT, text: `sent while support waits ${i}` } }, caller))).toBe("none");
    }
    expect(expectData(await api.graphql(`{ messages(first: 10) { edges { node { id } } } }`, {}, caller)).messages.edges).toHaveLength(5);
    expect(await waitingSearches(api)).toBe(2);
    await locker!.query("COMMIT");
    for (const result of await Promise.all(searches)) expect(expectData(result).supportSearchMessages.edges.length).toBeGreaterThan(0);
  });
});
