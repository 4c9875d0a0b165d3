import { Webhook } from "standardwebhooks";
import type { Database } from "../../db/database.ts";
import type { Attempt, Claim, Consumer, Finished } from "../../jobs/engine.ts";
import type { Logger } from "../../logger.ts";
import { decryptSecret, type ServerKeys } from "../../security/secrets.ts";
import { WEBHOOK_TIMEOUT_MS, type PostWebhookOptions, type WebhookResponse } from "../../webhooks/guarded-http.ts";
import { toMessage, type MessageRow } from "../messages/message-row.ts";

/** The work engine's queue of webhook deliveries; its key is the endpoint, one delivery in flight each, in order. */
export const WEBHOOK_QUEUE = "deliver_webhook";

export type DeliveryJob = {
  id: string;
  attempts: number;
  event_id: string;
  event_type: string;
  occurred_at: Date;
  payload: Record<string, unknown> | null;
  url: string;
  secret_ciphertext: string;
  previous_secret_ciphertext: string | null;
  previous_secret_expires_at: Date | null;
};

/** An attempt's outcome in the engine's terms, with what the tenant will see of it. */
export type DeliveryAttempt = Attempt & {
  responseStatus?: number;
  durationMs?: number;
  snippet?: string;
  /** 410 Gone: the endpoint is disabled with this reason. */
  disableReason?: string;
};

export type DeliveryConsumerOptions = {
  db: Database;
  keys: ServerKeys;
  logger: Logger;
  /** Seconds before each attempt (the first is the delivery's first attempt): Svix's schedule by default. */
  retryScheduleSeconds: number[];
  allowPrivateUrls: boolean;
  post: (options: PostWebhookOptions) => Promise<WebhookResponse>;
  timeoutMs?: number;
};

type ClaimRow = Omit<DeliveryJob, "id"> & { id: string | null; drained: boolean };

/** Deliveries of one endpoint claimed together (then sent one after another, in order). */
const CLAIM_AHEAD = 16;

/** The longest Retry-After honoured: a receiver cannot park a delivery for longer than a day. */
const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/**
 * Delivering webhooks, as the work engine's consumer: POST `{ type, timestamp, data }` signed the
 * Standard Webhooks way (`standardwebhooks`), with `webhook-id` = the event's id (the same on every
 * retry, so receivers deduplicate), through the SSRF-guarded client. Any 2xx within the timeout is
 * success; 3xx and other answers are failures and retried on the schedule; 410 Gone disables the
 * endpoint; 429/503 with Retry-After are retried then; `webhook-delivery: abort-message` ends the retries.
 */
export function createDeliveryConsumer(options: DeliveryConsumerOptions): Consumer<DeliveryJob, DeliveryAttempt> {
  const { db, keys, logger } = options;
  const pool = db.backgroundPool;
  const schedule = options.retryScheduleSeconds;

  function signatures(job: DeliveryJob, body: string, at: Date): string {
    const secrets = [decryptSecret(keys.encryptionKey, job.secret_ciphertext)];
    if (job.previous_secret_ciphertext && job.previous_secret_expires_at && job.previous_secret_expires_at > at) {
      secrets.push(decryptSecret(keys.encryptionKey, job.previous_secret_ciphertext));
    }
    return signatureHeader(secrets, job.event_id, at, body);
  }

  return {
    queue: WEBHOOK_QUEUE,
    maxAttempts: schedule.length,
    // In event order per endpoint, one request at a time; claimed CLAIM_AHEAD at a time, so a fast
    // receiver costs a claim per batch rather than per delivery.
    inOrder: {
      claimAhead: CLAIM_AHEAD,
      attemptMs: (options.timeoutMs ?? WEBHOOK_TIMEOUT_MS) + 1_000,
      async release(tenantId, ids) {
        await pool.query("SELECT app_release_webhook_jobs($1, $2::uuid[])", [tenantId, ids]);
      },
    },
    // Before attempt n + 1 comes schedule[n] seconds, +-10% so endpoints failing together do not retry together.
    retryDelayMs: (attempt) => Math.round((schedule[Math.min(attempt, schedule.length - 1)] ?? 0) * 1000 * (0.9 + Math.random() * 0.2)),

    async claim({ tenantId, paceKey }, limit, leaseMs): Promise<Claim<DeliveryJob>> {
      const { rows } = await pool.query<ClaimRow>("SELECT * FROM app_claim_webhook_deliveries($1, $2, $3, $4)", [tenantId, paceKey, limit, leaseMs]);
      const jobs = rows.filter((row): row is ClaimRow & { id: string } => row.id !== null);
      return { jobs, paceWaitMs: 0, drained: rows.length === 0 || (rows[0]?.drained ?? true) };
    },

    async perform({ tenantId }, job): Promise<DeliveryAttempt> {
      const body = JSON.stringify(deliveryBody(tenantId, job));
      const at = new Date();
      const headers = {
        "content-type": "application/json",
        "user-agent": "Switchboard-Webhooks/1.0",
        "webhook-id": job.event_id,
        "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
        "webhook-signature": signatures(job, body, at),
        "x-tenant-id": tenantId,
      };
      const response = await options.post({ url: job.url, headers, body, allowPrivate: options.allowPrivateUrls, timeoutMs: options.timeoutMs });
      return classify(response);
    },

    async record(tenantId, finished) {
      await pool.query("SELECT app_record_webhook_outcomes($1, $2::jsonb)", [tenantId, JSON.stringify(finished.map(outcomeRow))]);
    },

    async expire(tenantId, ids) {
      const { rows } = await pool.query<{ expired: number }>("SELECT app_expire_webhook_deliveries($1, $2::uuid[]) AS expired", [tenantId, ids]);
      const expired = rows[0]?.expired ?? 0;
      if (expired > 0) logger.warn({ tenantId, expired }, "webhook deliveries interrupted by a stopped worker are due again");
    },
  };
}

/** `webhook-signature`: one `v1,<base64>` per secret (two while a rotated-out secret still signs), space-separated. */
export function signatureHeader(secrets: string[], id: string, at: Date, body: string): string {
  return secrets.map((secret) => new Webhook(secret).sign(id, at, body)).join(" ");
}

/** The body receivers get: the event's type, when it happened, and its data as the API shows it. */
export function deliveryBody(tenantId: string, job: Pick<DeliveryJob, "event_type" | "occurred_at" | "payload">) {
  const payload = job.payload ?? {};
  const data: Record<string, unknown> = { tenantId };
  if (payload.message) {
    // The message as the GraphQL `Message` type shows it (no list preview).
    const { preview: _preview, ...message } = toMessage(payload.message as MessageRow);
    data.message = message;
  }
  if (payload.connection) data.connection = payload.connection;
  if (job.event_type === "test") data.test = true;
  return { type: job.event_type, timestamp: new Date(job.occurred_at).toISOString(), data };
}

function retryAfterMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 1_000), MAX_RETRY_AFTER_MS) : undefined;
}

function classify(response: WebhookResponse): DeliveryAttempt {
  if (response.kind === "refused") return { ok: false, retryable: false, reason: `Not delivered: ${response.reason}` };
  if (response.kind === "error") return { ok: false, retryable: true, reason: response.reason, durationMs: response.durationMs };
  const seen = { responseStatus: response.status, durationMs: response.durationMs, snippet: response.snippet };
  if (response.status >= 200 && response.status < 300) return { ok: true, ...seen };
  if (response.status === 410) {
    const reason = "The endpoint answered 410 Gone, so it was disabled; enable it again to deliver what is pending.";
    return { ok: false, retryable: false, reason: `HTTP 410 Gone`, disableReason: reason, ...seen };
  }
  if (response.headers["webhook-delivery"]?.toLowerCase() === "abort-message") {
    return { ok: false, retryable: false, reason: `HTTP ${response.status}; the receiver asked to stop retrying (webhook-delivery: abort-message)`, ...seen };
  }
  const reason = response.status >= 300 && response.status < 400 ? `HTTP ${response.status} (redirects are not followed)` : `HTTP ${response.status}`;
  const after = response.status === 429 || response.status === 503 ? retryAfterMs(response.headers["retry-after"]) : undefined;
  return { ok: false, retryable: true, reason, ...(after !== undefined ? { retryAfterMs: after } : {}), ...seen };
}

/** One row of app_record_webhook_outcomes. */
function outcomeRow({ job, outcome, decision }: Finished<DeliveryJob, DeliveryAttempt>) {
  const seen = {
    id: job.id,
    response_status: outcome.responseStatus ?? null,
    duration_ms: outcome.durationMs === undefined ? null : Math.round(outcome.durationMs),
    snippet: outcome.snippet ?? null,
    disable_reason: outcome.ok ? null : (outcome.disableReason ?? null),
  };
  switch (decision.kind) {
    case "done":
      return { ...seen, status: "SUCCEEDED", retry_in_ms: 0, error: null };
    case "retry":
      return { ...seen, status: "PENDING", retry_in_ms: decision.delayMs, error: decision.reason };
    case "failed":
    case "uncertain":
      return { ...seen, status: "FAILED", retry_in_ms: 0, error: decision.reason };
  }
}
