/**
 * The one way Switchboard sends a webhook: an SSRF-guarded HTTP POST (part 2 of 2; url-policy.ts is part 1).
 *
 * Checking a URL when it is saved is not enough: its host name can resolve to 127.0.0.1 later, or to a
 * public address for the check and to a private one for the connection (DNS rebinding). So postWebhook
 * checks the URL again, resolves the host name ONCE, refuses when ANY of the addresses is forbidden (an
 * attacker controls which one a client would pick), and connects to the first address itself, with no
 * second lookup, while the Host header, TLS SNI and certificate check keep using the host name.
 *
 * Built on node:http / node:https and their documented `lookup` connect option, not on fetch: Node 20's
 * fetch (its bundled undici 6) takes a custom dispatcher but does not export undici's Agent, the undici
 * package's current major needs Node >= 22.19, and an older undici Agent beside the bundled fetch is two
 * copies of undici that must agree. node:http needs no dependency, follows no redirects (a 3xx is returned
 * as a response: the caller counts it as a failure) and uses no proxy settings that could resolve the
 * name again.
 *
 * One timeout (15 s by default) covers the lookup, the connection, the response headers and the body
 * read. Of the body, at most 64 KiB is read and its first 1,000 characters kept. A timeout or a broken
 * connection while the body is read still returns the response: the status arrived in time, and it is
 * the verdict.
 *
 * Connections are kept alive between deliveries, pooled per (protocol, host name, checked address, port):
 * a delivery reuses a connection only to the very address its own lookup just resolved and checked, so a
 * name that now resolves elsewhere gets a new connection, never an old one. Without it every delivery paid
 * a TCP (and TLS) handshake. Idle connections close after 4 s (before the usual 5 s of Node and other
 * servers), at most 4 per pool, and at most 256 pools are kept.
 */
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import net from "node:net";
import { toStorableText, truncateText } from "../security/text-input.ts";
import { bareHostname, checkAddress, checkWebhookUrl } from "./url-policy.ts";

export const WEBHOOK_TIMEOUT_MS = 15_000;
export const WEBHOOK_SNIPPET_CHARS = 1_000;
export const WEBHOOK_MAX_BODY_READ_BYTES = 64 * 1024;

export interface ResolvedAddress {
  address: string;
  /** 4 or 6 */
  family: number;
}

/** Resolves a host name to all its addresses (dns.lookup with `all: true` unless a test injects one). */
export type WebhookLookup = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface PostWebhookOptions {
  url: string;
  headers: Record<string, string>;
  body: string | Uint8Array;
  /** 15,000 ms unless given. */
  timeoutMs?: number;
  /** WEBHOOK_ALLOW_PRIVATE_URLS: lifts the address check, for local development and tests only. */
  allowPrivate: boolean;
  lookup?: WebhookLookup;
}

export type WebhookResponse =
  | {
      kind: "response";
      status: number;
      durationMs: number;
      /** Lower-cased names; a repeated header's values joined with ", ". */
      headers: Record<string, string>;
      /** The first 1,000 characters of the body (UTF-8). */
      snippet: string;
    }
  /** The URL or an address it resolves to is not allowed: nothing was sent, and retrying will not help. */
  | { kind: "refused"; reason: string }
  /** DNS failure, connection failure, TLS failure or timeout before the response headers. */
  | { kind: "error"; reason: string; durationMs: number };

const systemLookup: WebhookLookup = (hostname) => dns.promises.lookup(hostname, { all: true });

const MAX_POOLS = 256;
const pools = new Map<string, http.Agent>();

/** The keep-alive pool for connections to exactly this checked address (most recently used kept). */
function poolFor(protocol: string, host: string, pinned: ResolvedAddress, port: string): http.Agent {
  const key = `${protocol}//${host}|${pinned.address}|${port}`;
  let agent = pools.get(key);
  if (agent) {
    pools.delete(key);
  } else {
    const options: http.AgentOptions = { keepAlive: true, maxFreeSockets: 4, timeout: 4_000, lookup: pinnedLookup(pinned) };
    agent = protocol === "https:" ? new https.Agent(options) : new http.Agent(options);
  }
  pools.set(key, agent);
  if (pools.size > MAX_POOLS) {
    const [oldest, evicted] = pools.entries().next().value as [string, http.Agent];
    pools.delete(oldest);
    evicted.destroy();
  }
  return agent;
}

/** A connect-time lookup that answers with the address already resolved and checked, whatever it is asked. */
function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  };
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  const aborted = new Promise<never>((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
  return Promise.race([promise, aborted]);
}

function describeError(error: unknown, signal: AbortSignal, timeoutMs: number): string {
  if (signal.aborted) return `timed out after ${timeoutMs} ms`;
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

/**
 * Headers the caller may not set: Host comes from the URL (node:https also takes the TLS server name from
 * it), the length from the body, and the connection's reuse from the pool.
 */
const RESERVED_HEADERS = new Set(["host", "content-length", "transfer-encoding", "connection"]);

function responseHeaders(raw: http.IncomingHttpHeaders): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) headers[name] = toStorableText(Array.isArray(value) ? value.join(", ") : value);
  }
  return headers;
}

function snippetOf(chunks: Buffer[]): string {
  // A character cut in half at the 64 KiB limit becomes U+FFFD, far beyond the first 1,000 characters.
  const text = new TextDecoder("utf-8").decode(Buffer.concat(chunks));
  return truncateText(toStorableText(text), WEBHOOK_SNIPPET_CHARS);
}

/** POSTs `body` to `url` under the SSRF policy (see the top of this file). Never throws. */
export async function postWebhook(options: PostWebhookOptions): Promise<WebhookResponse> {
  const { url, body, allowPrivate, lookup = systemLookup, timeoutMs = WEBHOOK_TIMEOUT_MS } = options;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);

  const checked = checkWebhookUrl(url, { allowPrivate });
  if (!checked.ok) return { kind: "refused", reason: checked.reason };
  const target = checked.url;
  const host = bareHostname(target);
  const signal = AbortSignal.timeout(timeoutMs);

  let pinned: ResolvedAddress;
  const literal = net.isIP(host);
  if (literal !== 0) {
    pinned = { address: host, family: literal }; // checked by checkWebhookUrl; net.connect does no lookup for it
  } else {
    let addresses: readonly ResolvedAddress[];
    try {
      addresses = await untilAborted(lookup(host), signal);
    } catch (error) {
      return { kind: "error", reason: `DNS lookup of ${host} failed: ${describeError(error, signal, timeoutMs)}`, durationMs: elapsed() };
    }
    const first = addresses[0];
    if (!first) return { kind: "error", reason: `DNS lookup of ${host} found no address`, durationMs: elapsed() };
    for (const { address } of addresses) {
      const refused = checkAddress(address, { allowPrivate });
      if (refused) return { kind: "refused", reason: `${host} resolves to a forbidden address: ${refused}.` };
    }
    pinned = first;
  }

  const payload = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  const headers: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(options.headers)) {
    if (!RESERVED_HEADERS.has(name.toLowerCase())) headers[name] = value;
  }
  headers["content-length"] = payload.byteLength;

  const client = target.protocol === "https:" ? https : http;
  return new Promise<WebhookResponse>((resolve) => {
    let finishResponse: (() => void) | undefined;
    let request: http.ClientRequest;
    try {
      request = client.request(
        {
          method: "POST",
          hostname: host,
          port: target.port || undefined,
          path: `${target.pathname}${target.search}`,
          headers,
          lookup: pinnedLookup(pinned),
          agent: poolFor(target.protocol, host, pinned, target.port),
          signal,
        },
        (response) => {
          const status = response.statusCode ?? 0;
          const chunks: Buffer[] = [];
          let received = 0;
          let finished = false;
          const finish = () => {
            if (finished) return;
            finished = true;
            resolve({ kind: "response", status, durationMs: elapsed(), headers: responseHeaders(response.headers), snippet: snippetOf(chunks) });
          };
          finishResponse = finish;
          response.on("data", (chunk: Buffer) => {
            const room = WEBHOOK_MAX_BODY_READ_BYTES - received;
            chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
            received += Math.min(chunk.length, room);
            if (received >= WEBHOOK_MAX_BODY_READ_BYTES) {
              finish();
              response.destroy();
            }
          });
          // 'close' follows the end of the body, and also a timeout or a reset during the body read: either
          // way, keep what came. The 'error' listener keeps such an error from being unhandled.
          response.on("error", finish);
          response.on("close", finish);
        },
      );
    } catch (error) {
      // A header name or value Node refuses (a newline in it, say): nothing was sent.
      return resolve({ kind: "error", reason: describeError(error, signal, timeoutMs), durationMs: elapsed() });
    }
    request.on("error", (error) => {
      if (finishResponse)
        finishResponse(); // the status came in time: an error in the body read does not undo it
      else resolve({ kind: "error", reason: describeError(error, signal, timeoutMs), durationMs: elapsed() });
    });
    request.end(payload);
  });
}
