import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCode, expectData } from "../support/api.ts";
import { CONNECT, connectedTenant, insertMessages, startMessagingWorld, type MessagingWorld, type Sender } from "../support/messaging.ts";

let world: MessagingWorld;
beforeAll(async () => {
  world = await startMessagingWorld({ DISPATCH_ENABLED: "false" });
});
afterAll(() => world?.close());

const PAGE = `query ($first: Int, $after: String, $filter: MessageFilter) {
  messages(first: $first, after: $after, filter: $filter) { edges { cursor node { id text status direction to from createdAt } } pageInfo { hasNextPage endCursor } } }`;

async function page(tenant: Sender, variables: Record<string, unknown>) {
  const result = await world.api.graphql(PAGE, variables, { token: tenant.key });
  expect(result.errors).toBeUndefined();
  return result.data!.messages as {
    edges: { cursor: string; node: { id: string; text: string; status: string; createdAt: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

describe("messages", () => {
  it("pages newest first with stable cursors while new messages keep arriving", async () => {
    const tenant = await connectedTenant(world, { label: "paging" });
    await insertMessages(world.api, tenant.tenantId, 55, { createdAt: new Date(Date.now() - 60_000), body: "older" });
    const expected = (
      await world.api.database.ownerPool.query("SELECT id FROM messages WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC", [tenant.tenantId])
    ).rows.map((row) => row.id);

    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const current = await page(tenant, { first: 10, after });
      seen.push(...current.edges.map((edge) => edge.node.id));
      // New messages land on top of the log between page requests; they must not shift the pages.
      await insertMessages(world.api, tenant.tenantId, 3, { body: `newer ${pages}` });
      if (!current.pageInfo.hasNextPage) break;
      after = current.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
  });

  it("filters by direction, status, contact, text and time", async () => {
    const tenant = await connectedTenant(world, { label: "filters" });
    const base = new Date("2026-03-10T12:00:00Z");
    await insertMessages(world.api, tenant.tenantId, 3, { status: "SENT", contact: "+14155550111", body: "Your parcel is on its way", createdAt: base });
    await insertMessages(world.api, tenant.tenantId, 2, {
      status: "FAILED",
      contact: "+14155550112",
      body: "Payment reminder",
      createdAt: new Date(base.getTime() + 3_600_000),
    });
    await insertMessages(world.api, tenant.tenantId, 4, {
      status: "RECEIVED",
      direction: "INBOUND",
      contact: "+14155550111",
      body: "Thanks 100%_sure",
      createdAt: new Date(base.getTime() + 7_200_000),
    });

    const count = async (filter: Record<string, unknown>) => (await page(tenant, { first: 100, filter })).edges.length;
    expect(await count({})).toBe(9);
    expect(await count({ direction: "INBOUND" })).toBe(4);
    expect(await count({ status: "FAILED" })).toBe(2);
    expect(await count({ contact: "14155550111" })).toBe(7);
    expect(await count({ search: "PARCEL" })).toBe(3);
    expect(await count({ search: "100%_" })).toBe(4);
    expect(await count({ search: "%" })).toBe(4);
    expect(await count({ createdAfter: new Date(base.getTime() + 1_000).toISOString() })).toBe(6);
    expect(await count({ createdBefore: new Date(base.getTime() + 3_600_000).toISOString() })).toBe(3);
    expect(await count({ direction: "OUTBOUND", contact: "+14155550111", search: "parcel" })).toBe(3);
  });

  it("refuses bad paging and filter input with the field at fault", async () => {
    const tenant = await connectedTenant(world, { label: "badpaging" });
    const ask = (variables: Record<string, unknown>) => world.api.graphql(PAGE, variables, { token: tenant.key });
    expect((await ask({ first: 0 })).errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "first" });
    expect((await ask({ first: 101 })).errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "first" });
    expect((await ask({ after: "not-a-cursor" })).errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
    expect((await ask({ filter: { contact: "abc" } })).errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.contact" });
    expect(errorCode(await ask({ filter: { status: "LOST" } }))).toBe("BAD_USER_INPUT");
  });

  it("message(id) gives the status history; an id the tenant has no message for gives null; a malformed one BAD_USER_INPUT", async () => {
    const tenant = await connectedTenant(world, { label: "history" });
    const sent = await world.api.graphql(`mutation { sendMessage(input: { to: "+14155550113", text: "tracked" }) { id } }`, {}, { token: tenant.key });
    const id = sent.data!.sendMessage.id;
    const result = await world.api.graphql(`query ($id: ID!) { message(id: $id) { id status history { status } } }`, { id }, { token: tenant.key });
    expect(result.data!.message).toEqual({ id, status: "QUEUED", history: [{ status: "QUEUED" }] });
    // Not there, or another tenant's: null, as webhookEndpoint(id) and node(id) answer (GitHub-like), not NOT_FOUND.
    const missing = await world.api.graphql(`query ($id: ID!) { message(id: $id) { id } }`, { id: crypto.randomUUID() }, { token: tenant.key });
    expect(missing.errors).toBeUndefined();
    expect(missing.data).toEqual({ message: null });
    const malformed = await world.api.graphql(`query ($id: ID!) { message(id: $id) { id } }`, { id: "wamid.HBgM" }, { token: tenant.key });
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "id" });
  });
});

describe("conversations", () => {
  it("gives one row per contact with the last message and counts, latest first, searchable", async () => {
    const tenant = await connectedTenant(world, { label: "inbox" });
    const start = new Date("2026-04-01T08:00:00Z");
    await insertMessages(world.api, tenant.tenantId, 3, { contact: "+14155550121", body: "hello Ann", createdAt: start });
    await insertMessages(world.api, tenant.tenantId, 2, {
      contact: "+14155550121",
      direction: "INBOUND",
      status: "RECEIVED",
      body: "hi back",
      createdAt: new Date(start.getTime() + 60_000),
    });
    await insertMessages(world.api, tenant.tenantId, 1, { contact: "+14155550122", body: "hello Bob", createdAt: new Date(start.getTime() + 30_000) });
    await insertMessages(world.api, tenant.tenantId, 1, { contact: "+14155550123", body: "invoice due", createdAt: new Date(start.getTime() + 120_000) });

    const query = `query ($search: String, $first: Int, $after: String) { conversations(search: $search, first: $first, after: $after) {
      edges { node { contact messageCount sentCount receivedCount lastMessage { text direction } } } pageInfo { hasNextPage endCursor } } }`;
    const all = await world.api.graphql(query, {}, { token: tenant.key });
    expect(all.data!.conversations.edges.map((edge: any) => edge.node)).toEqual([
      { contact: "+14155550123", messageCount: 1, sentCount: 1, receivedCount: 0, lastMessage: { text: "invoice due 1", direction: "OUTBOUND" } },
      { contact: "+14155550121", messageCount: 5, sentCount: 3, receivedCount: 2, lastMessage: { text: "hi back 2", direction: "INBOUND" } },
      { contact: "+14155550122", messageCount: 1, sentCount: 1, receivedCount: 0, lastMessage: { text: "hello Bob 1", direction: "OUTBOUND" } },
    ]);
    const firstPage = await world.api.graphql(query, { first: 2 }, { token: tenant.key });
    expect(firstPage.data!.conversations.pageInfo.hasNextPage).toBe(true);
    const secondPage = await world.api.graphql(query, { first: 2, after: firstPage.data!.conversations.pageInfo.endCursor }, { token: tenant.key });
    expect(secondPage.data!.conversations.edges.map((edge: any) => edge.node.contact)).toEqual(["+14155550122"]);

    const searched = await world.api.graphql(query, { search: "hello" }, { token: tenant.key });
    expect(searched.data!.conversations.edges.map((edge: any) => edge.node.contact)).toEqual(["+14155550121", "+14155550122"]);
    const byNumber = await world.api.graphql(query, { search: "550123" }, { token: tenant.key });
    expect(byNumber.data!.conversations.edges.map((edge: any) => edge.node.contact)).toEqual(["+14155550123"]);
  });
});

describe("usage", () => {
  const USAGE = `query ($month: String) { usage(month: $month) { month messagesSent messagesReceived messagesFailed tier planPrice { amount currencyCode } connectedNumbers providerCost { amount currencyCode } total { amount currencyCode } daily { date sent received } } }`;

  it.each([
    [1_000, "STARTER", "29.00", "34.00"],
    [1_001, "GROWTH", "79.00", "84.00"],
    [5_000, "GROWTH", "79.00", "84.00"],
    [5_001, "SCALE", "199.00", "204.00"],
  ])("bills %i accepted messages as %s (%s dollars plus 5.00 per number)", async (sent, tier, price, total) => {
    const tenant = await connectedTenant(world, { label: `tier-${sent}` });
    const month = new Date().toISOString().slice(0, 7);
    const firstDay = new Date(`${month}-01T00:00:00Z`);
    await insertMessages(world.api, tenant.tenantId, sent - 10, { status: "DELIVERED", createdAt: firstDay });
    await insertMessages(world.api, tenant.tenantId, 10, { status: "READ", createdAt: new Date(firstDay.getTime() + 86_400_000) });
    // Not billable: failed, still queued, unknown outcome; inbound is counted apart.
    await insertMessages(world.api, tenant.tenantId, 7, { status: "FAILED", createdAt: firstDay });
    await insertMessages(world.api, tenant.tenantId, 3, { status: "QUEUED", createdAt: firstDay });
    await insertMessages(world.api, tenant.tenantId, 2, { status: "UNKNOWN", createdAt: firstDay });
    await insertMessages(world.api, tenant.tenantId, 4, { status: "RECEIVED", direction: "INBOUND", createdAt: firstDay });

    const usage = expectData(await world.api.graphql(USAGE, { month }, { token: tenant.key })).usage;
    expect(usage).toMatchObject({
      month,
      messagesSent: sent,
      messagesReceived: 4,
      messagesFailed: 7,
      tier,
      planPrice: { amount: price, currencyCode: "USD" },
      connectedNumbers: 1,
      providerCost: { amount: "5.00", currencyCode: "USD" },
      total: { amount: total, currencyCode: "USD" },
    });
    expect(usage.daily[0]).toEqual({ date: `${month}-01`, sent: sent - 10, received: 4 });
    expect(usage.daily[1]).toEqual({ date: expect.stringMatching(/-02$/), sent: 10, received: 0 });
    expect(usage.daily.reduce((total: number, day: { sent: number }) => total + day.sent, 0)).toBe(sent);
  });

  it("charges the provider cost per number: the same number reconnected in a month once, two numbers twice", async () => {
    const tenant = await connectedTenant(world, { label: "reconnect", number: "+8801712340001" });
    const month = new Date().toISOString().slice(0, 7);
    const connect = async (number: string) =>
      expectData(
        await world.api.graphql(CONNECT, { input: { apiKey: `rapiwa-key-${tenant.tenantId}`, number, sendRatePerSecond: 10 } }, { token: tenant.token }),
      );
    const connections = async () =>
      (
        await world.api.database.ownerPool.query("SELECT number FROM whatsapp_connections WHERE tenant_id = $1 ORDER BY connected_at", [tenant.tenantId])
      ).rows.map((row) => row.number);
    const usage = async () => expectData(await world.api.graphql(USAGE, { month }, { token: tenant.key })).usage;

    // Disconnect and reconnect the same number: two connection rows, one number to pay for.
    expectData(await world.api.graphql(`mutation { disconnectWhatsApp { status } }`, {}, { token: tenant.token }));
    await connect(tenant.number);
    expect(await connections()).toEqual([tenant.number, tenant.number]);
    expect(await usage()).toMatchObject({ connectedNumbers: 1, providerCost: { amount: "5.00" }, total: { amount: "34.00" } });

    // Then another number in the same month: two numbers.
    await connect("+8801712340002");
    expect(await connections()).toEqual([tenant.number, tenant.number, "+8801712340002"]);
    expect(await usage()).toMatchObject({ connectedNumbers: 2, providerCost: { amount: "10.00" }, total: { amount: "39.00" } });
  });

  it("defaults to the current month and refuses a malformed one", async () => {
    const tenant = await connectedTenant(world, { label: "usage-month" });
    const current = await world.api.graphql(USAGE, {}, { token: tenant.key });
    expect(current.data!.usage).toMatchObject({ month: new Date().toISOString().slice(0, 7), messagesSent: 0, tier: "STARTER", total: { amount: "34.00" } });
    const past = await world.api.graphql(USAGE, { month: "2020-02" }, { token: tenant.key });
    expect(past.data!.usage).toMatchObject({ connectedNumbers: 0, providerCost: { amount: "0.00" }, total: { amount: "29.00" } });
    expect(past.data!.usage.daily).toHaveLength(29);
    for (const month of ["2026-13", "2026-1", "last month"]) {
      expect((await world.api.graphql(USAGE, { month }, { token: tenant.key })).errors?.[0]?.extensions).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "month",
      });
    }
  });
});
