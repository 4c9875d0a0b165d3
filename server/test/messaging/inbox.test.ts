import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCEPT_MESSAGES_SQL, createOutbox } from "../../src/modules/sending/send-message.ts";
import { MESSAGE_CHANGES_CHANNEL } from "../../src/modules/live/message-changes.ts";
import { createApiKey, ensureSandboxWhatsApp, errorCode, expectData, signUp } from "../support/api.ts";
import { connectedTenant, eventually, insertMessages, startMessagingWorld, type MessagingWorld } from "../support/messaging.ts";

/** The inbox's server side: unread counts and read marks, and wake-ups announced outside the accept transaction. */

let world: MessagingWorld;
beforeAll(async () => {
  world = await startMessagingWorld();
});
afterAll(() => world?.close());

const CONVERSATIONS = `{ conversations(first: 10) { edges { node { contact unreadCount receivedCount } } } }`;
const MARK_READ = `mutation ($contact: String!) { markConversationRead(contact: $contact) { contact unreadCount receivedCount messageCount lastMessage { text } } }`;

async function unreadOf(token: string): Promise<Record<string, number>> {
  const data = expectData(await world.api.graphql(CONVERSATIONS, {}, { token }));
  return Object.fromEntries(data.conversations.edges.map((edge: any) => [edge.node.contact, edge.node.unreadCount]));
}

describe("unread counts and read marks", () => {
  it("counts INBOUND messages after the read mark, which markConversationRead moves forward only", async () => {
    const tenant = await connectedTenant(world, { label: "unread" });
    const start = new Date(Date.now() - 60_000);
    await insertMessages(world.api, tenant.tenantId, 3, { contact: "+14155550131", direction: "INBOUND", status: "RECEIVED", body: "hi", createdAt: start });
    await insertMessages(world.api, tenant.tenantId, 2, { contact: "+14155550131", body: "answer", createdAt: new Date(start.getTime() + 1_000) });
    await insertMessages(world.api, tenant.tenantId, 1, { contact: "+14155550132", direction: "INBOUND", status: "RECEIVED", body: "yo", createdAt: start });
    expect(await unreadOf(tenant.key)).toEqual({ "+14155550131": 3, "+14155550132": 1 });

    // Any format sendMessage takes; the answer is the conversation, now read.
    const marked = expectData(await world.api.graphql(MARK_READ, { contact: "1 (415) 555-0131" }, { token: tenant.token })).markConversationRead;
    expect(marked).toEqual({ contact: "+14155550131", unreadCount: 0, receivedCount: 3, messageCount: 5, lastMessage: { text: "answer 2" } });
    expect(await unreadOf(tenant.key)).toEqual({ "+14155550131": 0, "+14155550132": 1 });

    // A newer reply is unread again.
    await insertMessages(world.api, tenant.tenantId, 1, { contact: "+14155550131", direction: "INBOUND", status: "RECEIVED", body: "again" });
    expect((await unreadOf(tenant.key))["+14155550131"]).toBe(1);

    // Never back: a mark further on (another tab read more) stays where it is.
    const later = new Date(Date.now() + 3_600_000);
    await world.api.database.ownerPool.query(`UPDATE conversation_reads SET read_until = $3 WHERE tenant_id = $1 AND contact_number = $2`, [
      tenant.tenantId,
      "+14155550131",
      later,
    ]);
    expectData(await world.api.graphql(MARK_READ, { contact: "+14155550131" }, { token: tenant.key }));
    const { rows } = await world.api.database.ownerPool.query(`SELECT read_until FROM conversation_reads WHERE tenant_id = $1 AND contact_number = $2`, [
      tenant.tenantId,
      "+14155550131",
    ]);
    expect(rows[0].read_until.getTime()).toBe(later.getTime());
  });

  it("refuses a bad number, a contact never written with, another tenant's conversation, and callers without MESSAGES_READ", async () => {
    const tenant = await connectedTenant(world, { label: "marks" });
    await insertMessages(world.api, tenant.tenantId, 2, { contact: "+14155550141", direction: "INBOUND", status: "RECEIVED", body: "hello" });

    const bad = await world.api.graphql(MARK_READ, { contact: "not a number" }, { token: tenant.key });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "contact" });
    expect(errorCode(await world.api.graphql(MARK_READ, { contact: "+14155550199" }, { token: tenant.key }))).toBe("NOT_FOUND");

    const other = await connectedTenant(world, { label: "other", number: "+8801712345679" });
    expect(errorCode(await world.api.graphql(MARK_READ, { contact: "+14155550141" }, { token: other.key }))).toBe("NOT_FOUND");

    const usageOnly = await createApiKey(world.api, tenant, ["USAGE_READ"]);
    expect(errorCode(await world.api.graphql(MARK_READ, { contact: "+14155550141" }, { token: usageOnly.secret }))).toBe("FORBIDDEN");
    expect(errorCode(await world.api.graphql(MARK_READ, { contact: "+14155550141" }, {}))).toBe("UNAUTHENTICATED");
    expect(await unreadOf(tenant.key)).toEqual({ "+14155550141": 2 });

    const readOnly = await createApiKey(world.api, tenant, ["MESSAGES_READ"]);
    expectData(await world.api.graphql(MARK_READ, { contact: "+14155550141" }, { token: readOnly.secret }));
    expect(await unreadOf(tenant.key)).toEqual({ "+14155550141": 0 });
  });

  it("lets a member mark a sandbox reply read", async () => {
    const owner = await signUp(world.api, "sandbox-inbox");
    await ensureSandboxWhatsApp(world.api, owner, "+8801711000031");
    const reply = await world.api.graphql(
      `mutation { simulateInboundMessage(from: "+14155550151", text: "is my order ready?") { id } }`,
      {},
      { token: owner.token },
    );
    expectData(reply);
    expect(await unreadOf(owner.token)).toEqual({ "+14155550151": 1 });
    expectData(await world.api.graphql(MARK_READ, { contact: "+14155550151" }, { token: owner.token }));
    expect(await unreadOf(owner.token)).toEqual({ "+14155550151": 0 });
  });
});

describe("wake-ups for live updates", () => {
  it("announces accepted messages after the accept statement, in one NOTIFY for many, never inside it", async () => {
    const tenant = await connectedTenant(world, { label: "notify" });
    // The accept statement itself: no NOTIFY in the function it calls.
    const { rows } = await world.api.database.ownerPool.query(`SELECT prosrc FROM pg_proc WHERE proname = 'app_accept_messages'`);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.prosrc).not.toMatch(/notify/i);

    // Every statement the outbox sends, in order: the accepts, and only after them, on their own, the announcement.
    expect(ACCEPT_MESSAGES_SQL).not.toMatch(/notify/i);
    const statements: { text: string; values: unknown[] }[] = [];
    const pool = world.api.database.db.pool;
    const recording = {
      query: async (text: string, values: unknown[]) => {
        statements.push({ text, values });
        return pool.query(text, values);
      },
    } as unknown as pg.Pool;
    const outbox = createOutbox(recording, () => undefined);

    const listener = await world.api.database.ownerPool.connect();
    const notified: string[] = [];
    listener.on("notification", (message) => {
      if (message.channel === MESSAGE_CHANGES_CHANNEL && message.payload?.includes(tenant.tenantId)) notified.push(message.payload);
    });
    await listener.query(`LISTEN ${MESSAGE_CHANGES_CHANNEL}`);
    try {
      await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          outbox.accept(tenant.tenantId, {
            to: `+1415555016${index % 10}`,
            text: `batch ${index}`,
            idempotencyKey: null,
            requestHash: `hash-${index}`,
            preview: `batch ${index}`,
          }),
        ),
      );
      await eventually(
        async () => notified.length,
        (count) => count > 0,
      );
      expect(statements.filter((statement) => statement.text === ACCEPT_MESSAGES_SQL).length).toBeGreaterThan(0);
      expect(statements.filter((statement) => statement.text !== ACCEPT_MESSAGES_SQL).map((statement) => statement.text)).toEqual(["SELECT pg_notify($1, $2)"]);
      const announcement = statements.find((statement) => statement.text !== ACCEPT_MESSAGES_SQL)!;
      expect(announcement.values).toEqual([MESSAGE_CHANGES_CHANNEL, JSON.stringify([tenant.tenantId])]);
      // The outbox's one announcement reaches listeners. Later ones may follow: the world's dispatcher sends
      // these messages and announces their status changes too.
      expect(notified[0]).toBe(JSON.stringify([tenant.tenantId]));
    } finally {
      await listener.query(`UNLISTEN *`);
      listener.release();
    }
  });
});
