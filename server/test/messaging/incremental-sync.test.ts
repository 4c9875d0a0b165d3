import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectData } from "../support/api.ts";
import { connectedTenant, insertMessages, startMessagingWorld, type MessagingWorld, type Sender } from "../support/messaging.ts";

/**
 * Polling for changes without webhooks: messages(orderBy: STATUS_CHANGED_AT) lists the oldest change
 * first on the keyset (status_changed_at, id), so a client that keeps its last cursor sees each later
 * change once, in order, also when many changes share one timestamp (one statement changes a batch).
 */
let world: MessagingWorld;
beforeAll(async () => {
  world = await startMessagingWorld({ DISPATCH_ENABLED: "false" });
});
afterAll(() => world?.close());

const CHANGES = `query ($first: Int, $after: String, $last: Int, $before: String, $filter: MessageFilter) {
  messages(orderBy: STATUS_CHANGED_AT, first: $first, after: $after, last: $last, before: $before, filter: $filter) {
    edges { node { id status statusChangedAt } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

type Change = { id: string; status: string; statusChangedAt: string };

/** Every page after `cursor`, as a poller reads them; returns what it saw and the cursor to keep. */
async function poll(tenant: Sender, cursor: string | null, pageSize = 4, filter?: Record<string, unknown>) {
  const seen: Change[] = [];
  let after = cursor;
  for (let pages = 0; pages < 100; pages++) {
    const { messages } = expectData(await world.api.graphql(CHANGES, { first: pageSize, after, filter }, { token: tenant.key }));
    seen.push(...messages.edges.map((edge: { node: Change }) => edge.node));
    // An empty page has no endCursor: keep the one you had.
    after = messages.pageInfo.endCursor ?? after;
    if (!messages.pageInfo.hasNextPage) break;
  }
  return { seen, cursor: after };
}

/** Sets the status of these messages as one statement does: one status_changed_at for all of them. */
async function change(tenant: Sender, ids: string[], status: string, at: Date) {
  await world.api.database.ownerPool.query(
    `UPDATE messages SET status = $3::"MessageStatus", status_changed_at = $4 WHERE tenant_id = $1 AND id = ANY ($2::uuid[])`,
    [tenant.tenantId, ids, status, at],
  );
}

/** The tenant's messages in the order of their last change, as the database has them. */
async function changeOrder(tenant: Sender) {
  const { rows } = await world.api.database.ownerPool.query("SELECT id, status::text FROM messages WHERE tenant_id = $1 ORDER BY status_changed_at, id", [
    tenant.tenantId,
  ]);
  return rows.map((row) => ({ id: row.id as string, status: row.status as string }));
}

const brief = (changes: Change[]) => changes.map(({ id, status }) => ({ id, status }));

describe("messages(orderBy: STATUS_CHANGED_AT)", () => {
  it("gives every status change once, oldest first, to a poller that keeps its cursor, with many changes per timestamp", async () => {
    const tenant = await connectedTenant(world, { label: "poller" });
    const t0 = new Date("2026-06-01T10:00:00.000Z");
    await insertMessages(world.api, tenant.tenantId, 10, { status: "QUEUED", createdAt: t0 });
    const ids = (await changeOrder(tenant)).map((row) => row.id);
    // All ten were written in one statement: one status_changed_at. Pages of 4 split that run of ties.
    await change(tenant, ids, "QUEUED", t0);

    const first = await poll(tenant, null);
    expect(brief(first.seen)).toEqual(await changeOrder(tenant));
    expect(first.seen.every((seen) => seen.statusChangedAt === t0.toISOString())).toBe(true);

    // Nothing new: nothing seen, and the cursor stays.
    const idle = await poll(tenant, first.cursor);
    expect(idle).toEqual({ seen: [], cursor: first.cursor });

    // Changes in three batches, two of them at the same instant (ties across batches too), and new messages.
    const t1 = new Date(t0.getTime() + 60_000);
    await change(tenant, ids.slice(0, 3), "SENT", t1);
    await change(tenant, ids.slice(6, 9), "FAILED", t1);
    await change(tenant, [ids[4]!], "SENT", new Date(t1.getTime() + 1));
    await insertMessages(world.api, tenant.tenantId, 2, { status: "RECEIVED", direction: "INBOUND", createdAt: t1, body: "arrived" });
    const arrived = await world.api.database.ownerPool.query("SELECT id FROM messages WHERE tenant_id = $1 AND body LIKE 'arrived%'", [tenant.tenantId]);
    await change(
      tenant,
      arrived.rows.map((row) => row.id),
      "RECEIVED",
      t1,
    );
    const all = await changeOrder(tenant);
    const changed = all.filter((row) => !first.seen.some((seen) => seen.id === row.id && seen.status === row.status));
    expect(changed).toHaveLength(9);

    const second = await poll(tenant, first.cursor);
    expect(brief(second.seen)).toEqual(changed);

    // A message changed again after the poller saw it comes again, at its new place.
    await change(tenant, [ids[0]!], "DELIVERED", new Date(t1.getTime() + 2));
    const third = await poll(tenant, second.cursor);
    expect(brief(third.seen)).toEqual([{ id: ids[0], status: "DELIVERED" }]);
  });

  it("filters by statusChangedAt (inclusive) and by statuses, and pages backward from the latest change", async () => {
    const tenant = await connectedTenant(world, { label: "since" });
    const t0 = new Date("2026-06-02T10:00:00.000Z");
    await insertMessages(world.api, tenant.tenantId, 6, { status: "QUEUED", createdAt: t0 });
    const ids = (await changeOrder(tenant)).map((row) => row.id);
    await change(tenant, ids, "QUEUED", t0);
    const t1 = new Date(t0.getTime() + 1_000);
    await change(tenant, ids.slice(0, 2), "READ", t1);
    await change(tenant, ids.slice(2, 4), "FAILED", new Date(t1.getTime() + 1));

    const since = await poll(tenant, null, 10, { statusChangedAfter: t1.toISOString() });
    expect(brief(since.seen)).toEqual((await changeOrder(tenant)).slice(2));
    const failedOrRead = await poll(tenant, null, 10, { statuses: ["FAILED", "READ"] });
    expect(failedOrRead.seen.map((seen) => seen.status)).toEqual(["READ", "READ", "FAILED", "FAILED"]);
    expect((await poll(tenant, null, 10, { statuses: ["FAILED"], statusChangedAfter: t1.toISOString() })).seen).toHaveLength(2);
    expect((await poll(tenant, null, 10, { statuses: [] })).seen).toHaveLength(6);

    const latest = expectData(await world.api.graphql(CHANGES, { last: 2 }, { token: tenant.key })).messages;
    expect(latest.edges.map((edge: any) => edge.node.status)).toEqual(["FAILED", "FAILED"]);
    expect(latest.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });
});

describe("MessageFilter.statuses", () => {
  const LIST = `query ($filter: MessageFilter) { messages(first: 100, filter: $filter) { edges { node { status } } } }`;

  it("matches any of the statuses given; the deprecated status still works alone and is refused beside statuses", async () => {
    const tenant = await connectedTenant(world, { label: "statuses" });
    await insertMessages(world.api, tenant.tenantId, 2, { status: "SENT" });
    await insertMessages(world.api, tenant.tenantId, 3, { status: "FAILED" });
    await insertMessages(world.api, tenant.tenantId, 1, { status: "RECEIVED", direction: "INBOUND" });
    const statuses = async (filter: Record<string, unknown>) =>
      expectData(await world.api.graphql(LIST, { filter }, { token: tenant.key }))
        .messages.edges.map((edge: any) => edge.node.status)
        .sort();
    expect(await statuses({ statuses: ["FAILED", "RECEIVED"] })).toEqual(["FAILED", "FAILED", "FAILED", "RECEIVED"]);
    expect(await statuses({ statuses: ["READ"] })).toEqual([]);
    expect(await statuses({ status: "SENT" })).toEqual(["SENT", "SENT"]);
    const both = await world.api.graphql(LIST, { filter: { status: "SENT", statuses: ["FAILED"] } }, { token: tenant.key });
    expect(both.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.statuses" });
    expect(both.data?.messages ?? null).toBeNull();
  });
});
