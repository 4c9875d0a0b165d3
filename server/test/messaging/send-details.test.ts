import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectData } from "../support/api.ts";
import { connectedTenant, SEND, startMessagingWorld, type MessagingWorld, type Sender } from "../support/messaging.ts";

/** What sendMessage tells the caller, beyond the codes and fields checked in send-message.test.ts. */
let world: MessagingWorld;
let sender: Sender;
beforeAll(async () => {
  world = await startMessagingWorld();
  sender = await connectedTenant(world, { label: "send-details" });
});
afterAll(() => world?.close());

const send = (input: Record<string, unknown>, token = sender.key) => world.api.graphql(SEND, { input }, { token });
const refusal = (field: string, message: string) => ({ message, extensions: { code: "BAD_USER_INPUT", field } });

describe("sendMessage says what is wrong", () => {
  it.each([
    ["empty text", { to: "+14155550101", text: "" }, refusal("text", "Write the message text.")],
    ["blank text", { to: "+14155550101", text: " \n " }, refusal("text", "Write the message text.")],
    [
      "text over 4,096 characters",
      { to: "+14155550101", text: "y".repeat(4_100) },
      refusal("text", "The text is 4100 characters; WhatsApp allows at most 4096."),
    ],
    [
      "an empty idempotency key",
      { to: "+14155550101", text: "hi", idempotencyKey: "" },
      refusal("idempotencyKey", "An idempotency key has 1 to 255 characters."),
    ],
    [
      "an idempotency key of 256 characters",
      { to: "+14155550101", text: "hi", idempotencyKey: "k".repeat(256) },
      refusal("idempotencyKey", "An idempotency key has 1 to 255 characters."),
    ],
  ])("for %s", async (_label, input, expected) => {
    expect((await send(input)).errors?.[0]).toMatchObject(expected);
  });

  it("accepts an idempotency key of 255 characters, and names the key's field when it was used for another message", async () => {
    const key = `${Date.now()}`.padEnd(255, "k");
    expect(expectData(await send({ to: "+14155550102", text: "first", idempotencyKey: key })).sendMessage).toMatchObject({
      idempotencyKey: key,
      status: "QUEUED",
    });
    expect((await send({ to: "+14155550102", text: "second", idempotencyKey: key })).errors?.[0]).toMatchObject({
      message: "This idempotency key was already used for a different message (other recipient or text).",
      extensions: { code: "CONFLICT", field: "idempotencyKey" },
    });
  });

  it("tells a suspended tenant's API key why it cannot send", async () => {
    const other = await connectedTenant(world, { label: "send-details-inactive" });
    await world.api.database.ownerPool.query("UPDATE tenants SET active = false WHERE id = $1", [other.tenantId]);
    expect((await send({ to: "+14155550101", text: "hi" }, other.key)).errors?.[0]).toMatchObject({
      message:
        "This API key's company is suspended by Switchboard: its API keys, sends and webhook deliveries are paused. Its owners and admins see the reason in the dashboard.",
      extensions: { code: "FORBIDDEN" },
    });
  });
});

describe("POST /api/v1/send-message says what is wrong", () => {
  it("with an empty Idempotency-Key", async () => {
    const response = await fetch(`${world.api.url}/api/v1/send-message`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${sender.key}`, "idempotency-key": "" },
      body: JSON.stringify({ number: "+8801512345678", message: "hi" }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: "BAD_USER_INPUT", field: "Idempotency-Key", message: "An idempotency key has 1 to 255 characters." },
    });
  });
});
