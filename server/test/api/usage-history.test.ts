import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey, errorCode, expectData, signUp, startTestApi, type TestApi } from "../support/api.ts";
import { insertMessages } from "../support/messaging.ts";

/** usageHistory(months:) and pricing: what the billing page shows besides the current month. */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

const HISTORY = `query ($months: Int) { usageHistory(months: $months) {
  month messagesSent messagesReceived messagesFailed tier connectedNumbers planPrice { amount } providerCost { amount } total { amount } } }`;

/** The first day of the month `back` months before the current one (UTC), plus `offsetMs`. */
const monthStart = (back: number, offsetMs = 0) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1) + offsetMs);
};
const label = (back: number) => monthStart(back).toISOString().slice(0, 7);

async function connectionIn(tenantId: string, number: string, connectedAt: Date, disconnectedAt: Date | null) {
  await api.database.ownerPool.query(
    `INSERT INTO whatsapp_connections (tenant_id, id, provider, number, status, api_key_ciphertext, inbound_token_hash, inbound_token_ciphertext, connected_at, disconnected_at)
     VALUES ($1, gen_random_uuid(), 'SANDBOX', $2, $3::"ConnectionStatus", 'x', md5(random()::text) || md5(random()::text), 'x', $4, $5)`,
    [tenantId, number, disconnectedAt ? "DISCONNECTED" : "CONNECTED", connectedAt, disconnectedAt],
  );
}

describe("usage history", () => {
  it("bills each previous month, newest first, with empty months listed and month edges in UTC", async () => {
    const owner = await signUp(api, "history");
    // Last month: 1,200 sent (GROWTH), 5 failed, 3 received; one at the very last millisecond of it.
    await insertMessages(api, owner.tenantId, 1_199, { status: "DELIVERED", createdAt: monthStart(1, 1_000) });
    await insertMessages(api, owner.tenantId, 1, { status: "SENT", createdAt: monthStart(0, -2) });
    await insertMessages(api, owner.tenantId, 5, { status: "FAILED", createdAt: monthStart(1, 86_400_000) });
    await insertMessages(api, owner.tenantId, 3, { status: "RECEIVED", direction: "INBOUND", createdAt: monthStart(1, 2 * 86_400_000) });
    // This month (not history) and three months back.
    await insertMessages(api, owner.tenantId, 7, { status: "SENT", createdAt: monthStart(0, 1_000) });
    await insertMessages(api, owner.tenantId, 2, { status: "READ", createdAt: monthStart(3, 0) });
    // One number for the last two months, another only three months back.
    await connectionIn(owner.tenantId, "+8801711000101", monthStart(2, 5_000), null);
    await connectionIn(owner.tenantId, "+8801711000102", monthStart(3, 5_000), monthStart(2, -5_000));

    const history = expectData(await api.graphql(HISTORY, { months: 4 }, { token: owner.token })).usageHistory;
    expect(history).toEqual([
      {
        month: label(1),
        messagesSent: 1_200,
        messagesReceived: 3,
        messagesFailed: 5,
        tier: "GROWTH",
        connectedNumbers: 1,
        planPrice: { amount: "79.00" },
        providerCost: { amount: "5.00" },
        total: { amount: "84.00" },
      },
      expect.objectContaining({ month: label(2), messagesSent: 0, tier: "STARTER", connectedNumbers: 1, total: { amount: "34.00" } }),
      expect.objectContaining({ month: label(3), messagesSent: 2, tier: "STARTER", connectedNumbers: 1, total: { amount: "34.00" } }),
      expect.objectContaining({ month: label(4), messagesSent: 0, connectedNumbers: 0, total: { amount: "29.00" } }),
    ]);
    // Twelve by default.
    const defaults = expectData(await api.graphql(`{ usageHistory { month } }`, {}, { token: owner.token })).usageHistory;
    expect(defaults.map((month: { month: string }) => month.month)).toEqual(Array.from({ length: 12 }, (_, index) => label(index + 1)));
  });

  it("shows a tenant nothing of another's", async () => {
    const a = await signUp(api, "history-a");
    const b = await signUp(api, "history-b");
    await insertMessages(api, a.tenantId, 40, { status: "SENT", createdAt: monthStart(1, 1_000) });
    await connectionIn(a.tenantId, "+8801711000111", monthStart(2), null);
    const seenByB = expectData(await api.graphql(HISTORY, { months: 2 }, { token: b.token })).usageHistory;
    expect(seenByB.map((month: { messagesSent: number; connectedNumbers: number }) => [month.messagesSent, month.connectedNumbers])).toEqual([
      [0, 0],
      [0, 0],
    ]);
    const seenByA = expectData(await api.graphql(HISTORY, { months: 1 }, { token: a.token })).usageHistory;
    expect(seenByA[0]).toMatchObject({ messagesSent: 40, connectedNumbers: 1 });
  });

  it("refuses a number of months out of range, and callers without USAGE_READ", async () => {
    const owner = await signUp(api, "history-bad");
    for (const months of [0, -1, 37]) {
      const result = await api.graphql(HISTORY, { months }, { token: owner.token });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "months" });
    }
    const key = await createApiKey(api, owner, ["MESSAGES_READ"]);
    expect(errorCode(await api.graphql(HISTORY, {}, { token: key.secret }))).toBe("FORBIDDEN");
  });
});

describe("pricing", () => {
  it("lists the tiers cheapest first and the price per connected number, as bills use them", async () => {
    const owner = await signUp(api, "pricing");
    const { pricing } = expectData(
      await api.graphql(
        `{ pricing { tiers { tier upTo price { amount currencyCode } } perConnectedNumber { amount currencyCode } } }`,
        {},
        { token: owner.token },
      ),
    );
    expect(pricing).toEqual({
      tiers: [
        { tier: "STARTER", upTo: 1_000, price: { amount: "29.00", currencyCode: "USD" } },
        { tier: "GROWTH", upTo: 5_000, price: { amount: "79.00", currencyCode: "USD" } },
        { tier: "SCALE", upTo: null, price: { amount: "199.00", currencyCode: "USD" } },
      ],
      perConnectedNumber: { amount: "5.00", currencyCode: "USD" },
    });
    expect(errorCode(await api.graphql(`{ pricing { perConnectedNumber { amount } } }`))).toBe("UNAUTHENTICATED");
  });
});
