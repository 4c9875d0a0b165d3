import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFakeRapiwa, type FakeRapiwa, type ReceivedMessage } from "../../fakes/fake-rapiwa.ts";
import { createRapiwaClient, type RapiwaClient } from "../../src/providers/rapiwa/rapiwa-client.ts";
import type { SendOutcome } from "../../src/providers/whatsapp-provider.ts";

const KEY = "dk_live_9f8e7d6c5b4a";
const TO = "+8801234567890";
const DIGITS = "8801234567890";

let fake: FakeRapiwa;
let client: RapiwaClient;
/** Every failure any test sees is checked on the spot: no reason may carry the key. */
function track<T extends { ok: boolean }>(outcome: T): T {
  if (!outcome.ok) expect((outcome as unknown as Extract<SendOutcome, { ok: false }>).reason).not.toContain(KEY);
  return outcome;
}

async function sendVia(c: RapiwaClient, apiKey = KEY, to = TO, text = "Hello from Switchboard") {
  return track(await c.sendText({ apiKey, to, text }));
}

beforeAll(async () => {
  fake = await startFakeRapiwa();
  client = createRapiwaClient({ baseUrl: fake.url, timeoutMs: 2_000 });
});
afterEach(() => fake.reset());
afterAll(async () => {
  await fake?.close();
});

/** A throwaway server answering whatever a test wants, and remembering what it was sent. */
async function startScriptedServer(answer: (req: IncomingMessage, body: string, res: ServerResponse) => void) {
  const requests: { method: string; url: string; headers: IncomingMessage["headers"]; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      answer(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function reply(res: ServerResponse, status: number, body: string, contentType = "application/json") {
  res.writeHead(status, { "content-type": contentType });
  res.end(body);
}

describe("sending through the fake Rapiwa", () => {
  it("sends digits only with the device key as Bearer, and returns Rapiwa's message id", async () => {
    const outcome = await sendVia(client);
    expect(outcome.ok).toBe(true);
    const [received] = fake.received();
    expect(received).toMatchObject<Partial<ReceivedMessage>>({
      number: DIGITS,
      message: "Hello from Switchboard",
      apiKey: KEY,
      path: "/api/send-message",
    });
    expect(received!.messageId).toMatch(/^rapiwa_[0-9a-f]{32}$/);
    expect(outcome).toEqual({ ok: true, providerMessageId: received!.messageId });
  });

  it("sends the exact documented request (checked on the wire)", async () => {
    const scripted = await startScriptedServer((_req, _body, res) =>
      reply(res, 200, JSON.stringify({ success: true, message_type: "text", message_id: "3EB0FAC2", to: DIGITS })),
    );
    try {
      const outcome = await sendVia(createRapiwaClient({ baseUrl: scripted.url + "/" }), KEY, TO, "Hi ✓");
      expect(outcome).toEqual({ ok: true, providerMessageId: "3EB0FAC2" });
      const [request] = scripted.requests;
      expect(request).toMatchObject({ method: "POST", url: "/api/send-message" });
      expect(request!.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(request!.headers["content-type"]).toBe("application/json");
      expect(JSON.parse(request!.body)).toEqual({ number: DIGITS, message_type: "text", message: "Hi ✓" });
    } finally {
      await scripted.close();
    }
  });

  it("understands the legacy answer { status: 'success', messageId } (fake's legacy path)", async () => {
    const legacy = createRapiwaClient({ baseUrl: fake.url, sendPath: "/send-message" });
    const outcome = await sendVia(legacy);
    const [received] = fake.received();
    expect(received).toMatchObject({ path: "/send-message", number: DIGITS });
    expect(outcome).toEqual({ ok: true, providerMessageId: received!.messageId });
  });

  it("accepts a success answer without a message id (id null)", async () => {
    const scripted = await startScriptedServer((_req, _body, res) => reply(res, 200, JSON.stringify({ status: "success" })));
    try {
      expect(await sendVia(createRapiwaClient({ baseUrl: scripted.url }))).toEqual({ ok: true, providerMessageId: null });
    } finally {
      await scripted.close();
    }
  });

  it("treats a rejected key (401) as a final bad credential", async () => {
    fake.configure({ rejectedKeys: [KEY] });
    const outcome = await sendVia(client);
    expect(outcome).toMatchObject({ ok: false, retryable: false, badCredential: true, httpStatus: 401 });
    expect(outcome.ok || outcome.reason).toContain("Invalid API key");
    expect(fake.received()).toEqual([]);
    expect(fake.attempts()).toMatchObject([{ status: 401, apiKey: KEY, error: "Invalid API key" }]);
  });

  it("treats 403 as a bad credential too", async () => {
    fake.configure({ failNext: { count: 1, status: 403, error: "Device disconnected" } });
    const outcome = await sendVia(client);
    expect(outcome).toMatchObject({ ok: false, retryable: false, badCredential: true, httpStatus: 403 });
    expect(outcome.ok || outcome.reason).toContain("Device disconnected");
  });

  it("treats an invalid number as final, with Rapiwa's error text, and does not record it", async () => {
    fake.configure({ invalidNumbers: [DIGITS] });
    const outcome = await sendVia(client);
    expect(outcome).toMatchObject({ ok: false, retryable: false, httpStatus: 400 });
    expect(outcome.ok || outcome.badCredential).toBeFalsy();
    expect(outcome.ok || outcome.reason).toContain("Invalid WhatsApp number");
    expect(fake.received()).toEqual([]);
    expect(fake.attempts()).toHaveLength(1);
  });

  it("treats a 2xx { success: false } answer as final, with Rapiwa's error text", async () => {
    fake.configure({ invalidNumbers: [DIGITS], invalidNumberStatus: 200 });
    const outcome = await sendVia(client);
    expect(outcome).toMatchObject({ ok: false, retryable: false, httpStatus: 200 });
    expect(outcome.ok || outcome.reason).toBe("Rapiwa refused the message: Invalid WhatsApp number");
  });

  it.each([400, 404, 422])("treats HTTP %i as final", async (status) => {
    fake.configure({ failNext: { count: 1, status, error: "Bad request" } });
    expect(await sendVia(client)).toMatchObject({ ok: false, retryable: false, httpStatus: status });
  });

  it.each([500, 502, 503, 429])("treats HTTP %i as retryable, and recovers once the failures stop", async (status) => {
    fake.configure({ failNext: { count: 2, status } });
    expect(await sendVia(client)).toMatchObject({ ok: false, retryable: true, httpStatus: status });
    expect(await sendVia(client)).toMatchObject({ ok: false, retryable: true, httpStatus: status });
    expect((await sendVia(client)).ok).toBe(true);
    expect(fake.received()).toHaveLength(1);
    expect(fake.attempts().map((a) => a.status)).toEqual([status, status, 200]);
  });

  it("quotes Rapiwa's error text of a server error", async () => {
    fake.configure({ failNext: { count: 1, status: 503, error: "Maintenance" } });
    const failed = await sendVia(client);
    expect(failed).toMatchObject({ ok: false, retryable: true, httpStatus: 503 });
    expect(failed.ok || failed.reason).toBe("Rapiwa had a server error (HTTP 503): Maintenance");
  });

  it("treats a connection dropped mid-exchange as a network error that may have carried the message", async () => {
    fake.configure({ failNext: { count: 1, status: 0 } });
    const outcome = await sendVia(client);
    // From the client's side a dropped connection cannot tell whether Rapiwa acted on the request.
    expect(outcome).toMatchObject({ ok: false, retryable: true, mayHaveBeenSent: true });
    expect(outcome.ok || outcome.httpStatus).toBeUndefined();
    expect(outcome.ok || outcome.reason).toMatch(/^Could not reach Rapiwa/);
    expect(fake.received()).toEqual([]);
    expect((await sendVia(client)).ok).toBe(true);
  });

  it("treats a refused connection as retryable and certainly unsent", async () => {
    const closed = await startScriptedServer(() => {});
    await closed.close();
    const outcome = await sendVia(createRapiwaClient({ baseUrl: closed.url }));
    expect(outcome).toEqual({ ok: false, retryable: true, reason: "Could not reach Rapiwa (connection refused)" });
  });

  it("treats a slow answer as a timeout that may have sent the message (the fake does record it)", async () => {
    fake.configure({ latencyMs: 300 });
    const outcome = await sendVia(createRapiwaClient({ baseUrl: fake.url, timeoutMs: 50 }));
    expect(outcome).toEqual({ ok: false, retryable: true, mayHaveBeenSent: true, reason: "Rapiwa did not answer within 50 ms" });
    expect(fake.received()).toHaveLength(1);
  });

  it.each([
    ["JSON of neither shape", "application/json", JSON.stringify({ queued: true })],
    ["non-JSON", "text/html", "<html>OK</html>"],
    ["empty", "application/json", ""],
  ])("treats a 2xx %s answer as a final 'unexpected answer' (a retry could send twice)", async (_what, type, body) => {
    const scripted = await startScriptedServer((_req, _body, res) => reply(res, 200, body, type));
    try {
      const outcome = await sendVia(createRapiwaClient({ baseUrl: scripted.url }));
      expect(outcome).toMatchObject({ ok: false, retryable: false, mayHaveBeenSent: true, httpStatus: 200 });
      expect(outcome.ok || outcome.reason).toMatch(/^Unexpected answer from Rapiwa/);
    } finally {
      await scripted.close();
    }
  });

  it("shows no HTML from an error page, and reports a redirect as final", async () => {
    const scripted = await startScriptedServer((req, _body, res) => {
      if (req.url === "/api/send-message") reply(res, 502, "<html><body>Bad gateway</body></html>", "text/html");
      else {
        res.writeHead(301, { location: "https://elsewhere.example/" });
        res.end();
      }
    });
    try {
      expect(await sendVia(createRapiwaClient({ baseUrl: scripted.url }))).toEqual({
        ok: false,
        retryable: true,
        httpStatus: 502,
        reason: "Rapiwa had a server error (HTTP 502)",
      });
      expect(await sendVia(createRapiwaClient({ baseUrl: scripted.url, sendPath: "/moved" }))).toMatchObject({
        ok: false,
        retryable: false,
        httpStatus: 301,
      });
    } finally {
      await scripted.close();
    }
  });

  it("never puts the API key in a reason, and keeps Rapiwa's text short and on one line", async () => {
    const scripted = await startScriptedServer((_req, _body, res) =>
      reply(res, 401, JSON.stringify({ success: false, error: `Key ${KEY} is not valid\n${"x".repeat(500)}` })),
    );
    try {
      const outcome = await sendVia(createRapiwaClient({ baseUrl: scripted.url }));
      expect(outcome).toMatchObject({ ok: false, badCredential: true });
      const reason = outcome.ok ? "" : outcome.reason;
      expect(reason).not.toContain(KEY);
      expect(reason).toContain("Key [redacted] is not valid x");
      expect(reason).not.toContain("\n");
      expect(reason.length).toBeLessThan(300);
    } finally {
      await scripted.close();
    }
  });

  it("refuses a malformed key or a number without digits without calling Rapiwa", async () => {
    expect(await sendVia(client, "bad\nkey")).toMatchObject({ ok: false, retryable: false, badCredential: true });
    expect(await sendVia(client, "")).toMatchObject({ ok: false, retryable: false, badCredential: true });
    expect(await sendVia(client, KEY, "+")).toMatchObject({ ok: false, retryable: false });
    expect(fake.attempts()).toEqual([]);
  });
});

describe("verifyNumber", () => {
  it("says whether the number has WhatsApp", async () => {
    fake.configure({ invalidNumbers: ["15550000000"] });
    expect(await client.verifyNumber(KEY, TO)).toEqual({ ok: true, exists: true });
    expect(await client.verifyNumber(KEY, "+1 555 000 0000")).toEqual({ ok: true, exists: false });
    expect(track(await client.verifyNumber("dk_wrong", TO))).toMatchObject({ ok: true });
    fake.configure({ rejectedKeys: ["dk_wrong"] });
    expect(track(await client.verifyNumber("dk_wrong", TO))).toMatchObject({ ok: false, badCredential: true, httpStatus: 401 });
    expect(fake.attempts()).toEqual([]);
  });
});
