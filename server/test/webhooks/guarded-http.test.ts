import { execFileSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import net, { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import tls from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { postWebhook, WEBHOOK_SNIPPET_CHARS, type ResolvedAddress, type WebhookLookup } from "../../src/webhooks/guarded-http.ts";
import { startReceiver, type Receiver, type ReceiverHandler } from "./receiver.ts";

/**
 * postWebhook against real HTTP(S) servers on loopback. Loopback is a forbidden address, so a test that
 * needs a delivery to arrive passes allowPrivate: true, and a test of a refusal passes allowPrivate: false
 * and checks that nothing reached the receiver. No test connects anywhere but loopback: a public address
 * only ever appears in a lookup answer that is refused before any connection.
 */

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

async function receiver(handler: ReceiverHandler, options?: { host?: string; port?: number }): Promise<Receiver> {
  const started = await startReceiver(handler, options);
  receivers.push(started);
  return started;
}

const answer =
  (status: number, body = "", headers: Record<string, string> = {}): ReceiverHandler =>
  (_request, response) => {
    response.writeHead(status, headers);
    response.end(body);
  };

/** A lookup that answers from a table and counts its calls (a second call would be a second DNS lookup). */
function fakeDns(...answers: (readonly ResolvedAddress[])[]): WebhookLookup & { calls: string[] } {
  const calls: string[] = [];
  const lookup = async (hostname: string) => {
    calls.push(hostname);
    const next = answers[Math.min(calls.length, answers.length) - 1];
    if (!next) throw new Error("no answer");
    return next;
  };
  return Object.assign(lookup, { calls });
}

const v4 = (address: string): ResolvedAddress => ({ address, family: 4 });
const v6 = (address: string): ResolvedAddress => ({ address, family: 6 });

const delivery = { headers: { "content-type": "application/json" }, body: '{"type":"message.received"}' };

describe("postWebhook delivers", () => {
  it("POSTs the body and headers, and returns the status, the lower-cased response headers and the body", async () => {
    const hooks = await receiver((_request, response) => {
      response.setHeader("Set-Cookie", ["a=1", "b=2"]);
      answer(202, "queued", { "Retry-After": "120", "Webhook-Delivery": "dlv_1", "X-Other": "kept" })(_request, response);
    });
    const dns = fakeDns(); // fails if asked: an IP literal needs no lookup
    const before = performance.now();
    const result = await postWebhook({
      url: `http://127.0.0.1:${hooks.port}/in/switchboard?tenant=7`,
      headers: { "Content-Type": "application/json", "Webhook-Id": "msg_1", "Webhook-Signature": "v1,abc" },
      body: '{"type":"message.received","text":"héllo"}',
      allowPrivate: true,
      lookup: dns,
    });
    const wall = performance.now() - before;

    expect(result).toMatchObject({ kind: "response", status: 202, snippet: "queued" });
    if (result.kind !== "response") throw new Error("unreachable");
    expect(result.headers).toMatchObject({ "retry-after": "120", "webhook-delivery": "dlv_1", "x-other": "kept", "set-cookie": "a=1, b=2" });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(result.durationMs).toBeLessThanOrEqual(Math.ceil(wall));
    expect(dns.calls).toEqual([]); // an IP literal is not looked up
    expect(hooks.requests).toHaveLength(1);
    const [request] = hooks.requests;
    expect(request).toMatchObject({ method: "POST", path: "/in/switchboard?tenant=7", body: '{"type":"message.received","text":"héllo"}' });
    expect(request?.headers).toMatchObject({
      host: `127.0.0.1:${hooks.port}`,
      "content-type": "application/json",
      "webhook-id": "msg_1",
      "webhook-signature": "v1,abc",
      "content-length": String(Buffer.byteLength('{"type":"message.received","text":"héllo"}')),
    });
  });

  it("returns a 4xx or 5xx as a response, for the caller to count as a failure", async () => {
    const hooks = await receiver(answer(503, "down for maintenance", { "Retry-After": "30" }));
    const result = await postWebhook({ url: `http://127.0.0.1:${hooks.port}/`, ...delivery, allowPrivate: true });
    expect(result).toMatchObject({ kind: "response", status: 503, snippet: "down for maintenance", headers: { "retry-after": "30" } });
  });

  it("resolves the host name once and connects to that address, with the host name in the Host header", async () => {
    const hooks = await receiver(answer(204));
    const dns = fakeDns([v4("127.0.0.1")]);
    const result = await postWebhook({ url: `http://hooks.example.test:${hooks.port}/in`, ...delivery, allowPrivate: true, lookup: dns });

    expect(result).toMatchObject({ kind: "response", status: 204 });
    expect(dns.calls).toEqual(["hooks.example.test"]);
    expect(hooks.requests.map((request) => request.headers.host)).toEqual([`hooks.example.test:${hooks.port}`]);
  });

  it("connects over IPv6 to a pre-resolved ::1", async () => {
    const hooks = await receiver(answer(200, "ok"), { host: "::1" });
    const dns = fakeDns([v6("::1")]);
    const result = await postWebhook({ url: `http://hooks.example.test:${hooks.port}/`, ...delivery, allowPrivate: true, lookup: dns });
    expect(result).toMatchObject({ kind: "response", status: 200 });
    expect(hooks.requests.map((request) => request.localAddress)).toEqual(["::1"]);
  });

  it("sets Host, Content-Length and Connection itself: a caller's are dropped", async () => {
    const hooks = await receiver(answer(200, "ok"));
    const result = await postWebhook({
      url: `http://hooks.example.test:${hooks.port}/`,
      headers: { Host: "internal.example", "Content-Length": "1", "Transfer-Encoding": "chunked", Connection: "upgrade" },
      body: "four",
      allowPrivate: true,
      lookup: fakeDns([v4("127.0.0.1")]),
    });
    expect(result).toMatchObject({ kind: "response", status: 200 });
    expect(hooks.requests).toHaveLength(1);
    expect(hooks.requests[0]?.body).toBe("four");
    expect(hooks.requests[0]?.headers).toMatchObject({ host: `hooks.example.test:${hooks.port}`, "content-length": "4", connection: "keep-alive" });
    expect(hooks.requests[0]?.headers).not.toHaveProperty("transfer-encoding");
  });

  it("connects to the pre-resolved address with Happy Eyeballs (autoSelectFamily) off too", async () => {
    const hooks = await receiver(answer(200, "ok"));
    const dns = fakeDns([v4("127.0.0.1")], [v4("127.0.0.2")]);
    const previous = net.getDefaultAutoSelectFamily();
    net.setDefaultAutoSelectFamily(false);
    try {
      const result = await postWebhook({ url: `http://hooks.example.test:${hooks.port}/`, ...delivery, allowPrivate: true, lookup: dns });
      expect(result).toMatchObject({ kind: "response", status: 200, snippet: "ok" });
    } finally {
      net.setDefaultAutoSelectFamily(previous);
    }
    expect(dns.calls).toEqual(["hooks.example.test"]);
    expect(hooks.requests.map((request) => request.localAddress)).toEqual(["127.0.0.1"]);
  });
});

describe("postWebhook refuses before sending", () => {
  it("a host name that resolves to 127.0.0.1 at delivery", async () => {
    const hooks = await receiver(answer(200));
    const dns = fakeDns([v4("127.0.0.1")]);
    const result = await postWebhook({ url: `http://hooks.example.com:${hooks.port}/in`, ...delivery, allowPrivate: false, lookup: dns });

    expect(result).toEqual({
      kind: "refused",
      reason: expect.stringContaining("hooks.example.com resolves to a forbidden address: 127.0.0.1 is in 127.0.0.0/8"),
    });
    expect(hooks.connections).toBe(0);
  });

  it.each([
    ["an IPv4-mapped loopback", [v6("::ffff:127.0.0.1")], "127.0.0.0/8"],
    ["the metadata service", [v4("169.254.169.254")], "169.254.169.254/32"],
    ["a private address after a public one", [v4("93.184.215.14"), v4("10.0.0.5")], "10.0.0.0/8"],
    ["a public address after a loopback one", [v4("127.0.0.1"), v4("93.184.215.14")], "127.0.0.0/8"],
    ["a ULA among IPv6 answers", [v6("2606:4700:4700::1111"), v6("fd12::7")], "fc00::/7"],
  ])("a host name whose lookup answers with %s", async (_name, answers, range) => {
    const hooks = await receiver(answer(200));
    const result = await postWebhook({ url: `http://hooks.example.com:${hooks.port}/`, ...delivery, allowPrivate: false, lookup: fakeDns(answers) });
    expect(result).toEqual({ kind: "refused", reason: expect.stringContaining(`in ${range}`) });
    expect(hooks.connections).toBe(0);
  });

  it("the metadata service even with allowPrivate", async () => {
    const result = await postWebhook({ url: "http://hooks.example.com/", ...delivery, allowPrivate: true, lookup: fakeDns([v4("169.254.169.254")]) });
    expect(result).toEqual({ kind: "refused", reason: expect.stringContaining("cloud metadata") });
  });

  it("IP-literal URLs of the receiver on loopback, however written", async () => {
    const hooks = await receiver(answer(200));
    for (const host of ["127.0.0.1", "2130706433", "0x7f.0.0.1", "0177.0.0.1", "127.1", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]"]) {
      const dns = fakeDns([v4("127.0.0.1")]);
      const result = await postWebhook({ url: `http://${host}:${hooks.port}/`, ...delivery, allowPrivate: false, lookup: dns });
      expect(result, host).toEqual({ kind: "refused", reason: expect.stringContaining("127.0.0.0/8") });
      expect(dns.calls, host).toEqual([]);
    }
    expect(hooks.connections).toBe(0);
  });

  it("[::1] of the receiver on IPv6 loopback", async () => {
    const hooks = await receiver(answer(200), { host: "::1" });
    const result = await postWebhook({ url: `http://[::1]:${hooks.port}/`, ...delivery, allowPrivate: false });
    expect(result).toEqual({ kind: "refused", reason: expect.stringContaining("::1/128") });
    expect(hooks.connections).toBe(0);
  });

  it.each(["ftp://hooks.example.com/", "file:///etc/passwd", "javascript:alert(1)"])("the non-http(s) URL %s", async (url) => {
    const result = await postWebhook({ url, ...delivery, allowPrivate: true, lookup: fakeDns([v4("127.0.0.1")]) });
    expect(result).toEqual({ kind: "refused", reason: expect.stringContaining("http:// or https://") });
  });

  it("a URL with credentials, even to an allowed receiver", async () => {
    const hooks = await receiver(answer(200));
    const result = await postWebhook({ url: `http://user:pass@127.0.0.1:${hooks.port}/`, ...delivery, allowPrivate: true });
    expect(result).toEqual({ kind: "refused", reason: expect.stringContaining("user name or password") });
    expect(hooks.connections).toBe(0);
  });
});

describe("postWebhook against DNS rebinding", () => {
  it("looks the name up once: a second answer pointing elsewhere is never used", async () => {
    // The first answer is the checked address; a client that looked the name up again when connecting
    // would get the second one and reach the other server (the same port on 127.0.0.2).
    const checked = await receiver(answer(200, "checked"), { host: "127.0.0.1" });
    const other = await receiver(answer(200, "other"), { host: "127.0.0.2", port: checked.port });
    const dns = fakeDns([v4("127.0.0.1")], [v4("127.0.0.2")]);

    const result = await postWebhook({ url: `http://rebind.example.test:${checked.port}/`, ...delivery, allowPrivate: true, lookup: dns });

    expect(result).toMatchObject({ kind: "response", status: 200, snippet: "checked" });
    expect(dns.calls).toEqual(["rebind.example.test"]);
    expect(checked.requests).toHaveLength(1);
    expect(other.connections).toBe(0);
  });

  it("keeps the connection for the next delivery to the same checked address", async () => {
    const hooks = await receiver(answer(204));
    const dns = fakeDns([v4("127.0.0.1")]);
    for (let index = 0; index < 3; index++) {
      const result = await postWebhook({ url: `http://pooled.example.test:${hooks.port}/in`, ...delivery, allowPrivate: true, lookup: dns });
      expect(result).toMatchObject({ kind: "response", status: 204 });
    }
    expect(hooks.requests).toHaveLength(3);
    expect(hooks.connections).toBe(1);
    // Each delivery still looked the name up and checked what it got.
    expect(dns.calls).toHaveLength(3);
  });

  it("never reuses a kept connection once the name resolves to another address: it connects to the new, checked one", async () => {
    const first = await receiver(answer(200, "first"), { host: "127.0.0.1" });
    const second = await receiver(answer(200, "second"), { host: "127.0.0.2", port: first.port });
    const dns = fakeDns([v4("127.0.0.1")], [v4("127.0.0.2")]);
    const url = `http://moved.example.test:${first.port}/`;

    expect(await postWebhook({ url, ...delivery, allowPrivate: true, lookup: dns })).toMatchObject({ snippet: "first" });
    expect(await postWebhook({ url, ...delivery, allowPrivate: true, lookup: dns })).toMatchObject({ snippet: "second" });
    expect(first.requests).toHaveLength(1);
    expect(second.requests).toHaveLength(1);
  });

  it("refuses a name that now resolves to a forbidden address, although a connection to its earlier address is kept", async () => {
    const hooks = await receiver(answer(204));
    // The receiver is on loopback, so this test lets private addresses through and uses the metadata
    // address, which stays forbidden even then.
    const dns = fakeDns([v4("127.0.0.1")], [v4("169.254.169.254")]);
    const url = `http://rebinding.example.test:${hooks.port}/`;
    expect(await postWebhook({ url, ...delivery, allowPrivate: true, lookup: dns })).toMatchObject({ kind: "response", status: 204 });
    expect(await postWebhook({ url, ...delivery, allowPrivate: true, lookup: dns })).toMatchObject({ kind: "refused" });
    expect(hooks.requests).toHaveLength(1);
  });

  it("connects to the first of several checked addresses", async () => {
    const first = await receiver(answer(200, "first"), { host: "127.0.0.2" });
    const second = await receiver(answer(200, "second"), { host: "127.0.0.1", port: first.port });
    const dns = fakeDns([v4("127.0.0.2"), v4("127.0.0.1")]);
    const result = await postWebhook({ url: `http://hooks.example.test:${first.port}/`, ...delivery, allowPrivate: true, lookup: dns });
    expect(result).toMatchObject({ kind: "response", snippet: "first" });
    expect(second.connections).toBe(0);
  });
});

describe("postWebhook redirects, timeouts and bodies", () => {
  it("does not follow a redirect: the 3xx is the response", async () => {
    const hooks = await receiver((request, response) => {
      if (request.path === "/start") response.writeHead(302, { Location: "/elsewhere" }).end();
      else response.writeHead(200).end("followed");
    });
    const result = await postWebhook({ url: `http://127.0.0.1:${hooks.port}/start`, ...delivery, allowPrivate: true });
    expect(result).toMatchObject({ kind: "response", status: 302, headers: { location: "/elsewhere" } });
    expect(hooks.requests.map((request) => request.path)).toEqual(["/start"]);
  });

  it("gives up on a receiver that never answers: an error after the timeout", async () => {
    const hooks = await receiver(() => {});
    const result = await postWebhook({ url: `http://127.0.0.1:${hooks.port}/`, ...delivery, allowPrivate: true, timeoutMs: 300 });
    expect(result).toMatchObject({ kind: "error", reason: "timed out after 300 ms" });
    expect(hooks.requests).toHaveLength(1);
  });

  it("counts the DNS lookup in the timeout", async () => {
    const never: WebhookLookup = () => new Promise(() => {});
    const result = await postWebhook({ url: "http://slow-dns.example.test/", ...delivery, allowPrivate: false, timeoutMs: 300, lookup: never });
    expect(result).toMatchObject({ kind: "error", reason: "DNS lookup of slow-dns.example.test failed: timed out after 300 ms" });
  });

  it("keeps the response when the timeout ends a body that stalls after the status", async () => {
    const hooks = await receiver((_request, response) => {
      response.writeHead(200, { "Content-Type": "text/plain" });
      response.write("accepted, and then nothing more");
    });
    const result = await postWebhook({ url: `http://127.0.0.1:${hooks.port}/`, ...delivery, allowPrivate: true, timeoutMs: 300 });
    expect(result).toMatchObject({ kind: "response", status: 200, snippet: "accepted, and then nothing more" });
  });

  it("keeps the first 1,000 characters of the body", async () => {
    const body = "é".repeat(999) + "😀" + "x".repeat(5000);
    const hooks = await receiver(answer(200, body));
    const result = await postWebhook({ url: `http://127.0.0.1:${hooks.port}/`, ...delivery, allowPrivate: true });
    if (result.kind !== "response") throw new Error(`expected a response, got ${JSON.stringify(result)}`);
    // 1,000 UTF-16 units would cut the emoji's surrogate pair in half: it is left out whole.
    expect(result.snippet).toBe("é".repeat(999));
    expect(WEBHOOK_SNIPPET_CHARS).toBe(1000);
  });

  it("keeps a body that arrives in several pieces", async () => {
    const hooks = await receiver((_request, response) => {
      response.writeHead(200);
      response.write("first piece, ", () => setImmediate(() => response.write("second piece, ", () => setImmediate(() => response.end("last piece")))));
    });
    const result = await postWebhook({ url: `http://127.0.0.1:${hooks.port}/`, ...delivery, allowPrivate: true });
    expect(result).toMatchObject({ kind: "response", status: 200, snippet: "first piece, second piece, last piece" });
  });

  it("returns 1,000 characters of a long ASCII body", async () => {
    const body = Array.from({ length: 3000 }, (_, index) => String.fromCharCode(97 + (index % 26))).join("");
    const hooks = await receiver(answer(200, body));
    const result = await postWebhook({ url: `http://127.0.0.1:${hooks.port}/`, ...delivery, allowPrivate: true });
    expect(result).toMatchObject({ kind: "response", snippet: body.slice(0, 1000) });
  });

  it("stops reading an endless body after 64 KiB and closes the connection, well before the timeout", async () => {
    let written = 0;
    let closed!: Promise<unknown>;
    const chunk = Buffer.alloc(16 * 1024, "z");
    const hooks = await receiver((_request, response) => {
      closed = once(response, "close");
      response.writeHead(200);
      const pump = () => {
        while (!response.destroyed) {
          written += chunk.length;
          if (!response.write(chunk)) return void response.once("drain", pump);
        }
      };
      pump();
    });
    // A client that read on would hang until this timeout, past the test's own 30 s.
    const result = await postWebhook({ url: `http://127.0.0.1:${hooks.port}/`, ...delivery, allowPrivate: true, timeoutMs: 120_000 });
    expect(result).toMatchObject({ kind: "response", status: 200, snippet: "z".repeat(1000) });
    await closed;
    expect(written).toBeGreaterThan(64 * 1024);
  });

  it("sanitises a NUL in the body, which PostgreSQL text cannot store", async () => {
    const hooks = await receiver(answer(200, "ok\u0000done"));
    const result = await postWebhook({ url: `http://127.0.0.1:${hooks.port}/`, ...delivery, allowPrivate: true });
    expect(result).toMatchObject({ kind: "response", snippet: "ok\uFFFDdone" });
  });
});

describe("postWebhook network errors", () => {
  it("reports a refused connection as an error", async () => {
    const gone = await startReceiver(answer(200));
    const port = gone.port;
    await gone.close();
    const result = await postWebhook({ url: `http://127.0.0.1:${port}/`, ...delivery, allowPrivate: true });
    expect(result).toMatchObject({ kind: "error", reason: expect.stringContaining("ECONNREFUSED") });
  });

  it("reports a header Node refuses (header injection) as an error, and sends nothing", async () => {
    const hooks = await receiver(answer(200));
    const result = await postWebhook({
      url: `http://127.0.0.1:${hooks.port}/`,
      headers: { "webhook-id": "msg_1\r\nX-Injected: 1" },
      body: "{}",
      allowPrivate: true,
    });
    expect(result).toMatchObject({ kind: "error", reason: expect.stringContaining("ERR_INVALID_CHAR") });
    expect(hooks.connections).toBe(0);
  });

  it("reports a DNS failure as an error", async () => {
    const notFound: WebhookLookup = async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND nowhere.example.test"), { code: "ENOTFOUND" });
    };
    const result = await postWebhook({ url: "https://nowhere.example.test/", ...delivery, allowPrivate: false, lookup: notFound });
    expect(result).toMatchObject({ kind: "error", reason: "DNS lookup of nowhere.example.test failed: getaddrinfo ENOTFOUND nowhere.example.test" });
  });

  it("reports a lookup with no address as an error", async () => {
    const result = await postWebhook({ url: "https://empty.example.test/", ...delivery, allowPrivate: false, lookup: fakeDns([]) });
    expect(result).toMatchObject({ kind: "error", reason: "DNS lookup of empty.example.test found no address" });
  });
});

describe("postWebhook over HTTPS", () => {
  let directory: string;
  let key: Buffer;
  let cert: Buffer;
  beforeAll(() => {
    // A self-signed certificate for hooks.example.test, made for this run only.
    directory = mkdtempSync(path.join(tmpdir(), "switchboard-webhook-tls-"));
    execFileSync("openssl", [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=hooks.example.test",
      "-addext",
      "subjectAltName=DNS:hooks.example.test",
      "-keyout",
      path.join(directory, "key.pem"),
      "-out",
      path.join(directory, "cert.pem"),
    ]);
    key = readFileSync(path.join(directory, "key.pem"));
    cert = readFileSync(path.join(directory, "cert.pem"));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it("sends the host name as SNI to the pre-resolved address, and verifies the certificate (a self-signed one fails)", async () => {
    const serverNames: string[] = [];
    let requests = 0;
    const context = tls.createSecureContext({ key, cert });
    const server = https.createServer(
      {
        key,
        cert,
        SNICallback: (name, callback) => {
          serverNames.push(name);
          callback(null, context);
        },
      },
      (_request, response) => {
        requests++;
        response.end("should not get here");
      },
    );
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    try {
      const port = (server.address() as AddressInfo).port;
      const dns = fakeDns([v4("127.0.0.1")]);
      const result = await postWebhook({ url: `https://hooks.example.test:${port}/in`, ...delivery, allowPrivate: true, lookup: dns });

      expect(result).toMatchObject({ kind: "error", reason: expect.stringMatching(/self[- ]signed certificate/) });
      expect(serverNames).toEqual(["hooks.example.test"]);
      expect(dns.calls).toEqual(["hooks.example.test"]);
      expect(requests).toBe(0);
    } finally {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    }
  });
});
