import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFakeRapiwa, type FakeRapiwa, type ReceivedMessage } from "../../fakes/fake-rapiwa.ts";

/**
 * The fake Rapiwa's own behaviour (what other suites, the benchmark and `npm run fake-rapiwa` rely on),
 * spoken to over plain HTTP. Our Rapiwa client is tested in test/providers/rapiwa-client.test.ts.
 */

const KEY = "dk_live_9f8e7d6c5b4a";
const DIGITS = "8801234567890";
const valid = { number: DIGITS, message_type: "text", message: "hi" };

let fake: FakeRapiwa;
beforeAll(async () => {
  fake = await startFakeRapiwa();
});
afterEach(() => fake.reset());
afterAll(() => fake?.close());

async function post(path: string, body: string, headers: Record<string, string> = { authorization: `Bearer ${KEY}` }) {
  const response = await fetch(fake.url + path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}
const sendValid = (apiKey = KEY) => post("/api/send-message", JSON.stringify(valid), { authorization: `Bearer ${apiKey}` });

describe("the fake's send endpoint", () => {
  it("records what it accepted, with the moment it arrived, and answers Rapiwa's success shape", async () => {
    const before = Date.now();
    const answer = await sendValid();
    const after = Date.now();
    const [received] = fake.received();
    expect(answer).toEqual({ status: 200, json: { success: true, message_type: "text", message_id: received!.messageId, to: DIGITS } });
    expect(received).toMatchObject<Partial<ReceivedMessage>>({ number: DIGITS, message: "hi", apiKey: KEY, path: "/api/send-message" });
    expect(received!.receivedAt).toBeGreaterThanOrEqual(before);
    expect(received!.receivedAt).toBeLessThanOrEqual(after);
  });

  it("answers any key outside acceptedKeys with 401, and an accepted one normally", async () => {
    fake.configure({ acceptedKeys: ["dk_other"] });
    expect(await sendValid()).toEqual({ status: 401, json: { success: false, error: "Invalid API key" } });
    expect((await sendValid("dk_other")).status).toBe(200);
    expect(fake.received().map((entry) => entry.apiKey)).toEqual(["dk_other"]);
  });

  it("waits latencyMs before answering", async () => {
    fake.configure({ latencyMs: 100 });
    const started = Date.now();
    expect((await sendValid()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });

  it.each([
    ["invalid JSON", "{not json", undefined, 400],
    ["missing Bearer", JSON.stringify(valid), {}, 401],
    ["missing number", JSON.stringify({ ...valid, number: undefined }), undefined, 400],
    ["missing message", JSON.stringify({ ...valid, message: undefined }), undefined, 400],
    ["message_type image", JSON.stringify({ ...valid, message_type: "image" }), undefined, 400],
  ])("answers %s with %#", async (_what, body, headers, status) => {
    const answer = await post("/api/send-message", body, headers);
    expect(answer.status).toBe(status);
    expect(answer.json).toMatchObject({ success: false, error: expect.any(String) });
    expect(fake.received()).toEqual([]);
    expect(fake.attempts()).toHaveLength(1);
  });

  it("answers unknown paths with 404 and GET on a send path with 405", async () => {
    const unknown = await fetch(fake.url + "/api/nope", { method: "POST" });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ success: false, error: "Not found" });
    const get = await fetch(fake.url + "/api/send-message");
    expect(get.status).toBe(405);
    expect(await get.json()).toEqual({ success: false, error: "Method not allowed" });
  });
});

describe("the fake's control endpoints over HTTP", () => {
  it("configures, lists received messages and attempts, and resets", async () => {
    const configured = await fetch(fake.url + "/__fake/config", {
      method: "POST",
      body: JSON.stringify({ failNext: { count: 1, status: 503, error: "Maintenance" } }),
    });
    expect(configured.status).toBe(200);
    expect(await configured.json()).toMatchObject({ failNext: { count: 1, status: 503, error: "Maintenance" } });

    expect(await sendValid()).toEqual({ status: 503, json: { success: false, error: "Maintenance" } });
    const sent = await sendValid();
    expect(sent.status).toBe(200);

    const received = (await (await fetch(fake.url + "/__fake/received")).json()) as ReceivedMessage[];
    expect(received).toEqual(fake.received());
    expect(received).toMatchObject([{ number: DIGITS, apiKey: KEY, message: "hi", messageId: sent.json.message_id }]);
    const attempts = (await (await fetch(fake.url + "/__fake/attempts")).json()) as { status: number }[];
    expect(attempts.map((attempt) => attempt.status)).toEqual([503, 200]);
    expect(await (await fetch(fake.url + "/__fake/stats")).json()).toEqual({ received: 1, attempts: 2 });

    const reset = await fetch(fake.url + "/__fake/reset", { method: "POST" });
    expect(reset.status).toBe(200);
    expect(await (await fetch(fake.url + "/__fake/received")).json()).toEqual([]);
    expect(await (await fetch(fake.url + "/__fake/config")).json()).toMatchObject({ failNext: null, latencyMs: 0 });
  });

  it("refuses a bad config with 400 and changes nothing", async () => {
    for (const body of ["{", JSON.stringify({ latencyMs: -1 }), JSON.stringify({ failNext: { count: 1, status: 42 } }), JSON.stringify({ colour: "red" })]) {
      const answer = await fetch(fake.url + "/__fake/config", { method: "POST", body });
      expect(answer.status).toBe(400);
      expect(await answer.json()).toMatchObject({ error: expect.any(String) });
    }
    expect(fake.config()).toMatchObject({ latencyMs: 0, failNext: null });
    expect(() => fake.configure({ latencyMs: Number.NaN })).toThrow(/latencyMs/);
  });
});
