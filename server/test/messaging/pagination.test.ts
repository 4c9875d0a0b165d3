import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebhookEndpoint, expectData, sendTestWebhook } from "../support/api.ts";
import { connectedTenant, insertMessages, startMessagingWorld, type MessagingWorld, type Sender } from "../support/messaging.ts";

/**
 * Relay cursor connections on every list (messages, conversations, webhookDeliveries): first/after
 * forward, last/before backward, keyset-paged so that rows written between pages (newer or older)
 * neither repeat nor skip anything, and all four PageInfo fields exact.
 */
let world: MessagingWorld;
beforeAll(async () => {
  world = await startMessagingWorld({ DISPATCH_ENABLED: "false" });
});
afterAll(() => world?.close());

type PageInfo = { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
type Page = { ids: string[]; pageInfo: PageInfo };

const MESSAGES = `query ($first: Int, $after: String, $last: Int, $before: String, $orderBy: MessageOrder) {
  messages(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {
    edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

async function messagesPage(tenant: Sender, variables: Record<string, unknown>): Promise<Page> {
  const { messages } = expectData(await world.api.graphql(MESSAGES, variables, { token: tenant.key }));
  // Cursors of the edges are the page's start and end cursors.
  expect(messages.pageInfo.startCursor).toBe(messages.edges[0]?.cursor ?? null);
  expect(messages.pageInfo.endCursor).toBe(messages.edges.at(-1)?.cursor ?? null);
  return { ids: messages.edges.map((edge: { node: { id: string } }) => edge.node.id), pageInfo: messages.pageInfo };
}

/** The tenant's messages in the log's order (newest first), as the database has them. */
async function logOrder(tenant: Sender, since = new Date(0)) {
  const { rows } = await world.api.database.ownerPool.query(
    "SELECT id FROM messages WHERE tenant_id = $1 AND created_at >= $2 ORDER BY created_at DESC, id DESC",
    [tenant.tenantId, since],
  );
  return rows.map((row) => row.id as string);
}

describe("backward pagination (last, before)", () => {
  it("walks the log from its end to its start, stable while newer and older messages are written between pages", async () => {
    const tenant = await connectedTenant(world, { label: "backward" });
    const base = new Date(Date.now() - 3_600_000);
    await insertMessages(world.api, tenant.tenantId, 33, { createdAt: base, body: "first batch" });

    const pages: Page[] = [];
    let before: string | null = null;
    for (let round = 0; round < 20; round++) {
      const current = await messagesPage(tenant, { last: 5, before });
      pages.push(current);
      if (!current.pageInfo.hasPreviousPage) break;
      before = current.pageInfo.startCursor;
      // Between pages: newer messages on top of the log (still ahead of a backward walk), and older ones
      // below its end (behind it: they must not shift what comes next).
      await insertMessages(world.api, tenant.tenantId, 2, { body: `newer ${round}` });
      await insertMessages(world.api, tenant.tenantId, 2, { createdAt: new Date(base.getTime() - 86_400_000 * (round + 1)), body: `older ${round}` });
    }
    const seen = pages.flatMap((page) => page.ids);
    // Each page is in the log's order; read backward, the pages put together are the log from the
    // walk's start (the end of the log then) to its top, including what was written on top meanwhile.
    const walked = [...pages].reverse().flatMap((page) => page.ids);
    expect(new Set(seen).size, "no message twice").toBe(seen.length);
    expect(walked).toEqual(await logOrder(tenant, base));

    // The end of the log has nothing after it; every later page has (the pages already read).
    expect(pages[0]!.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    for (const page of pages.slice(1)) expect(page.pageInfo.hasNextPage).toBe(true);
    expect(pages.at(-1)!.pageInfo.hasPreviousPage).toBe(false);
  });

  it("meets forward paging where it left off, with exact hasPreviousPage and hasNextPage on both sides", async () => {
    const tenant = await connectedTenant(world, { label: "meet" });
    await insertMessages(world.api, tenant.tenantId, 12, { createdAt: new Date(Date.now() - 60_000) });
    const all = await logOrder(tenant);

    const first = await messagesPage(tenant, { first: 5 });
    expect(first).toMatchObject({ ids: all.slice(0, 5), pageInfo: { hasNextPage: true, hasPreviousPage: false } });
    const second = await messagesPage(tenant, { first: 5, after: first.pageInfo.endCursor });
    expect(second).toMatchObject({ ids: all.slice(5, 10), pageInfo: { hasNextPage: true, hasPreviousPage: true } });
    const back = await messagesPage(tenant, { last: 3, before: second.pageInfo.startCursor });
    expect(back).toMatchObject({ ids: all.slice(2, 5), pageInfo: { hasNextPage: true, hasPreviousPage: true } });
    const top = await messagesPage(tenant, { last: 5, before: back.pageInfo.startCursor });
    expect(top).toMatchObject({ ids: all.slice(0, 2), pageInfo: { hasNextPage: true, hasPreviousPage: false } });
    const end = await messagesPage(tenant, { first: 5, after: second.pageInfo.endCursor });
    expect(end).toMatchObject({ ids: all.slice(10), pageInfo: { hasNextPage: false, hasPreviousPage: true } });
    // Relay's other two combinations: first with before (from the top, up to the cursor), last with after.
    expect(await messagesPage(tenant, { first: 2, before: second.pageInfo.startCursor })).toMatchObject({
      ids: all.slice(0, 2),
      pageInfo: { hasNextPage: true, hasPreviousPage: false },
    });
    expect(await messagesPage(tenant, { last: 2, after: first.pageInfo.endCursor })).toMatchObject({
      ids: all.slice(10),
      pageInfo: { hasNextPage: false, hasPreviousPage: true },
    });
    // An empty page has no cursors.
    const none = await messagesPage(tenant, { first: 5, after: end.pageInfo.endCursor });
    expect(none).toEqual({ ids: [], pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null } });
  });

  it("pages conversations and webhook deliveries backward too", async () => {
    const tenant = await connectedTenant(world, { label: "lists" });
    const start = new Date("2026-05-01T08:00:00Z");
    for (let contact = 0; contact < 5; contact++) {
      await insertMessages(world.api, tenant.tenantId, 1, { contact: `+1415555020${contact}`, createdAt: new Date(start.getTime() + contact * 60_000) });
    }
    const CONVERSATIONS = `query ($last: Int, $before: String) { conversations(last: $last, before: $before) {
      edges { node { contact } } pageInfo { hasNextPage hasPreviousPage startCursor } } }`;
    const read = async (variables: Record<string, unknown>) =>
      expectData(await world.api.graphql(CONVERSATIONS, variables, { token: tenant.key })).conversations;
    const oldest = await read({ last: 2 });
    expect(oldest.edges.map((edge: any) => edge.node.contact)).toEqual(["+14155550201", "+14155550200"]);
    expect(oldest.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const newer = await read({ last: 3, before: oldest.pageInfo.startCursor });
    expect(newer.edges.map((edge: any) => edge.node.contact)).toEqual(["+14155550204", "+14155550203", "+14155550202"]);
    expect(newer.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

    const endpoint = await createWebhookEndpoint(world.api, tenant);
    const deliveries: string[] = [];
    for (let count = 0; count < 4; count++) deliveries.unshift(await sendTestWebhook(world.api, tenant, endpoint.id));
    const DELIVERIES = `query ($id: ID!, $last: Int, $before: String) { webhookDeliveries(endpointId: $id, last: $last, before: $before) {
      edges { node { id } } pageInfo { hasNextPage hasPreviousPage startCursor } } }`;
    const lastTwo = expectData(await world.api.graphql(DELIVERIES, { id: endpoint.id, last: 2 }, { token: tenant.token })).webhookDeliveries;
    expect(lastTwo.edges.map((edge: any) => edge.node.id)).toEqual(deliveries.slice(2));
    const firstTwo = expectData(
      await world.api.graphql(DELIVERIES, { id: endpoint.id, last: 5, before: lastTwo.pageInfo.startCursor }, { token: tenant.token }),
    ).webhookDeliveries;
    expect(firstTwo.edges.map((edge: any) => edge.node.id)).toEqual(deliveries.slice(0, 2));
    expect(firstTwo.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });
});

describe("connection arguments", () => {
  it("refuses first with last, after with before, and page sizes out of range, naming the field", async () => {
    const tenant = await connectedTenant(world, { label: "refusals" });
    await insertMessages(world.api, tenant.tenantId, 3);
    const { pageInfo } = await messagesPage(tenant, { first: 1 });
    const refused = async (query: string, variables: Record<string, unknown>, caller = { token: tenant.key }) =>
      (await world.api.graphql(query, variables, caller)).errors?.[0]?.extensions;
    for (const [variables, field] of [
      [{ first: 1, last: 1 }, "last"],
      [{ after: pageInfo.endCursor, before: pageInfo.endCursor }, "before"],
      [{ last: 0 }, "last"],
      [{ last: 101 }, "last"],
      [{ first: 101 }, "first"],
      [{ before: "not-a-cursor" }, "before"],
    ] as const) {
      expect(await refused(MESSAGES, variables), JSON.stringify(variables)).toMatchObject({ code: "BAD_USER_INPUT", field });
    }
    // The same rules on every list: they share one implementation.
    expect(await refused(`{ conversations(first: 1, last: 1) { __typename } }`, {})).toMatchObject({ code: "BAD_USER_INPUT", field: "last" });
    const endpoint = await createWebhookEndpoint(world.api, tenant);
    expect(
      await refused(`query ($id: ID!) { webhookDeliveries(endpointId: $id, first: 2, last: 2) { __typename } }`, { id: endpoint.id }, { token: tenant.token }),
    ).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "last",
    });
  });

  it("reads a cursor only with the order it was made for; cursors from before orders were named stay valid for the default order", async () => {
    const tenant = await connectedTenant(world, { label: "cursor-orders" });
    await insertMessages(world.api, tenant.tenantId, 4);
    const byCreation = await messagesPage(tenant, { first: 2 });
    const byChange = await messagesPage(tenant, { first: 2, orderBy: "STATUS_CHANGED_AT" });
    for (const [variables, field] of [
      [{ after: byCreation.pageInfo.endCursor, orderBy: "STATUS_CHANGED_AT" }, "after"],
      [{ before: byCreation.pageInfo.startCursor, last: 1, orderBy: "STATUS_CHANGED_AT" }, "before"],
      [{ after: byChange.pageInfo.endCursor }, "after"],
      [{ after: byChange.pageInfo.endCursor, orderBy: "CREATED_AT" }, "after"],
    ] as const) {
      const result = await world.api.graphql(MESSAGES, variables, { token: tenant.key });
      expect(result.errors?.[0]?.extensions, JSON.stringify(variables)).toMatchObject({ code: "BAD_USER_INPUT", field });
    }
    // A cursor as clients stored them before: [createdAt, id], base64url.
    const all = await logOrder(tenant);
    const { rows } = await world.api.database.ownerPool.query("SELECT created_at FROM messages WHERE tenant_id = $1 AND id = $2", [tenant.tenantId, all[1]]);
    const legacy = Buffer.from(JSON.stringify([rows[0].created_at.toISOString(), all[1]])).toString("base64url");
    expect((await messagesPage(tenant, { first: 5, after: legacy })).ids).toEqual(all.slice(2));
    const refused = await world.api.graphql(MESSAGES, { after: legacy, orderBy: "STATUS_CHANGED_AT" }, { token: tenant.key });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
  });
});

describe("Message.history in a list", () => {
  it("gives each message its own history, read for the whole page at once", async () => {
    const tenant = await connectedTenant(world, { label: "histories" });
    await insertMessages(world.api, tenant.tenantId, 3, { status: "READ", createdAt: new Date(Date.now() - 60_000) });
    await insertMessages(world.api, tenant.tenantId, 1, { status: "RECEIVED", direction: "INBOUND" });
    const ids = await logOrder(tenant);
    const pool = world.api.database.ownerPool;
    // Different histories per message: none, one change, three changes.
    const changes: Record<string, string[]> = { [ids[1]!]: ["SENDING"], [ids[2]!]: ["SENT", "DELIVERED", "READ"] };
    for (const [id, statuses] of Object.entries(changes)) {
      for (const [index, status] of statuses.entries()) {
        await pool.query(
          `INSERT INTO message_status_events (tenant_id, id, message_id, status, occurred_at) VALUES ($1, $2, $3, $4, now() + $5 * interval '1 second')`,
          [tenant.tenantId, randomUUID(), id, status, index],
        );
      }
    }
    const listed = expectData(
      await world.api.graphql(`{ messages { edges { node { id history { status } } } } }`, {}, { token: tenant.key }),
    ).messages.edges.map((edge: any) => edge.node);
    expect(listed).toEqual([
      { id: ids[0], history: [{ status: "RECEIVED" }] },
      { id: ids[1], history: [{ status: "QUEUED" }, { status: "SENDING" }] },
      { id: ids[2], history: [{ status: "QUEUED" }, { status: "SENT" }, { status: "DELIVERED" }, { status: "READ" }] },
      { id: ids[3], history: [{ status: "QUEUED" }] },
    ]);
    for (const node of listed) {
      const single = expectData(
        await world.api.graphql(`query ($id: ID!) { message(id: $id) { history { status } } }`, { id: node.id }, { token: tenant.key }),
      );
      expect(single.message.history).toEqual(node.history);
    }
  });
});
