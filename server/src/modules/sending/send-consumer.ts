import type { Database } from "../../db/database.ts";
import type { WhatsAppProvider as ProviderKind } from "../../generated/prisma/enums.ts";
import { exponentialBackoff } from "../../jobs/backoff.ts";
import type { Attempt, Claim, Consumer, Finished } from "../../jobs/engine.ts";
import type { Logger } from "../../logger.ts";
import type { Providers } from "../../providers/providers.ts";
import { decryptSecret, type ServerKeys } from "../../security/secrets.ts";
import { messagesChanged } from "../live/message-changes.ts";

/** The work engine's queue of messages to send; its pace key is the message's WhatsApp connection. */
export const SEND_QUEUE = "send_message";

export type SendJob = {
  id: string;
  attempts: number;
  to_number: string;
  body: string;
  provider: ProviderKind;
  api_key_ciphertext: string;
  connection_status: string;
};

/** A provider call's outcome, in the engine's terms, with the provider's message id when sent. */
export type SendAttempt = Attempt & { providerMessageId?: string | null };

type ClaimRow = Omit<SendJob, "id"> & { id: string | null; pace_wait_ms: number; drained: boolean };

export type SendConsumerOptions = {
  db: Database;
  providers: Providers;
  keys: ServerKeys;
  logger: Logger;
  retryBaseMs: number;
  maxAttempts: number;
  /** Called after a message is recorded SENT (the sandbox uses it to fake delivery receipts). */
  onSent?: (sent: { tenantId: string; messageId: string; provider: ProviderKind }) => void;
};

/**
 * Sending messages, as the work engine's consumer. A claim marks the messages SENDING (with the
 * lease on their jobs) before any provider call; the outcome is recorded after. A send that may
 * have reached the provider without an answer, or whose lease ran out (the process stopped
 * mid-call), becomes UNKNOWN: Rapiwa takes no idempotency key, so a blind resend could send twice.
 */
export function createSendConsumer(options: SendConsumerOptions): Consumer<SendJob, SendAttempt> {
  const { db, providers, keys, logger } = options;
  const pool = db.backgroundPool;

  return {
    queue: SEND_QUEUE,
    maxAttempts: options.maxAttempts,
    retryDelayMs: exponentialBackoff(options.retryBaseMs),

    async claim({ tenantId, paceKey }, limit, leaseMs): Promise<Claim<SendJob>> {
      const { rows } = await pool.query<ClaimRow>("SELECT * FROM app_claim_sends($1, $2, $3, $4)", [tenantId, paceKey, limit, leaseMs]);
      const jobs = rows.filter((row): row is ClaimRow & { id: string } => row.id !== null);
      // Claimed messages turned SENDING.
      if (jobs.length > 0) messagesChanged(pool, tenantId);
      return { jobs, paceWaitMs: rows[0]?.pace_wait_ms ?? 0, drained: rows[0]?.drained ?? true };
    },

    async perform(_key, job): Promise<SendAttempt> {
      if (job.connection_status !== "CONNECTED") {
        return { ok: false, retryable: false, reason: "the WhatsApp number was disconnected before this message was sent" };
      }
      // Anything thrown before the request went out (e.g. an undecryptable key) is final, not
      // "unknown": the provider clients classify their own failures and never throw.
      let apiKey: string;
      try {
        apiKey = decryptSecret(keys.encryptionKey, job.api_key_ciphertext);
      } catch (error) {
        logger.error({ err: error, messageId: job.id }, "send failed before reaching the provider");
        return { ok: false, retryable: false, reason: "internal error before the provider was called" };
      }
      const outcome = await providers.get(job.provider).sendText({ apiKey, to: job.to_number, text: job.body });
      if (outcome.ok) return { ok: true, providerMessageId: outcome.providerMessageId };
      return { ok: false, retryable: outcome.retryable, uncertain: outcome.mayHaveBeenSent === true, reason: outcome.reason };
    },

    async record(tenantId, finished) {
      await pool.query("SELECT app_record_send_outcomes($1, $2::jsonb)", [tenantId, JSON.stringify(finished.map(outcomeRow))]);
      messagesChanged(pool, tenantId);
      for (const { job, decision } of finished) {
        if (decision.kind === "done") options.onSent?.({ tenantId, messageId: job.id, provider: job.provider });
      }
    },

    async expire(tenantId, ids) {
      const { rows } = await pool.query<{ expired: number }>("SELECT app_expire_sends($1, $2::uuid[]) AS expired", [tenantId, ids]);
      const expired = rows[0]?.expired ?? 0;
      if (expired > 0) messagesChanged(pool, tenantId);
      if (expired > 0) logger.warn({ tenantId, expired }, "sends interrupted by a stopped dispatcher marked UNKNOWN");
    },
  };
}

/** One row of app_record_send_outcomes: the message's new status, error and history entry. */
function outcomeRow({ job, outcome, decision }: Finished<SendJob, SendAttempt>) {
  const row = { id: job.id, provider_message_id: outcome.ok ? (outcome.providerMessageId ?? null) : null, retry_in_ms: 0 };
  switch (decision.kind) {
    case "done":
      return { ...row, status: "SENT", error: null, detail: null };
    case "retry":
      return {
        ...row,
        status: "QUEUED",
        error: null,
        retry_in_ms: decision.delayMs,
        detail: `attempt ${job.attempts} failed (${decision.reason}); retrying in ${Math.round(decision.delayMs / 1000)} s`,
      };
    case "uncertain":
      return {
        ...row,
        status: "UNKNOWN",
        error: `${decision.reason}: it may or may not have sent the message. Check with the recipient before resending.`,
        detail: `attempt ${job.attempts} failed: ${decision.reason}`,
      };
    case "failed":
      return { ...row, status: "FAILED", error: decision.reason, detail: `attempt ${job.attempts} failed: ${decision.reason}` };
  }
}
