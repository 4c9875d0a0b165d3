import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey, errorCode, expectData, signUp } from "../support/api.ts";
import { CONNECT, connectedTenant, eventually, messageState, SEND, startMessagingWorld, type MessagingWorld, type Sender } from "../support/messaging.ts";

let world: MessagingWorld;
let tenant: Sender;
let inboundUrl: string;
beforeAll(async () => {
  world = await startMessagingWorld();
  tenant = await connectedTenant(world, { label: "inbound" });
  const shown = expectData(await world.api.graphql(`{ tenant { whatsapp { inboundWebhookUrl } } }`, {}, { token: tenant.token }));
  inboundUrl = shown.tenant.whatsapp.inboundWebhookUrl;
});
afterAll(() => world?.close());

/** Posts to the path of the tenant's inbound URL on the test server. */
const callback = (body: unknown, url = inboundUrl) =>
  fetch(`${world.api.url}${new URL(url).pathname}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then(
    async (response) => ({ status: response.status, body: (await response.json()) as Record<string, any> }),
  );

const NOT_FOUND = { status: 404, body: { error: { code: "NOT_FOUND", message: "This inbound URL was not found." } } };

const inboundMessages = async () =>
  (
    await world.api.database.ownerPool.query(
      "SELECT from_number, to_number, contact_number, body, status, provider_message_id FROM messages WHERE tenant_id = $1 AND direction = 'INBOUND' ORDER BY created_at",
      [tenant.tenantId],
    )
  ).rows;

describe("Rapiwa callbacks to the inbound URL", () => {
  it("store an incoming message once, however often Rapiwa repeats it", async () => {
    const payload = {
      event: "message.received",
      data: { from: "8801811111111", message: "Is my order ready?", messageId: "wamid.1", extra: { any: "field" } },
    };
    expect(await callback(payload)).toMatchObject({ status: 200, body: { handledAs: "message" } });
    expect((await callback(payload)).status).toBe(200);
    expect(await inboundMessages()).toEqual([
      {
        from_number: "+8801811111111",
        to_number: tenant.number,
        contact_number: "+8801811111111",
        body: "Is my order ready?",
        status: "RECEIVED",
        provider_message_id: "wamid.1",
      },
    ]);
    const conversations = await world.api.graphql(`{ conversations { edges { node { contact receivedCount } } } }`, {}, { token: tenant.key });
    expect(conversations.data!.conversations.edges).toContainEqual({ node: { contact: "+8801811111111", receivedCount: 1 } });
  });

  it("store a message that carries no id once, however often Rapiwa repeats it", async () => {
    const text = `no id here ${Date.now()}`;
    const payload = { event: "message.received", data: { from: "8801811111119", message: text } };
    const first = await callback(payload);
    expect(first).toMatchObject({ status: 200, body: { handledAs: "message", messageId: expect.any(String) } });
    const again = await callback(payload);
    expect(again).toMatchObject({ status: 200, body: { handledAs: "message", messageId: first.body.messageId } });
    const stored = (await inboundMessages()).filter((row) => row.body === text);
    expect(stored).toEqual([
      {
        from_number: "+8801811111119",
        to_number: tenant.number,
        contact_number: "+8801811111119",
        body: text,
        status: "RECEIVED",
        provider_message_id: expect.any(String),
      },
    ]);
    // Another message without an id is another message.
    const other = await callback({ event: "message.received", data: { from: "8801811111119", message: `${text} (second)` } });
    expect(other.body.messageId).not.toBe(first.body.messageId);
  });

  it("apply delivery and read receipts to the message they name", async () => {
    const sent = expectData(await world.api.graphql(SEND, { input: { to: "+8801811111112", text: "It is ready" } }, { token: tenant.key })).sendMessage;
    const done = await eventually(
      () => messageState(world.api, tenant, sent.id),
      (message) => message.status === "SENT",
    );
    expect(await callback({ event: "message.status", data: { messageId: done.providerMessageId, status: "delivered" } })).toMatchObject({
      status: 200,
      body: { handledAs: "status", messageId: sent.id },
    });
    expect(await callback({ event: "message.status", data: { messageId: done.providerMessageId, status: "read" } })).toMatchObject({
      status: 200,
      body: { handledAs: "status", messageId: sent.id },
    });
    // A late "delivered" does not undo "read".
    expect(await callback({ event: "message.status", data: { messageId: done.providerMessageId, status: "delivered" } })).toMatchObject({
      status: 200,
      body: { handledAs: "status" },
    });
    const final = await messageState(world.api, tenant, sent.id);
    expect(final.status).toBe("READ");
    expect(final.history.map((entry) => entry.status)).toEqual(["QUEUED", "SENT", "DELIVERED", "READ"]);
  });

  it("keep payloads they cannot read, as received", async () => {
    const before = (await world.api.database.ownerPool.query("SELECT count(*)::int AS n FROM provider_events WHERE tenant_id = $1", [tenant.tenantId])).rows[0]
      .n;
    expect(await callback({ event: "device.disconnected", data: { reason: "phone offline" } })).toMatchObject({ status: 200, body: { handledAs: "unknown" } });
    const { rows } = await world.api.database.ownerPool.query(
      "SELECT event_type, payload FROM provider_events WHERE tenant_id = $1 ORDER BY received_at DESC LIMIT 1",
      [tenant.tenantId],
    );
    expect(rows[0]).toEqual({ event_type: "device.disconnected", payload: { event: "device.disconnected", data: { reason: "phone offline" } } });
    expect((await world.api.database.ownerPool.query("SELECT count(*)::int AS n FROM provider_events WHERE tenant_id = $1", [tenant.tenantId])).rows[0].n).toBe(
      before + 1,
    );
  });

  it("answer 404 for a URL that belongs to no connection, and store nothing", async () => {
    const response = await callback({ data: { from: "8801811111113", message: "hi" } }, `${world.api.url}/webhooks/rapiwa/${"x".repeat(32)}`);
    const notFound = { status: 404, body: { error: { code: "NOT_FOUND", message: "This inbound URL was not found." } } };
    expect(response).toEqual(notFound);
    const bad = await callback({ data: {} }, `${world.api.url}/webhooks/rapiwa/not.a.token`);
    expect(bad).toEqual(notFound);
  });

  it("answer malformed JSON with a 400", async () => {
    const response = await fetch(`${world.api.url}${new URL(inboundUrl).pathname}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{nope",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: "BAD_USER_INPUT", field: "body", message: expect.stringMatching(/not valid JSON/) } });
  });
});

describe("the inbound URL is a credential", () => {
  const URL_QUERY = `{ tenant { whatsapp { number inboundWebhookUrl } } }`;
  const ROTATE = `mutation { rotateInboundWebhookToken { number status inboundWebhookUrl } }`;
  const DISCONNECT = `mutation { disconnectWhatsApp { status inboundWebhookUrl } }`;

  it("is shown to owners, admins and TENANT_ADMIN keys only", async () => {
    const member = await signUp(world.api, "inbound-member");
    const admin = await signUp(world.api, "inbound-admin");
    // Straight into the table: this suite is about the URL, not about how people join a team.
    for (const [person, role] of [
      [member, "MEMBER"],
      [admin, "ADMIN"],
    ] as const) {
      await world.api.database.ownerPool.query("INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, $3)", [
        tenant.tenantId,
        person.userId,
        role,
      ]);
    }
    const tenantAdminKey = await createApiKey(world.api, tenant, ["TENANT_ADMIN"]);
    for (const [who, caller] of [
      ["owner", { token: tenant.token }],
      ["admin", { token: admin.token, tenantId: tenant.tenantId }],
      ["TENANT_ADMIN key", { token: tenantAdminKey.secret }],
    ] as const) {
      const shown = await world.api.graphql(URL_QUERY, {}, caller);
      expect(shown.errors, who).toBeUndefined();
      expect(shown.data!.tenant.whatsapp, who).toEqual({ number: tenant.number, inboundWebhookUrl: inboundUrl });
    }

    const usageKey = await createApiKey(world.api, tenant, ["USAGE_READ"]);
    for (const [who, caller] of [
      ["member", { token: member.token, tenantId: tenant.tenantId }],
      ["USAGE_READ key", { token: usageKey.secret }],
      ["sending key", { token: tenant.key }],
    ] as const) {
      const refused = await world.api.graphql(URL_QUERY, {}, caller);
      expect(refused.errors?.[0], who).toMatchObject({ extensions: { code: "FORBIDDEN" }, path: ["tenant", "whatsapp", "inboundWebhookUrl"] });
      // The rest of the answer is still there; only the secret is withheld.
      expect(refused.data!.tenant.whatsapp, who).toEqual({ number: tenant.number, inboundWebhookUrl: null });
      expect(JSON.stringify(refused), who).not.toContain(new URL(inboundUrl).pathname);
    }
  });

  it("stops working once its number is disconnected, and another number gets a URL of its own", async () => {
    const owner = await connectedTenant(world, { label: "inbound-disconnect", number: "+8801712340001" });
    const firstUrl: string = expectData(await world.api.graphql(URL_QUERY, {}, { token: owner.token })).tenant.whatsapp.inboundWebhookUrl;
    // Used while connected: the server now remembers which connection the URL opens.
    expect((await callback({ data: { from: "+14155550111", message: "while connected", messageId: "wamid.early" } }, firstUrl)).status).toBe(200);
    const disconnected = await world.api.graphql(DISCONNECT, {}, { token: owner.token });
    expect(disconnected.data!.disconnectWhatsApp).toEqual({ status: "DISCONNECTED", inboundWebhookUrl: null });

    const late = await callback({ data: { from: "+14155550111", message: "after the disconnect", messageId: "wamid.late" } }, firstUrl);
    expect(late).toMatchObject({ status: 404, body: { error: { code: "NOT_FOUND" } } });

    const reconnected = await world.api.graphql(CONNECT, { input: { apiKey: "another-device-key", number: "+8801712340002" } }, { token: owner.token });
    const secondUrl: string = reconnected.data!.connectWhatsApp.inboundWebhookUrl;
    expect(secondUrl).not.toBe(firstUrl);
    expect(await callback({ data: { from: "+14155550111", message: "old URL", messageId: "wamid.old" } }, firstUrl)).toEqual(NOT_FOUND);
    expect((await callback({ data: { from: "+14155550111", message: "new URL", messageId: "wamid.new" } }, secondUrl)).status).toBe(200);

    const { rows } = await world.api.database.ownerPool.query("SELECT body FROM messages WHERE tenant_id = $1 AND direction = 'INBOUND' ORDER BY created_at", [
      owner.tenantId,
    ]);
    expect(rows).toEqual([{ body: "while connected" }, { body: "new URL" }]);
  });

  it("moves only messages its own connection sent", async () => {
    const owner = await connectedTenant(world, { label: "inbound-receipts", number: "+8801712340003" });
    const sent = expectData(
      await world.api.graphql(SEND, { input: { to: "+8801811111114", text: "from the first number" } }, { token: owner.key }),
    ).sendMessage;
    const done = await eventually(
      () => messageState(world.api, owner, sent.id),
      (message) => message.status === "SENT",
    );

    const reconnected = await world.api.graphql(CONNECT, { input: { apiKey: "second-device-key", number: "+8801712340004" } }, { token: owner.token });
    const secondUrl: string = reconnected.data!.connectWhatsApp.inboundWebhookUrl;
    const receipt = await callback({ event: "message.status", data: { messageId: done.providerMessageId, status: "read" } }, secondUrl);
    expect(receipt).toEqual({ status: 200, body: { success: true, handledAs: "status" } });
    expect((await messageState(world.api, owner, sent.id)).status).toBe("SENT");
  });

  it("can be rotated: the old URL stops at once and the new one works", async () => {
    const owner = await connectedTenant(world, { label: "inbound-rotate", number: "+8801712340005" });
    const oldUrl: string = expectData(await world.api.graphql(URL_QUERY, {}, { token: owner.token })).tenant.whatsapp.inboundWebhookUrl;
    // Used before the rotation: the server now remembers which connection the old URL opens.
    expect((await callback({ data: { from: "+14155550112", message: "before the rotation", messageId: "wamid.r0" } }, oldUrl)).status).toBe(200);

    expect(errorCode(await world.api.graphql(ROTATE, {}, { token: owner.key }))).toBe("FORBIDDEN");
    const rotated = await world.api.graphql(ROTATE, {}, { token: owner.token });
    expect(rotated.errors).toBeUndefined();
    const newUrl: string = rotated.data!.rotateInboundWebhookToken.inboundWebhookUrl;
    expect(rotated.data!.rotateInboundWebhookToken).toMatchObject({ number: owner.number, status: "CONNECTED" });
    expect(newUrl).toMatch(/\/webhooks\/rapiwa\/[\w-]{32}$/);
    expect(newUrl).not.toBe(oldUrl);
    expect((await world.api.graphql(URL_QUERY, {}, { token: owner.token })).data!.tenant.whatsapp.inboundWebhookUrl).toBe(newUrl);

    expect(await callback({ data: { from: "+14155550112", message: "to the old URL", messageId: "wamid.r1" } }, oldUrl)).toEqual(NOT_FOUND);
    expect((await callback({ data: { from: "+14155550112", message: "to the new URL", messageId: "wamid.r2" } }, newUrl)).status).toBe(200);
    const { rows } = await world.api.database.ownerPool.query("SELECT body FROM messages WHERE tenant_id = $1 AND direction = 'INBOUND' ORDER BY created_at", [
      owner.tenantId,
    ]);
    expect(rows).toEqual([{ body: "before the rotation" }, { body: "to the new URL" }]);
    const events = await world.api.database.ownerPool.query("SELECT payload FROM provider_events WHERE tenant_id = $1", [owner.tenantId]);
    expect(JSON.stringify(events.rows)).not.toContain("to the old URL");
    const audit = await world.api.database.ownerPool.query(
      "SELECT action FROM audit_logs WHERE tenant_id = $1 AND action LIKE 'whatsapp.%' ORDER BY created_at, id",
      [owner.tenantId],
    );
    expect(audit.rows.map((row) => row.action)).toEqual(["whatsapp.connected", "whatsapp.inbound_token_rotated"]);

    expectData(await world.api.graphql(DISCONNECT, {}, { token: owner.token }));
    expect(errorCode(await world.api.graphql(ROTATE, {}, { token: owner.token }))).toBe("NOT_FOUND");
  });
});

describe("callbacks holding text PostgreSQL cannot store", () => {
  const latestEvent = async () =>
    (
      await world.api.database.ownerPool.query(
        "SELECT event_type, payload FROM provider_events WHERE tenant_id = $1 ORDER BY received_at DESC, id DESC LIMIT 1",
        [tenant.tenantId],
      )
    ).rows[0];
  const storedBody = async (providerMessageId: string) =>
    (
      await world.api.database.ownerPool.query("SELECT body FROM messages WHERE tenant_id = $1 AND provider_message_id = $2", [
        tenant.tenantId,
        providerMessageId,
      ])
    ).rows;

  it.each([
    ["a NUL", "\u0000"],
    ["a lone surrogate", "\ud800"],
  ])("keep a message with %s, that character replaced by U+FFFD, payload included", async (_label, bad) => {
    const id = `wamid.bad-${bad.charCodeAt(0)}`;
    const payload = { event: `message${bad}`, data: { from: "8801811111114", message: `before${bad}after`, messageId: id, [`key${bad}`]: `value${bad}` } };
    expect(await callback(payload)).toMatchObject({ status: 200, body: { handledAs: "message" } });
    expect(await storedBody(id)).toEqual([{ body: "before\uFFFDafter" }]);
    expect(await latestEvent()).toEqual({
      event_type: "message\uFFFD",
      payload: { event: "message\uFFFD", data: { from: "8801811111114", message: "before\uFFFDafter", messageId: id, "key\uFFFD": "value\uFFFD" } },
    });
  });

  it("keep a message whose provider id is longer than the column, once however often it arrives", async () => {
    const longId = `wamid.${"x".repeat(500)}`;
    const payload = { data: { from: "8801811111115", message: "a very long id", messageId: longId } };
    const first = await callback(payload);
    expect(first).toMatchObject({ status: 200, body: { handledAs: "message" } });
    expect((await callback(payload)).body.messageId).toBe(first.body.messageId);
    const { rows } = await world.api.database.ownerPool.query(
      "SELECT body, provider_message_id FROM messages WHERE tenant_id = $1 AND body = 'a very long id'",
      [tenant.tenantId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].provider_message_id.length).toBeLessThanOrEqual(128);
    // Another over-long id sharing the first 128 characters is another message.
    expect((await callback({ data: { from: "8801811111115", message: "a very long id", messageId: `${longId}y` } })).body.messageId).not.toBe(
      first.body.messageId,
    );
  });

  it.each([
    ["a bare string with a NUL", "\u0000"],
    ["an array with a lone surrogate", ["\ud800", { "\u0000": "\udfff" }]],
    ["a receipt naming an over-long id with a NUL", { data: { messageId: `${"z".repeat(300)}\u0000`, status: "delivered" } }],
    ["an over-long sender", { data: { from: "1".repeat(5_000), message: "hi\u0000" } }],
    ["an over-long event name", { event: "e".repeat(5_000), data: { reason: "\ud800" } }],
  ])("answer %s with 200 and keep it", async (_label, body) => {
    const response = await callback(body);
    expect(response.status).toBe(200);
    expect(JSON.stringify(await latestEvent())).not.toMatch(/\\u0000|\\ud800|\\udfff/);
  });

  it("answer a token path holding NUL, a lone surrogate or thousands of characters with a 4xx, never a 5xx", async () => {
    for (const token of ["%00".repeat(20), `${"b".repeat(20)}%ED%A0%80`, "a".repeat(90), "a".repeat(5_000)]) {
      const response = await fetch(`${world.api.url}/webhooks/rapiwa/${token}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      expect(response.status, token.slice(0, 30)).toBeGreaterThanOrEqual(400);
      expect(response.status, token.slice(0, 30)).toBeLessThan(500);
      expect(await response.json(), token.slice(0, 30)).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
    }
  });
});
