import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A fake Rapiwa speaking its HTTP API on loopback, for tests, benchmarks and development.
 *
 * Provider endpoints: POST /api/send-message (current answer shape), POST /send-message (legacy
 * answer shape), POST /api/verify-whatsapp. Control endpoints, so another process can drive it:
 * GET|POST /__fake/config, GET /__fake/received, GET /__fake/attempts, GET /__fake/stats,
 * POST /__fake/reset.
 *
 * Hot path stays lean (it must take thousands of requests a second): no logging, no per-request
 * allocations beyond the body and the record.
 */

export type ReceivedMessage = {
  /** The number exactly as the client sent it. */
  number: string;
  message: string;
  apiKey: string;
  messageId: string;
  /** "/api/send-message" or "/send-message". */
  path: string;
  /** Epoch milliseconds at which the request arrived. */
  receivedAt: number;
};

/** Every request on a send path, whatever its outcome. */
export type FakeAttempt = {
  path: string;
  number: string | null;
  message: string | null;
  apiKey: string | null;
  /** The HTTP status answered; 0 when the socket was destroyed without an answer. */
  status: number;
  /** Set when the send succeeded. */
  messageId: string | null;
  error: string | null;
  receivedAt: number;
};

export type FakeRapiwaConfig = {
  /** Delay before answering any provider request. */
  latencyMs: number;
  /**
   * The next `count` send requests answer `status` with `{ success: false, error }`, before any
   * validation (like an outage in front of Rapiwa). Status 0 destroys the socket without answering.
   */
  failNext: { count: number; status: number; error?: string } | null;
  /** Keys answered 401 "Invalid API key". */
  rejectedKeys: string[];
  /** When set, every other key is answered 401. */
  acceptedKeys: string[] | null;
  /** Digits-only numbers answered "Invalid WhatsApp number" (and `exists: false` by verify). */
  invalidNumbers: string[];
  /** Status for an invalid number: 400 by default; 200 gives a 2xx `success: false` answer. */
  invalidNumberStatus: number;
};

export type FakeRapiwaConfigPatch = Partial<FakeRapiwaConfig>;

export type FakeRapiwa = {
  /** Base URL, e.g. "http://127.0.0.1:4010" (no trailing slash). */
  url: string;
  received(): ReceivedMessage[];
  attempts(): FakeAttempt[];
  config(): FakeRapiwaConfig;
  configure(partial: FakeRapiwaConfigPatch): void;
  /** Forgets received messages and attempts, and restores the default config. */
  reset(): void;
  /** Open client connections: 0 once every client has gone (e.g. a killed process's sockets closed). */
  openConnections(): Promise<number>;
  close(): Promise<void>;
};

export const SEND_PATH = "/api/send-message";
export const LEGACY_SEND_PATH = "/send-message";
export const VERIFY_PATH = "/api/verify-whatsapp";
const MAX_BODY_BYTES = 1024 * 1024;

function defaultConfig(): FakeRapiwaConfig {
  return {
    latencyMs: 0,
    failNext: null,
    rejectedKeys: [],
    acceptedKeys: null,
    invalidNumbers: [],
    invalidNumberStatus: 400,
  };
}

/** Checks a config patch from JSON; returns an error message, or the patch. */
export function parseConfigPatch(input: unknown): FakeRapiwaConfigPatch | string {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return "config must be a JSON object";
  const raw = input as Record<string, unknown>;
  const patch: FakeRapiwaConfigPatch = {};
  const isStatus = (v: unknown) => Number.isInteger(v) && ((v as number) === 0 || ((v as number) >= 100 && (v as number) <= 599));
  const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string");
  for (const [key, value] of Object.entries(raw)) {
    switch (key) {
      case "latencyMs":
        if (typeof value !== "number" || !(value >= 0)) return "latencyMs must be a number >= 0";
        patch.latencyMs = value;
        break;
      case "failNext": {
        if (value === null) {
          patch.failNext = null;
          break;
        }
        const f = value as Record<string, unknown>;
        if (typeof value !== "object" || !Number.isInteger(f.count) || (f.count as number) < 0 || !isStatus(f.status)) {
          return "failNext must be null or { count: integer >= 0, status: 0 or an HTTP status, error?: string }";
        }
        if (f.error !== undefined && typeof f.error !== "string") return "failNext.error must be a string";
        patch.failNext = { count: f.count as number, status: f.status as number, ...(f.error !== undefined ? { error: f.error as string } : {}) };
        break;
      }
      case "rejectedKeys":
      case "invalidNumbers":
        if (!isStrings(value)) return `${key} must be an array of strings`;
        patch[key] = value;
        break;
      case "acceptedKeys":
        if (value !== null && !isStrings(value)) return "acceptedKeys must be null or an array of strings";
        patch.acceptedKeys = value;
        break;
      case "invalidNumberStatus":
        if (!isStatus(value) || value === 0) return "invalidNumberStatus must be an HTTP status";
        patch.invalidNumberStatus = value as number;
        break;
      default:
        return `unknown config field "${key}"`;
    }
  }
  return patch;
}

export async function startFakeRapiwa({ port = 0, host = "127.0.0.1" }: { port?: number; host?: string } = {}): Promise<FakeRapiwa> {
  let config = defaultConfig();
  // Sets, rebuilt on configure, so the hot path does O(1) look-ups.
  let rejected = new Set<string>();
  let accepted: Set<string> | null = null;
  let invalid = new Set<string>();
  let received: ReceivedMessage[] = [];
  let attempts: FakeAttempt[] = [];
  const timers = new Set<NodeJS.Timeout>();

  function configure(partial: FakeRapiwaConfigPatch): void {
    config = { ...config, ...partial };
    if (config.failNext) config.failNext = { ...config.failNext };
    rejected = new Set(config.rejectedKeys);
    accepted = config.acceptedKeys ? new Set(config.acceptedKeys) : null;
    invalid = new Set(config.invalidNumbers);
  }

  function reset(): void {
    received = [];
    attempts = [];
    config = defaultConfig();
    configure({});
  }

  function send(res: ServerResponse, status: number, body: unknown, delayMs = 0): void {
    const write = () => {
      if (res.destroyed) return;
      const text = JSON.stringify(body);
      res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
      res.end(text);
    };
    if (delayMs > 0) later(write, delayMs);
    else write();
  }

  function later(fn: () => void, delayMs: number): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, delayMs);
    timers.add(timer);
  }

  function handleSend(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer): void {
    const now = Date.now();
    const delay = config.latencyMs;
    const apiKey = bearerOf(req);
    const json = parseJsonObject(body);
    const number = json && typeof json.number === "string" ? json.number : null;
    const message = json && typeof json.message === "string" ? json.message : null;
    const attempt: FakeAttempt = { path, number, message, apiKey, status: 0, messageId: null, error: null, receivedAt: now };
    attempts.push(attempt);
    const fail = (status: number, error: string) => {
      attempt.status = status;
      attempt.error = error;
      send(res, status, { success: false, error }, delay);
    };

    const failNext = config.failNext;
    if (failNext && failNext.count > 0) {
      failNext.count -= 1;
      if (failNext.count === 0) config.failNext = null;
      if (failNext.status === 0) {
        attempt.error = "socket destroyed";
        if (delay > 0) later(() => req.socket.destroy(), delay);
        else req.socket.destroy();
        return;
      }
      return fail(failNext.status, failNext.error ?? defaultErrorFor(failNext.status));
    }
    if (apiKey === null) return fail(401, "Missing API key");
    if (rejected.has(apiKey) || (accepted !== null && !accepted.has(apiKey))) return fail(401, "Invalid API key");
    if (json === null) return fail(400, "Invalid JSON body");
    if (number === null || !number.trim()) return fail(400, "number is required");
    if (message === null || !message) return fail(400, "message is required");
    if (json.message_type !== "text") return fail(400, "Unsupported message_type; expected text");
    const digits = number.replace(/\D/g, "");
    if (!digits || invalid.has(digits)) return fail(config.invalidNumberStatus, "Invalid WhatsApp number");

    // Recorded on arrival, like a provider that sends at once and may answer late: a client that
    // times out still leaves a received message, which is what duplicate-send tests need.
    const messageId = `rapiwa_${randomUUID().replaceAll("-", "")}`;
    received.push({ number, message, apiKey, messageId, path, receivedAt: now });
    attempt.status = 200;
    attempt.messageId = messageId;
    const answer = path === LEGACY_SEND_PATH ? { status: "success", messageId } : { success: true, message_type: "text", message_id: messageId, to: digits };
    send(res, 200, answer, delay);
  }

  function handleVerify(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const delay = config.latencyMs;
    const apiKey = bearerOf(req);
    if (apiKey === null) return send(res, 401, { success: false, error: "Missing API key" }, delay);
    if (rejected.has(apiKey) || (accepted !== null && !accepted.has(apiKey))) {
      return send(res, 401, { success: false, error: "Invalid API key" }, delay);
    }
    const json = parseJsonObject(body);
    if (json === null) return send(res, 400, { success: false, error: "Invalid JSON body" }, delay);
    if (typeof json.number !== "string" || !json.number.trim()) return send(res, 400, { success: false, error: "number is required" }, delay);
    const digits = json.number.replace(/\D/g, "");
    send(res, 200, { success: true, data: { number: digits, exists: digits !== "" && !invalid.has(digits) } }, delay);
  }

  function handleControl(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer): void {
    if (path === "/__fake/config" && req.method === "POST") {
      let input: unknown;
      try {
        input = JSON.parse(body.toString("utf8"));
      } catch {
        return send(res, 400, { error: "Invalid JSON body" });
      }
      const patch = parseConfigPatch(input);
      if (typeof patch === "string") return send(res, 400, { error: patch });
      configure(patch);
      return send(res, 200, config);
    }
    if (path === "/__fake/config" && req.method === "GET") return send(res, 200, config);
    if (path === "/__fake/received" && req.method === "GET") return send(res, 200, received);
    if (path === "/__fake/attempts" && req.method === "GET") return send(res, 200, attempts);
    if (path === "/__fake/stats" && req.method === "GET") return send(res, 200, { received: received.length, attempts: attempts.length });
    if (path === "/__fake/reset" && req.method === "POST") {
      reset();
      return send(res, 200, { ok: true });
    }
    send(res, 404, { error: "Not found" });
  }

  const server = createServer((req, res) => {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    const isSend = path === SEND_PATH || path === LEGACY_SEND_PATH;
    const isProvider = isSend || path === VERIFY_PATH;
    if (isProvider && req.method !== "POST") {
      req.resume();
      return send(res, 405, { success: false, error: "Method not allowed" });
    }
    if (!isProvider && !path.startsWith("/__fake/")) {
      req.resume();
      return send(res, 404, { success: false, error: "Not found" });
    }

    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => {
      if (tooLarge) return send(res, 413, { success: false, error: "Request body too large" });
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      if (isSend) handleSend(req, res, path, body);
      else if (path === VERIFY_PATH) handleVerify(req, res, body);
      else handleControl(req, res, path, body);
    });
    req.on("error", () => {});
  });
  // Many keep-alive clients at once (benchmarks): do not let idle sockets pile up forever.
  server.keepAliveTimeout = 10_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port, host, backlog: 2048 }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${urlHost}:${address.port}`,
    received: () => received.slice(),
    attempts: () => attempts.slice(),
    config: () => structuredClone(config),
    configure: (partial) => {
      // Same checks as over HTTP, so a test's typo fails loudly instead of configuring nothing.
      const defined = Object.fromEntries(Object.entries(partial).filter(([, value]) => value !== undefined));
      const patch = parseConfigPatch(structuredClone(defined));
      if (typeof patch === "string") throw new TypeError(`fake Rapiwa: ${patch}`);
      configure(patch);
    },
    reset,
    openConnections: () => new Promise<number>((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count)))),
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function bearerOf(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

function parseJsonObject(body: Buffer): Record<string, unknown> | null {
  if (body.length === 0) return null;
  try {
    const value: unknown = JSON.parse(body.toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function defaultErrorFor(status: number): string {
  if (status === 429) return "Too many requests";
  if (status >= 500) return "Internal server error";
  return "Request failed";
}
