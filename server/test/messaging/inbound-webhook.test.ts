import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectedTenant, eventually, messageState, SEND, startMessagingWorld, type MessagingWorld, type Sender } from "../support/messaging.ts";

let world: MessagingWorld;
let tenant: Sender;
let inboundUrl: string;
beforeAll(async () => {
  world = await startMessagingWorld();
  tenant = await connectedTenant(world, { label: "inbound" });
  const shown = await world.api.graphql(`{ tenant { whatsapp { inboundWebhookUrl } } }`, {}, { token: tenant.token });
  inboundUrl = shown.data!.tenant.whatsapp.inboundWebhookUrl;
});
afterAll(() => world?.close());

/** Posts to the path of the tenant's inbound URL on the test server. */
const callback = (body: unknown, url = inboundUrl) =>
  fetch(`${world.api.url}${new URL(url).pathname}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then(
    async (response) => ({ status: response.status, body: (await response.json()) as Record<string, any> }),
  );

const inboundMessages = async () =>
  (
    await world.api.database.ownerPool.query(
      "SELECT from_number, to_number, contact_number, body, status, provider_message_id FROM messages WHERE tenant_id = $1 AND direction = 'INBOUND' ORDER BY created_at",
      [tenant.tenantId],
    )
  ).rows;

describe("Rapiwa callbacks to the inbound URL", () => {
  it("store an incoming message once, however often Rapiwa repeats it", async () => {
    const payload = { event: "message.received", data: { from: "8801811111111", message: "Is my order ready?", messageId: "wamid.1", extra: { any: "field" } } };
    expect(await callback(payload)).toMatchObject({ status: 200, body: { handledAs: "message" } });
    expect((await callback(payload)).status).toBe(200);
    expect(await inboundMessages()).toEqual([
      { from_number: "+8801811111111", to_number: tenant.number, contact_number: "+8801811111111", body: "Is my order ready?", status: "RECEIVED", provider_message_id: "wamid.1" },
    ]);
    const conversations = await world.api.graphql(`{ conversations { edges { node { contact receivedCount } } } }`, {}, { token: tenant.key });
    expect(conversations.data!.conversations.edges).toContainEqual({ node: { contact: "+8801811111111", receivedCount: 1 } });
  });

  it("apply delivery and read receipts to the message they name", async () => {
    const sent = (await world.api.graphql(SEND, { input: { to: "+8801811111112", text: "It is ready" } }, { token: tenant.key })).data!.sendMessage;
    const done = await eventually(() => messageState(world.api, tenant, sent.id), (message) => message.status === "SENT");
    expect(await callback({ event: "message.status", data: { messageId: done.providerMessageId, status: "delivered" } })).toMatchObject({
      status: 200,
      body: { handledAs: "status", messageId: sent.id },
    });
    await callback({ event: "message.status", data: { messageId: done.providerMessageId, status: "read" } });
    // A late "delivered" does not undo "read".
    await callback({ event: "message.status", data: { messageId: done.providerMessageId, status: "delivered" } });
    const final = await messageState(world.api, tenant, sent.id);
    expect(final.status).toBe("READ");
    expect(final.history.map((entry) => entry.status)).toEqual(["QUEUED", "SENT", "DELIVERED", "READ"]);
  });

  it("keep payloads they cannot read, as received", async () => {
    const before = (await world.api.database.ownerPool.query("SELECT count(*)::int AS n FROM provider_events WHERE tenant_id = $1", [tenant.tenantId])).rows[0].n;
    expect(await callback({ event: "device.disconnected", data: { reason: "phone offline" } })).toMatchObject({ status: 200, body: { handledAs: "unknown" } });
    const { rows } = await world.api.database.ownerPool.query("SELECT event_type, payload FROM provider_events WHERE tenant_id = $1 ORDER BY received_at DESC LIMIT 1", [
      tenant.tenantId,
    ]);
    expect(rows[0]).toEqual({ event_type: "device.disconnected", payload: { event: "device.disconnected", data: { reason: "phone offline" } } });
    expect((await world.api.database.ownerPool.query("SELECT count(*)::int AS n FROM provider_events WHERE tenant_id = $1", [tenant.tenantId])).rows[0].n).toBe(before + 1);
  });

  it("answer 404 for a URL that belongs to no connection, and store nothing", async () => {
    const response = await callback({ data: { from: "8801811111113", message: "hi" } }, `${world.api.url}/webhooks/rapiwa/${"x".repeat(32)}`);
    expect(response).toMatchObject({ status: 404, body: { error: { code: "NOT_FOUND" } } });
    const bad = await callback({ data: {} }, `${world.api.url}/webhooks/rapiwa/not.a.token`);
    expect(bad.status).toBe(404);
  });

  it("answer malformed JSON with a 400", async () => {
    const response = await fetch(`${world.api.url}${new URL(inboundUrl).pathname}`, { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
    expect(response.status).toBe(400);
  });
});
