import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey, ensureSandboxWhatsApp, expectData, signUp, startTestApi, type TestApi } from "../support/api.ts";

/** simulateInboundMessage: the sandbox's stand-in for a contact's reply (development and tests only). */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

const SIMULATE = `mutation ($from: String!, $text: String!) { simulateInboundMessage(from: $from, text: $text) { id direction from to text status } }`;

describe("a simulated reply", () => {
  it("is stored as a received message from the contact to the sandbox number, 1 to 4,096 characters as people count them", async () => {
    const owner = await signUp(api, "simulate");
    await ensureSandboxWhatsApp(api, owner, "+8801711000009");
    const key = await createApiKey(api, owner, ["MESSAGES_SEND"]);
    const reply = expectData(await api.graphql(SIMULATE, { from: "8801811119999", text: "👍".repeat(4_096) }, { token: key.secret })).simulateInboundMessage;
    expect(reply).toMatchObject({ direction: "INBOUND", from: "+8801811119999", to: "+8801711000009", text: "👍".repeat(4_096), status: "RECEIVED" });
    for (const text of ["", "x".repeat(4_097)]) {
      expect((await api.graphql(SIMULATE, { from: "8801811119999", text }, { token: key.secret })).errors?.[0]).toMatchObject({
        message: "Write 1 to 4096 characters.",
        extensions: { code: "BAD_USER_INPUT", field: "text" },
      });
    }
  });

  it("needs a connected sandbox number, and says so", async () => {
    const owner = await signUp(api, "simulate-unconnected");
    const refused = await api.graphql(SIMULATE, { from: "8801811119999", text: "hi" }, { token: owner.token });
    expect(refused.errors?.[0]).toMatchObject({
      message: "Simulated replies need a connected sandbox number (an API key starting with sandbox_, in development).",
      extensions: { code: "CONFLICT" },
    });
  });
});
