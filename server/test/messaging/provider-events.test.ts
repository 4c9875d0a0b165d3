import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey, expectData, signUp } from "../support/api.ts";
import { CONNECT, connectedTenant, eventually, messageState, SEND, startMessagingWorld, type MessagingWorld, type Sender } from "../support/messaging.ts";

/** Message.providerEvents: the raw Rapiwa callbacks about a message, linked where they are stored. */
let world: MessagingWorld;
let tenant: Sender;
let inboundUrl: string;
beforeAll(async () => {
  world = await startMessagingWorld();
  tenant = await connectedTenant(world, { label: "provider-events" });
  inboundUrl = expectData(await world.api.graphql(`{ tenant { whatsapp { inboundWebhookUrl } } }`, {}, { token: tenant.token })).tenant.whatsapp
    .inboundWebhookUrl;
});
afterAll(() => world?.close());

const callback = async (body: unknown) => {
  const response = await fetch(`${world.api.url}${new URL(inboundUrl).pathname}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { handledAs: string; messageId?: string };
};

const DETAIL = `query ($id: ID!) { message(id: $id) { id history { status } providerEvents { type receivedAt payload } } }`;
const detail = async (id: string, token = tenant.key) =>
  expectData(await world.api.graphql(DETAIL, { id }, { token })).message as {
    history: { status: string }[];
    providerEvents: { type: string; receivedAt: string; payload: unknown }[];
  } | null;

describe("a message's provider events", () => {
  it("hold an incoming message's callback as received, once per callback, and nothing of other messages", async () => {
    const payload = {
      event: "message.received",
      data: { from: "8801811122233", message: "Where is my parcel?", messageId: "wamid.pe.1", extra: { nested: [1, 2] } },
    };
    const stored = await callback(payload);
    // Rapiwa repeats the callback: the repeat is kept too, and linked to the same message.
    expect((await callback(payload)).messageId).toBe(stored.messageId);
    const other = await callback({ event: "message.received", data: { from: "8801811122234", message: "Another", messageId: "wamid.pe.2" } });

    const message = (await detail(stored.messageId!))!;
    expect(message.providerEvents.map((event) => [event.type, event.payload])).toEqual([
      ["message.received", payload],
      ["message.received", payload],
    ]);
    expect(Date.parse(message.providerEvents[0]!.receivedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect((await detail(other.messageId!))!.providerEvents.map((event) => event.payload)).toEqual([
      { event: "message.received", data: { from: "8801811122234", message: "Another", messageId: "wamid.pe.2" } },
    ]);
  });

  it("hold a sent message's receipts, in order, and are read for a whole page in one go", async () => {
    const sent = expectData(await world.api.graphql(SEND, { input: { to: "+8801811122235", text: "Your order shipped" } }, { token: tenant.key })).sendMessage;
    const done = await eventually(
      () => messageState(world.api, tenant, sent.id),
      (state) => state.status === "SENT",
    );
    const delivered = { event: "message.status", data: { messageId: done.providerMessageId, status: "delivered" } };
    const read = { event: "message.status", data: { messageId: done.providerMessageId, status: "read" } };
    expect(await callback(delivered)).toMatchObject({ handledAs: "status", messageId: sent.id });
    await callback(read);
    // A receipt naming no message we sent is kept, linked to nothing.
    await callback({ event: "message.status", data: { messageId: "wamid.unknown", status: "read" } });

    const message = (await detail(sent.id))!;
    expect(message.history.map((step) => step.status)).toEqual(["QUEUED", "SENT", "DELIVERED", "READ"]);
    expect(message.providerEvents.map((event) => event.payload)).toEqual([delivered, read]);

    const page = expectData(await world.api.graphql(`{ messages(first: 50) { edges { node { id providerEvents { payload } } } } }`, {}, { token: tenant.key }))
      .messages.edges as { node: { id: string; providerEvents: { payload: unknown }[] } }[];
    expect(page.find((edge) => edge.node.id === sent.id)!.node.providerEvents.map((event) => event.payload)).toEqual([delivered, read]);
    expect(page.every((edge) => edge.node.providerEvents.length > 0)).toBe(true);
  });

  it("hold the sandbox's simulated reply as the callback Rapiwa would have made", async () => {
    const owner = await signUp(world.api, "provider-events-sandbox");
    expectData(await world.api.graphql(CONNECT, { input: { apiKey: "sandbox_test", number: "+8801711000077" } }, { token: owner.token }));
    const key = await createApiKey(world.api, owner, ["MESSAGES_SEND"]);
    const reply = expectData(
      await world.api.graphql(
        `mutation { simulateInboundMessage(from: "+8801811100077", text: "Yes, thanks!") { id providerMessageId } }`,
        {},
        { token: key.secret },
      ),
    ).simulateInboundMessage;
    const message = (await detail(reply.id, key.secret))!;
    expect(message.providerEvents).toEqual([
      {
        type: "message",
        receivedAt: expect.any(String),
        payload: { event: "message", sandbox: true, data: { from: "+8801811100077", message: "Yes, thanks!", messageId: reply.providerMessageId } },
      },
    ]);
    // Another tenant asking for it learns nothing.
    expect(await detail(reply.id, tenant.key)).toBeNull();
  });
});
