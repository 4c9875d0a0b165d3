import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey, ensureSandboxWhatsApp, expectData, signUp } from "../support/api.ts";
import { CONNECT, connectedTenant, startMessagingWorld, type MessagingWorld } from "../support/messaging.ts";

/** simulateInboundMessage: the sandbox's stand-in for a contact's reply (development and tests only). */
let world: MessagingWorld;
beforeAll(async () => {
  world = await startMessagingWorld();
});
afterAll(() => world?.close());

const SIMULATE = `mutation ($from: String!, $text: String!) { simulateInboundMessage(from: $from, text: $text) { id direction from to text status } }`;

describe("a simulated reply", () => {
  it("is stored as a received message from the contact to the connected sandbox number, 1 to 4,096 characters as people count them", async () => {
    const api = world.api;
    const owner = await signUp(api, "simulate");
    // An earlier sandbox number, disconnected: replies go to the connected one.
    await ensureSandboxWhatsApp(api, owner, "+8801711000008");
    expectData(await api.graphql(`mutation { disconnectWhatsApp { status } }`, {}, { token: owner.token }));
    expectData(await api.graphql(CONNECT, { input: { apiKey: "sandbox_test", number: "+8801711000009" } }, { token: owner.token }));
    const key = await createApiKey(api, owner, ["MESSAGES_SEND"]);

    const reply = expectData(await api.graphql(SIMULATE, { from: "8801811119999", text: "👍".repeat(4_096) }, { token: key.secret })).simulateInboundMessage;
    expect(reply).toMatchObject({ direction: "INBOUND", from: "+8801811119999", to: "+8801711000009", text: "👍".repeat(4_096), status: "RECEIVED" });
    const short = expectData(await api.graphql(SIMULATE, { from: "8801811119999", text: "a" }, { token: key.secret })).simulateInboundMessage;
    expect(short).toMatchObject({ text: "a", status: "RECEIVED" });
    expect(short.id).not.toBe(reply.id);
    const stored = await api.database.ownerPool.query("SELECT count(*)::int AS n FROM messages WHERE tenant_id = $1 AND direction = 'INBOUND'", [
      owner.tenantId,
    ]);
    expect(stored.rows[0].n).toBe(2);

    for (const text of ["", "x".repeat(4_097)]) {
      expect((await api.graphql(SIMULATE, { from: "8801811119999", text }, { token: key.secret })).errors?.[0]).toMatchObject({
        message: "Write 1 to 4096 characters.",
        extensions: { code: "BAD_USER_INPUT", field: "text" },
      });
    }
    expect((await api.graphql(SIMULATE, { from: "12", text: "hi" }, { token: key.secret })).errors?.[0]).toMatchObject({
      extensions: { code: "BAD_USER_INPUT", field: "from" },
    });
  });

  it.each([
    ["no number", false],
    ["a Rapiwa number", true],
  ])("is refused, saying why, to a tenant with %s", async (_label, rapiwa) => {
    const owner = rapiwa ? await connectedTenant(world, { label: "simulate-rapiwa" }) : await signUp(world.api, "simulate-unconnected");
    const refused = await world.api.graphql(SIMULATE, { from: "8801811119999", text: "hi" }, { token: owner.token });
    expect(refused.errors?.[0]).toMatchObject({
      message: "Simulated replies need a connected sandbox number (an API key starting with sandbox_, in development).",
      extensions: { code: "CONFLICT" },
    });
  });
});
