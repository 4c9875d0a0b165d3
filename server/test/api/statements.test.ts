import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeMonth, previousMonth, statementClosing } from "../../src/modules/usage/statements.ts";
import { createApiKey, errorCode, expectData, signUp, startTestApi, type SignedUp, type TestApi } from "../support/api.ts";

/** Closing a month freezes its usage and price into a statement that later changes cannot alter. */
let api: TestApi;
let northwind: SignedUp;
let globex: SignedUp;

const STATEMENT_FIELDS = `month messagesSent messagesReceived messagesFailed connectedNumbers tier planPrice { amount currencyCode } providerCost { amount } total { amount } closedAt`;
const statements = (account: SignedUp) => api.graphql(`{ statements { ${STATEMENT_FIELDS} } }`, {}, { token: account.token, tenantId: account.tenantId });
const statement = (account: SignedUp, month: string) =>
  api.graphql(`query ($month: String!) { statement(month: $month) { ${STATEMENT_FIELDS} } }`, { month }, { token: account.token, tenantId: account.tenantId });
const usage = (account: SignedUp, month: string) =>
  api.graphql(
    `query ($month: String!) { usage(month: $month) { messagesSent messagesReceived messagesFailed connectedNumbers tier total { amount } } }`,
    { month },
    {
      token: account.token,
      tenantId: account.tenantId,
    },
  );

/** Messages written straight into the log (as the owner), dated in the past: the API only creates messages now. */
async function addMessages(tenantId: string, at: string, rows: { direction: "OUTBOUND" | "INBOUND"; status: string; count: number }[]) {
  for (const { direction, status, count } of rows)
    await api.database.ownerPool.query(
      `INSERT INTO messages (id, tenant_id, direction, from_number, to_number, contact_number, body, preview, status, created_at, status_changed_at)
       SELECT gen_random_uuid(), $1, $2::"MessageDirection", '+8801711000001', '+14155550100', '+14155550100', 'hello', 'hello', $3::"MessageStatus", $4::timestamptz, $4::timestamptz
         FROM generate_series(1, $5)`,
      [tenantId, direction, status, at, count],
    );
}

beforeAll(async () => {
  api = await startTestApi();
  northwind = await signUp(api, "statements-northwind");
  globex = await signUp(api, "statements-globex");
  // Both companies existed before October 2026.
  await api.database.ownerPool.query("UPDATE tenants SET created_at = '2026-09-01T00:00:00Z' WHERE id = ANY ($1::uuid[])", [
    [northwind.tenantId, globex.tenantId],
  ]);
  await api.database.ownerPool.query(
    `INSERT INTO whatsapp_connections (id, tenant_id, provider, number, api_key_ciphertext, inbound_token_hash, inbound_token_ciphertext, status, connected_at)
     VALUES (gen_random_uuid(), $1, 'SANDBOX', '+8801711000001', 'x', md5(random()::text), 'x', 'CONNECTED', '2026-09-20T00:00:00Z')`,
    [northwind.tenantId],
  );
  await addMessages(northwind.tenantId, "2026-10-15T12:00:00Z", [
    { direction: "OUTBOUND", status: "DELIVERED", count: 1_200 },
    { direction: "OUTBOUND", status: "FAILED", count: 3 },
    { direction: "INBOUND", status: "RECEIVED", count: 40 },
  ]);
  await addMessages(globex.tenantId, "2026-10-03T08:00:00Z", [{ direction: "OUTBOUND", status: "SENT", count: 7 }]);
});
afterAll(() => api?.close());

describe("monthly statements", () => {
  it("a month not closed has no statement; closing writes each tenant's usage and price, as `usage` computed it", async () => {
    expect(expectData(await statement(northwind, "2026-10")).statement).toBeNull();
    const before = expectData(await usage(northwind, "2026-10")).usage;

    expect(await closeMonth(api.database.db, "2026-10")).toBe(2);

    const { statements: list } = expectData(await statements(northwind));
    expect(list).toEqual([
      {
        month: "2026-10",
        messagesSent: 1_200,
        messagesReceived: 40,
        messagesFailed: 3,
        connectedNumbers: 1,
        tier: "GROWTH",
        planPrice: { amount: "79.00", currencyCode: "USD" },
        providerCost: { amount: "5.00" },
        total: { amount: "84.00" },
        closedAt: expect.any(String),
      },
    ]);
    expect(list[0]).toMatchObject({ ...before, total: before.total });
    expect(expectData(await statement(globex, "2026-10")).statement).toMatchObject({ messagesSent: 7, tier: "STARTER", total: { amount: "29.00" } });
  });

  it("later changes cannot alter a closed statement: new late messages, closing again, or writing to the table", async () => {
    await addMessages(northwind.tenantId, "2026-10-31T23:00:00Z", [{ direction: "OUTBOUND", status: "DELIVERED", count: 5_000 }]);
    expect(expectData(await usage(northwind, "2026-10")).usage).toMatchObject({ messagesSent: 6_200, tier: "SCALE" });

    expect(await closeMonth(api.database.db, "2026-10")).toBe(0);
    expect(expectData(await statement(northwind, "2026-10")).statement).toMatchObject({ messagesSent: 1_200, tier: "GROWTH", total: { amount: "84.00" } });

    // Not even the table's owner can change or delete one; the application role has no such grant at all.
    await expect(api.database.ownerPool.query("UPDATE monthly_statements SET total_cents = 0 WHERE tenant_id = $1", [northwind.tenantId])).rejects.toThrow(
      /is closed and cannot change/,
    );
    await expect(api.database.ownerPool.query("DELETE FROM monthly_statements WHERE tenant_id = $1", [northwind.tenantId])).rejects.toThrow(
      /is closed and cannot change/,
    );
    await expect(
      api.database.db.withTenantSql(northwind.tenantId, (client) =>
        client.query("UPDATE monthly_statements SET total_cents = 0 WHERE tenant_id = $1", [northwind.tenantId]),
      ),
    ).rejects.toThrow(/permission denied/);
    expect(expectData(await statement(northwind, "2026-10")).statement).toMatchObject({ total: { amount: "84.00" } });
  });

  it("a month that has not ended cannot be closed", async () => {
    const current = new Date().toISOString().slice(0, 7);
    await expect(closeMonth(api.database.db, current)).rejects.toThrow(/has not ended yet/);
    expect(expectData(await statement(northwind, current)).statement).toBeNull();
  });

  it("the hourly task closes the month that just ended, for tenants that existed in it", async () => {
    const november = await signUp(api, "statements-november");
    await api.database.ownerPool.query("UPDATE tenants SET created_at = '2026-10-20T00:00:00Z' WHERE id = $1", [november.tenantId]);
    const task = statementClosing(api.database.db, () => new Date("2026-11-01T00:30:00Z"));
    expect(previousMonth(new Date("2026-11-01T00:30:00Z"))).toBe("2026-10");
    expect(await task.batch()).toBe(1);
    expect(expectData(await statement(november, "2026-10")).statement).toMatchObject({
      messagesSent: 0,
      tier: "STARTER",
      connectedNumbers: 0,
      total: { amount: "29.00" },
    });
    expect(await task.batch()).toBe(0);
  });

  it("downloads as CSV (with a key or the session), each tenant its own; bad parameters and keys without USAGE_READ are refused", async () => {
    const download = (token: string, query = "") => fetch(`${api.url}/api/v1/statements.csv${query}`, { headers: { authorization: `Bearer ${token}` } });
    const response = await download(northwind.token);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="statements-\d{4}-\d{2}-\d{2}\.csv"$/);
    const [header, ...lines] = (await response.text()).trim().split("\n");
    expect(header).toBe("month,messages_sent,messages_received,messages_failed,connected_numbers,tier,plan_price,provider_cost,total,currency,closed_at");
    expect(lines).toEqual([expect.stringMatching(/^2026-10,1200,40,3,1,GROWTH,79\.00,5\.00,84\.00,USD,\d{4}-/)]);

    const readKey = await createApiKey(api, globex, ["USAGE_READ"]);
    const theirs = (await (await download(readKey.secret)).text()).trim().split("\n");
    expect(theirs).toHaveLength(2);
    expect(theirs[1]).toMatch(/^2026-10,7,0,0,0,STARTER,29\.00,0\.00,29\.00,USD,/);

    const bad = await download(northwind.token, "?month=2026-10");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "BAD_USER_INPUT", field: "month" } });
    const sendOnly = await createApiKey(api, northwind, ["MESSAGES_SEND"]);
    expect((await download(sendOnly.secret)).status).toBe(403);
    expect((await fetch(`${api.url}/api/v1/statements.csv`)).status).toBe(401);
  });

  it("each tenant sees only its own statements; a key without USAGE_READ is refused", async () => {
    const mine = expectData(await statements(globex)).statements;
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ messagesSent: 7 });
    const sendOnly = await createApiKey(api, northwind, ["MESSAGES_SEND"]);
    expect(errorCode(await api.graphql("{ statements { month } }", {}, { token: sendOnly.secret }))).toBe("FORBIDDEN");
    expect(errorCode(await statement(northwind, "2026-13"))).toBe("BAD_USER_INPUT");
  });
});
