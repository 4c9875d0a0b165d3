import http from "node:http";
import https from "node:https";
import { storableProviderMessageId } from "../provider-message-id.ts";
import type { SendOutcome, SendTextRequest, WhatsAppProvider } from "../whatsapp-provider.ts";

/** A failed SendOutcome. */
export type ProviderFailure = Extract<SendOutcome, { ok: false }>;

export type VerifyOutcome = { ok: true; exists: boolean } | ProviderFailure;

export type RapiwaClientOptions = {
  /** Default https://app.rapiwa.com (no trailing slash needed). */
  baseUrl?: string;
  timeoutMs?: number;
  /**
   * Path of the send endpoint. "/send-message" is the legacy one, kept so tests can exercise the
   * legacy answer shape; production uses the default.
   */
  sendPath?: string;
};

export type RapiwaClient = WhatsAppProvider & {
  /** Asks Rapiwa whether `to` (E.164) has WhatsApp. Never throws for provider/network problems. */
  verifyNumber(apiKey: string, to: string): Promise<VerifyOutcome>;
};

export const RAPIWA_DEFAULT_BASE_URL = "https://app.rapiwa.com";
/** Rapiwa's answers are small JSON; anything past this is cut (and then fails to parse). */
const MAX_ANSWER_BYTES = 64 * 1024;
// Idle sockets close after 4 s, before a typical server (Node: 5 s) closes them under a request in
// flight: that race would look like "may have been sent" and turn a message UNKNOWN.
const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 256, timeout: 4_000 });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 256, timeout: 4_000 });
const MAX_DETAIL_CHARS = 200;
// eslint-disable-next-line no-control-regex -- control characters are what errorText() takes out
const CONTROL_CHARACTERS = /[\x00-\x1f\x7f]+/g;

type Answer = { kind: "http"; status: number; json: unknown; bodyReadFailed: boolean } | { kind: "failure"; failure: ProviderFailure };

/**
 * The Rapiwa HTTP client. Classification of answers:
 * - network error, timeout, HTTP 5xx, 408, 429: retryable (Rapiwa did not take the message).
 * - 401/403: final, badCredential.
 * - other 4xx and 3xx: final (bad number, bad request, misconfigured base URL).
 * - 2xx with `success: true` (current) or `status: "success"` (legacy): ok; a missing id gives
 *   providerMessageId null.
 * - 2xx with `success: false` / `status: "error"`: final, with Rapiwa's error text.
 * - any other 2xx (not JSON, neither shape, body cut off): final "unexpected answer". Rapiwa may
 *   well have sent the message, so retrying could deliver it twice; a visible failure is better.
 */
export function createRapiwaClient(options: RapiwaClientOptions = {}): RapiwaClient {
  const baseUrl = (options.baseUrl ?? RAPIWA_DEFAULT_BASE_URL).replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 15_000;
  const sendUrl = baseUrl + (options.sendPath ?? "/api/send-message");
  const verifyUrl = baseUrl + "/api/verify-whatsapp";

  /**
   * One POST over node:http with keep-alive sockets (fetch cost several times the CPU per request,
   * and the dispatcher makes one call per message). Redirects are not followed: a redirected POST
   * may lose its body, so it is reported instead.
   */
  function post(url: string, apiKey: string, body: unknown): Promise<Answer> {
    return new Promise((resolve) => {
      const target = new URL(url);
      const secure = target.protocol === "https:";
      const payload = JSON.stringify(body);
      let settled = false;
      const finish = (answer: Answer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(answer);
      };
      const request = (secure ? https : http).request(
        target,
        {
          method: "POST",
          agent: secure ? httpsAgent : httpAgent,
          headers: {
            authorization: `Bearer ${apiKey}`,
            "content-type": "application/json",
            accept: "application/json",
            "content-length": Buffer.byteLength(payload),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
          });
          const status = response.statusCode ?? 0;
          response.on("end", () => finish({ kind: "http", status, json: parseJson(Buffer.concat(chunks).toString("utf8")), bodyReadFailed: false }));
          response.on("aborted", () => finish({ kind: "http", status, json: undefined, bodyReadFailed: true }));
          response.on("error", () => finish({ kind: "http", status, json: undefined, bodyReadFailed: true }));
        },
      );
      const timer = setTimeout(() => {
        const timeout = Object.assign(new Error("timeout"), { name: "TimeoutError" });
        request.destroy(timeout);
        finish({ kind: "failure", failure: networkFailure(timeout, timeoutMs) });
      }, timeoutMs);
      request.on("error", (error) => finish({ kind: "failure", failure: networkFailure(error, timeoutMs) }));
      request.end(payload);
    });
  }

  return {
    async sendText({ apiKey, to, text }: SendTextRequest): Promise<SendOutcome> {
      const invalid = checkInputs(apiKey, to);
      if (invalid) return invalid;
      const answer = await post(sendUrl, apiKey, { number: digitsOf(to), message_type: "text", message: text });
      if (answer.kind === "failure") return answer.failure;
      const { status, json } = answer;
      if (status < 200 || status > 299) return httpFailure(status, json, apiKey);

      if (!answer.bodyReadFailed && isRecord(json)) {
        if (json.success === true || json.status === "success") {
          return { ok: true, providerMessageId: idOf(json.message_id) ?? idOf(json.messageId) };
        }
        if (json.success === false || json.status === "error" || json.status === "failed") {
          return final(withDetail("Rapiwa refused the message", errorText(json, apiKey)), status);
        }
      }
      return { ...final("Unexpected answer from Rapiwa", status), mayHaveBeenSent: true };
    },

    async verifyNumber(apiKey: string, to: string): Promise<VerifyOutcome> {
      const invalid = checkInputs(apiKey, to);
      if (invalid) return invalid;
      const answer = await post(verifyUrl, apiKey, { number: digitsOf(to) });
      if (answer.kind === "failure") return answer.failure;
      const { status, json } = answer;
      if (status < 200 || status > 299) return httpFailure(status, json, apiKey);
      if (isRecord(json)) {
        const data = json.data;
        if (json.success === true && isRecord(data) && typeof data.exists === "boolean") {
          return { ok: true, exists: data.exists };
        }
        if (json.success === false) {
          return final(withDetail("Rapiwa could not check the number", errorText(json, apiKey)), status);
        }
      }
      // Nothing was sent, so a retry is harmless here (unlike sendText).
      return { ok: false, retryable: true, reason: "Unexpected answer from Rapiwa", httpStatus: status };
    },
  };
}

/** Rapiwa wants the number as digits only ("8801234567890"), our callers pass E.164. */
function digitsOf(e164: string): string {
  return e164.replace(/\D/g, "");
}

function checkInputs(apiKey: string, to: string): ProviderFailure | undefined {
  // fetch rejects header values with control characters; without this check that would look like
  // a (retryable) network error.
  if (!apiKey || !/^[\x21-\x7e]+$/.test(apiKey)) {
    return { ok: false, retryable: false, badCredential: true, reason: "The Rapiwa API key is missing or malformed" };
  }
  if (!digitsOf(to)) {
    return { ok: false, retryable: false, reason: "The recipient number has no digits" };
  }
  return undefined;
}

function httpFailure(status: number, json: unknown, apiKey: string): ProviderFailure {
  const detail = isRecord(json) ? errorText(json, apiKey) : undefined;
  if (status === 401 || status === 403) {
    return {
      ok: false,
      retryable: false,
      badCredential: true,
      httpStatus: status,
      reason: withDetail(`Rapiwa rejected the API key (HTTP ${status})`, detail),
    };
  }
  if (status === 429) {
    return { ok: false, retryable: true, httpStatus: status, reason: withDetail("Rapiwa is rate limiting (HTTP 429)", detail) };
  }
  if (status >= 500 || status === 408) {
    return { ok: false, retryable: true, httpStatus: status, reason: withDetail(`Rapiwa had a server error (HTTP ${status})`, detail) };
  }
  if (status >= 300 && status < 400) {
    return final(`Rapiwa answered with a redirect (HTTP ${status}); check the Rapiwa base URL`, status);
  }
  return final(withDetail(`Rapiwa refused the request (HTTP ${status})`, detail), status);
}

function networkFailure(error: unknown, timeoutMs: number): ProviderFailure {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    const limit = timeoutMs < 1_000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 100) / 10} s`;
    return { ok: false, retryable: true, mayHaveBeenSent: true, reason: `Rapiwa did not answer within ${limit}` };
  }
  // node:http puts the socket error's code on the error itself (undici on its `cause`); only the
  // code is shown (no stack, no URL).
  const direct = error as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const rawCode = direct?.code ?? direct?.cause?.code;
  const code = typeof rawCode === "string" ? rawCode : undefined;
  const what = code ? (NETWORK_CODES[code] ?? code) : "network error";
  // Refused, unresolvable, or never connected: the request cannot have arrived. A connection that
  // dropped after opening may have carried it.
  const mayHaveBeenSent = !(code && NOT_DELIVERED_CODES.has(code));
  return { ok: false, retryable: true, ...(mayHaveBeenSent ? { mayHaveBeenSent } : {}), reason: `Could not reach Rapiwa (${what})` };
}

const NOT_DELIVERED_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT", "EHOSTUNREACH", "ENETUNREACH"]);

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "DNS lookup failed",
  ETIMEDOUT: "connection timed out",
  UND_ERR_SOCKET: "connection closed",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
};

function final(reason: string, httpStatus: number): ProviderFailure {
  return { ok: false, retryable: false, reason, httpStatus };
}

function withDetail(reason: string, detail: string | undefined): string {
  return detail ? `${reason}: ${detail}` : reason;
}

/** Rapiwa's error text, made safe to show a tenant: one line, no API key, at most ~200 chars. */
function errorText(json: Record<string, unknown>, apiKey: string): string | undefined {
  const raw = pickText(json.error) ?? pickText(json.message);
  if (!raw) return undefined;
  let text = raw.split(apiKey).join("[redacted]").replace(CONTROL_CHARACTERS, " ").trim();
  if (text.length > MAX_DETAIL_CHARS) text = text.slice(0, MAX_DETAIL_CHARS - 1) + "…";
  return text || undefined;
}

function pickText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (isRecord(value) && typeof value.message === "string") return value.message;
  return undefined;
}

function idOf(value: unknown): string | null {
  if (typeof value === "string" && value) return storableProviderMessageId(value);
  if (typeof value === "number") return String(value);
  return null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
