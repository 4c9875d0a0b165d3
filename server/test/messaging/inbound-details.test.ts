import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectData } from "../support/api.ts";
import { connectedTenant, startMessagingWorld, type MessagingWorld, type Sender } from "../support/messaging.ts";

/** How callbacks to the inbound URL are read, beyond inbound-webhook.test.ts: field fallbacks, receipts, names. */
let world: MessagingWorld;
let tenant: Sender;
let inboundPath: string;
beforeAll(async () => {
  world = await startMessagingWorld();
  tenant = await connectedTenant(world, { label: "inbound-details" });
  const shown = expectData(await world.api.graphql(`{ tenant { whatsapp { inboundWebhookUrl } } }`, {}, { token: tenant.token }));
  inboundPath = new URL(shown.tenant.whatsapp.inboundWebhookUrl).pathname;
});
afterAll(() => world?.close());

const callback = (body: unknown) =>
  fetch(`${world.api.url}${inboundPath}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then(
    async (response) => ({ status: response.status, body: (await response.json()) as Record<string, any> }),
  );
const query = async (sql: string, params: unknown[]) => (await world.api.database.ownerPool.query(sql, params)).rows;
const latestEvent = async () =>
  (await query("SELECT event_type, payload FROM provider_events WHERE tenant_id = $1 ORDER BY received_at DESC, id DESC LIMIT 1", [tenant.tenantId]))[0];
const inboundByProviderId = (providerMessageId: string) =>
  query("SELECT from_number, body, status FROM messages WHERE tenant_id = $1 AND provider_message_id = $2", [tenant.tenantId, providerMessageId]);

/** An outbound message of this tenant's connection in `status`, with a provider id (set-up past the API). */
async function outboundMessage(status: string, providerMessageId: string) {
  const [connection] = await query("SELECT id FROM whatsapp_connections WHERE tenant_id = $1 AND status = 'CONNECTED'", [tenant.tenantId]);
  const [row] = await query(
    `WITH message AS (
       INSERT INTO messages (tenant_id, id, connection_id, direction, from_number, to_number, contact_number, body, preview, status, provider_message_id)
       VALUES ($1, gen_random_uuid(), $2, 'OUTBOUND', $3, '+8801811112222', '+8801811112222', 'hello', 'hello', $4::"MessageStatus", $5) RETURNING id
     ), ref AS (
       -- As recording a send does: provider ids are looked up in provider_message_refs.
       INSERT INTO provider_message_refs (tenant_id, provider_message_id, message_id) SELECT $1, $5, id FROM message
     )
     SELECT id FROM message`,
    [tenant.tenantId, connection.id, tenant.number, status, providerMessageId],
  );
  return row.id as string;
}
const statusOf = async (id: string) => (await query("SELECT status FROM messages WHERE tenant_id = $1 AND id = $2", [tenant.tenantId, id]))[0].status;

describe("an incoming message", () => {
  it("is read from the payload's top level when there is no data object, and its event name is then what it was read as", async () => {
    const reply = await callback({ from: "8801811110001", message: "no data wrapper", messageId: "wamid.top-level" });
    expect(reply).toMatchObject({ status: 200, body: { handledAs: "message", messageId: expect.any(String) } });
    expect(await inboundByProviderId("wamid.top-level")).toEqual([{ from_number: "+8801811110001", body: "no data wrapper", status: "RECEIVED" }]);
    expect(await latestEvent()).toEqual({
      event_type: "message",
      payload: { from: "8801811110001", message: "no data wrapper", messageId: "wamid.top-level" },
    });
  });

  it("skips blank fields for the next name that has text", async () => {
    const reply = await callback({ data: { from: "  ", sender: "8801811110002", message: " \n ", text: "the real text", messageId: "wamid.blank-fields" } });
    expect(reply).toMatchObject({ status: 200, body: { handledAs: "message" } });
    expect(await inboundByProviderId("wamid.blank-fields")).toEqual([{ from_number: "+8801811110002", body: "the real text", status: "RECEIVED" }]);
  });

  it("from something that is not a phone number is kept as an unknown payload, not stored as a message", async () => {
    const reply = await callback({ event: "message.received", data: { from: "not a number", message: "hello", messageId: "wamid.bad-sender" } });
    expect(reply).toEqual({ status: 200, body: { success: true, handledAs: "unknown" } });
    expect(await inboundByProviderId("wamid.bad-sender")).toEqual([]);
    expect((await latestEvent()).event_type).toBe("message.received");
  });

  it("keeps at most 100 characters of an event name", async () => {
    const event = `${"e".repeat(99)}xyz`;
    expect((await callback({ event, data: { reason: "long" } })).status).toBe(200);
    expect((await latestEvent()).event_type).toBe(`${"e".repeat(99)}x`);
  });

  it("with a sender but no text is kept as an unknown payload", async () => {
    const reply = await callback({ data: { from: "8801811110004", messageId: "wamid.no-text" } });
    expect(reply).toEqual({ status: 200, body: { success: true, handledAs: "unknown" } });
    expect(await inboundByProviderId("wamid.no-text")).toEqual([]);
  });

  it("a null body, or null data, is kept as an unknown payload", async () => {
    expect(await callback(null)).toMatchObject({ status: 200, body: { handledAs: "unknown" } });
    expect(await latestEvent()).toEqual({ event_type: "unknown", payload: { value: null } });
    expect(await callback({ event: "ping", data: null })).toMatchObject({ status: 200, body: { handledAs: "unknown" } });
    expect(await latestEvent()).toEqual({ event_type: "ping", payload: { event: "ping", data: null } });
  });

  it("a bare value is kept wrapped as { value }", async () => {
    expect(await callback("just a string")).toMatchObject({ status: 200, body: { handledAs: "unknown" } });
    expect(await latestEvent()).toEqual({ event_type: "unknown", payload: { value: "just a string" } });
  });
});

describe("a receipt", () => {
  it("is read in any letter case, and also moves a message whose sending outcome was unknown", async () => {
    const id = await outboundMessage("UNKNOWN", "wamid.unknown-then-delivered");
    expect(await callback({ data: { messageId: "wamid.unknown-then-delivered", status: "DELIVERED" } })).toMatchObject({
      status: 200,
      body: { handledAs: "status", messageId: id },
    });
    expect(await statusOf(id)).toBe("DELIVERED");
    const read = await outboundMessage("UNKNOWN", "wamid.unknown-then-read");
    expect((await callback({ data: { messageId: "wamid.unknown-then-read", ack: "Read" } })).body).toMatchObject({ handledAs: "status", messageId: read });
    expect(await statusOf(read)).toBe("READ");
  });

  it("never names or moves an incoming message that has the same provider id", async () => {
    expect((await callback({ data: { from: "8801811110003", message: "incoming", messageId: "wamid.incoming-receipt" } })).body.handledAs).toBe("message");
    const receipt = await callback({ data: { messageId: "wamid.incoming-receipt", status: "read" } });
    expect(receipt).toEqual({ status: 200, body: { success: true, handledAs: "status" } });
    expect(await inboundByProviderId("wamid.incoming-receipt")).toEqual([{ from_number: "+8801811110003", body: "incoming", status: "RECEIVED" }]);
  });
});
