import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { findFreePort } from "../../src/db/embedded-postgres.ts";
import { addMember, errorCode, expectData, signUp, startTestApi } from "../support/api.ts";
import { CONNECT, startMessagingWorld, type MessagingWorld } from "../support/messaging.ts";

let world: MessagingWorld;
beforeAll(async () => {
  world = await startMessagingWorld();
});
afterAll(() => world?.close());
beforeEach(() => world.rapiwa.reset());

const WHATSAPP = `{ tenant { whatsapp { number status provider inboundWebhookUrl connectedAt } } }`;

describe("connectWhatsApp", () => {
  it("checks the key with a confirmation message, then stores it encrypted and shows the inbound URL", async () => {
    const owner = await signUp(world.api, "connect");
    const apiKey = "rapiwa-device-key-1234567890";
    const result = await world.api.graphql(CONNECT, { input: { apiKey, number: "8801712345678" } }, { token: owner.token });
    expect(result.errors).toBeUndefined();
    const connection = result.data!.connectWhatsApp;
    expect(connection).toMatchObject({ number: "+8801712345678", status: "CONNECTED", provider: "RAPIWA", sendRatePerSecond: 20, disconnectedAt: null });
    expect(connection.inboundWebhookUrl).toMatch(/^http:\/\/localhost:\d+\/webhooks\/rapiwa\/[A-Za-z0-9_-]{32}$/);

    const received = world.rapiwa.received();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ number: "8801712345678", apiKey });
    expect(received[0]!.message).toMatch(/now connected/);

    const shown = await world.api.graphql(WHATSAPP, {}, { token: owner.token });
    expect(shown.data!.tenant.whatsapp).toEqual({
      number: "+8801712345678",
      status: "CONNECTED",
      provider: "RAPIWA",
      inboundWebhookUrl: connection.inboundWebhookUrl,
      connectedAt: connection.connectedAt,
    });
    const { rows } = await world.api.database.ownerPool.query("SELECT * FROM whatsapp_connections WHERE tenant_id = $1", [owner.tenantId]);
    expect(JSON.stringify(rows)).not.toContain(apiKey);
    expect(JSON.stringify(rows)).not.toContain(connection.inboundWebhookUrl.split("/").at(-1));
    expect(JSON.stringify(shown)).not.toContain(apiKey);
  });

  it("refuses a key Rapiwa rejects, and saves nothing", async () => {
    const owner = await signUp(world.api, "badkey");
    world.rapiwa.configure({ rejectedKeys: ["revoked-key"] });
    const result = await world.api.graphql(CONNECT, { input: { apiKey: "revoked-key", number: "+8801712345678" } }, { token: owner.token });
    expect(result.errors?.[0]).toMatchObject({
      extensions: { code: "BAD_USER_INPUT", field: "apiKey" },
      message: expect.stringMatching(/rejected this API key.*Nothing was saved/),
    });
    expect((await world.api.graphql(WHATSAPP, {}, { token: owner.token })).data!.tenant.whatsapp).toBeNull();
  });

  it.each([["12345"], ["not a number"], ["+999123456789012345"]])("refuses the number %s before calling Rapiwa", async (number) => {
    const owner = await signUp(world.api, "badnumber");
    const result = await world.api.graphql(CONNECT, { input: { apiKey: "key", number } }, { token: owner.token });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "number" });
    expect(world.rapiwa.attempts()).toHaveLength(0);
  });

  it("refuses a number Rapiwa cannot send to, and saves nothing", async () => {
    const owner = await signUp(world.api, "notwhatsapp");
    world.rapiwa.configure({ invalidNumbers: ["8801812345678"] });
    const result = await world.api.graphql(CONNECT, { input: { apiKey: "key", number: "+8801812345678" } }, { token: owner.token });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "number" });
    expect((await world.api.graphql(WHATSAPP, {}, { token: owner.token })).data!.tenant.whatsapp).toBeNull();
  });

  it.each([
    ["answers 503", 503],
    ["answers 500", 500],
    ["answers 502", 502],
    ["answers 504", 504],
    ["is rate limiting (429)", 429],
    ["drops the connection", 0],
  ])("reports PROVIDER_ERROR when Rapiwa %s, and saves nothing", async (_label, status) => {
    const owner = await signUp(world.api, "down");
    world.rapiwa.configure({ failNext: { count: 1, status } });
    const result = await world.api.graphql(CONNECT, { input: { apiKey: "key", number: "+8801712345678" } }, { token: owner.token });
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: "PROVIDER_ERROR" }, message: expect.stringMatching(/Nothing was saved; try again/) });
    expect((await world.api.graphql(WHATSAPP, {}, { token: owner.token })).data!.tenant.whatsapp).toBeNull();
  });

  it("reports PROVIDER_ERROR, not INTERNAL, when Rapiwa does not answer in time or cannot be reached at all", async () => {
    // Slower than PROVIDER_TIMEOUT_MS (500 ms in this world).
    const slow = await signUp(world.api, "slow");
    world.rapiwa.configure({ latencyMs: 2_000 });
    const timedOut = await world.api.graphql(CONNECT, { input: { apiKey: "key", number: "+8801712345678" } }, { token: slow.token });
    expect(timedOut.errors?.[0]).toMatchObject({
      extensions: { code: "PROVIDER_ERROR" },
      message: expect.stringMatching(/did not answer within 500 ms\. Nothing was saved; try again/),
    });
    world.rapiwa.reset();

    // A server whose Rapiwa address nobody listens on.
    const unreachable = await startTestApi({ environment: { RAPIWA_BASE_URL: `http://127.0.0.1:${await findFreePort()}`, PROVIDER_TIMEOUT_MS: "2000" } });
    try {
      const owner = await signUp(unreachable, "unreachable");
      const refused = await unreachable.graphql(CONNECT, { input: { apiKey: "key", number: "+8801712345678" } }, { token: owner.token });
      expect(refused.status).toBe(200);
      expect(refused.errors?.[0]).toMatchObject({
        extensions: { code: "PROVIDER_ERROR" },
        message: expect.stringMatching(/connection refused.*Nothing was saved; try again/),
      });
      expect((await unreachable.graphql(WHATSAPP, {}, { token: owner.token })).data!.tenant.whatsapp).toBeNull();
    } finally {
      await unreachable.close();
    }
  });

  it("reconnecting the same number with a new key keeps its inbound URL; another number replaces it", async () => {
    const owner = await signUp(world.api, "reconnect");
    const first = expectData(
      await world.api.graphql(CONNECT, { input: { apiKey: "key-1", number: "+8801712345678" } }, { token: owner.token }),
    ).connectWhatsApp;
    const again = expectData(
      await world.api.graphql(CONNECT, { input: { apiKey: "key-2", number: "+8801712345678" } }, { token: owner.token }),
    ).connectWhatsApp;
    expect(again.inboundWebhookUrl).toBe(first.inboundWebhookUrl);
    const other = expectData(
      await world.api.graphql(CONNECT, { input: { apiKey: "key-3", number: "+8801912345678" } }, { token: owner.token }),
    ).connectWhatsApp;
    expect(other.inboundWebhookUrl).not.toBe(first.inboundWebhookUrl);
    const { rows } = await world.api.database.ownerPool.query("SELECT number, status FROM whatsapp_connections WHERE tenant_id = $1 ORDER BY created_at", [
      owner.tenantId,
    ]);
    expect(rows).toEqual([
      { number: "+8801712345678", status: "DISCONNECTED" },
      { number: "+8801912345678", status: "CONNECTED" },
    ]);
  });

  it("disconnectWhatsApp shows the number as disconnected; a second call finds nothing to disconnect", async () => {
    const owner = await signUp(world.api, "disconnect");
    expectData(await world.api.graphql(CONNECT, { input: { apiKey: "key", number: "+8801712345678" } }, { token: owner.token }));
    const result = await world.api.graphql(`mutation { disconnectWhatsApp { status disconnectedAt } }`, {}, { token: owner.token });
    expect(result.data!.disconnectWhatsApp.status).toBe("DISCONNECTED");
    expect((await world.api.graphql(WHATSAPP, {}, { token: owner.token })).data!.tenant.whatsapp.status).toBe("DISCONNECTED");
    expect(errorCode(await world.api.graphql(`mutation { disconnectWhatsApp { status } }`, {}, { token: owner.token }))).toBe("NOT_FOUND");
  });

  it("sandbox_ keys use the in-process sandbox outside production", async () => {
    const owner = await signUp(world.api, "sandbox");
    const result = await world.api.graphql(CONNECT, { input: { apiKey: "sandbox_try_it", number: "+8801712345678" } }, { token: owner.token });
    expect(result.data!.connectWhatsApp.provider).toBe("SANDBOX");
    expect(world.rapiwa.attempts()).toHaveLength(0);
  });

  it("is for owners, admins and TENANT_ADMIN keys only", async () => {
    const owner = await signUp(world.api, "perm-owner");
    const member = await signUp(world.api, "perm-member");
    await addMember(world.api, owner, member, "MEMBER");
    const result = await world.api.graphql(CONNECT, { input: { apiKey: "key", number: "+8801712345678" } }, { token: member.token, tenantId: owner.tenantId });
    expect(errorCode(result)).toBe("FORBIDDEN");
    expect(world.rapiwa.attempts()).toHaveLength(0);
  });
});
