import type { Database } from "../../db/database.ts";
import type { WhatsAppProvider as ProviderKind } from "../../generated/prisma/enums.ts";
import type { Logger } from "../../logger.ts";
import type { Providers } from "../../providers/providers.ts";
import type { SendOutcome } from "../../providers/whatsapp-provider.ts";
import { decryptSecret, type ServerKeys } from "../../security/secrets.ts";
import { createOutcomeRecorder } from "./outcome-recorder.ts";
import { createSendPacer } from "./send-pacer.ts";

export type DispatcherOptions = {
  db: Database;
  providers: Providers;
  keys: ServerKeys;
  logger: Logger;
  concurrency: number;
  leaseMs: number;
  retryBaseMs: number;
  maxAttempts: number;
  /** Called after a message is recorded SENT (the sandbox uses it to fake delivery receipts). */
  onSent?: (sent: { tenantId: string; messageId: string; provider: ProviderKind }) => void;
};

type Claimed = {
  id: string;
  to_number: string;
  body: string;
  attempts: number;
  provider: ProviderKind;
  api_key_ciphertext: string;
  connection_status: string;
  send_rate_per_second: number;
};

const IDLE_POLL_MS = 250;
/** How long the list of busy connections is reused before asking the database again. */
const BUSY_LIST_MS = 200;
/** A burst of accepted messages wakes the loop once, a moment later, so it claims them in a batch. */
const NOTIFY_DEBOUNCE_MS = 10;
const LEASE_SWEEP_MS = 5_000;
const RETRY_CAP_MS = 30 * 60_000;

/**
 * Sends QUEUED messages. Each message row is its own outbox entry: the dispatcher claims due rows
 * per connection (FOR UPDATE SKIP LOCKED, so several processes can share the work), marks them
 * SENDING with a lease *before* calling the provider, and records the outcome after. A process
 * that dies mid-call leaves SENDING rows whose lease runs out; they become UNKNOWN, never resent
 * blindly. At most `concurrency` messages are SENDING per process at any moment.
 */
export function createDispatcher(options: DispatcherOptions) {
  const { db, providers, keys, logger, concurrency } = options;
  /** Claim in batches: each claim is a statement and a commit, so wait until this many slots are free. */
  const claimBatch = Math.max(1, Math.floor(concurrency / 4));
  const pacer = createSendPacer();
  const recorder = createOutcomeRecorder(db.backgroundPool);
  let running = false;
  let inFlight = 0;
  const batchOfSlotsFree = () => concurrency - inFlight >= claimBatch;
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  let lastSweep = 0;
  let busy: { tenantId: string; connectionId: string }[] = [];
  let busyAt = 0;
  let notifyPending = false;
  const sends = new Set<Promise<void>>();

  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      wake = undefined;
    });

  async function claim(tenantId: string, connectionId: string, limit: number): Promise<Claimed[]> {
    const { rows } = await db.backgroundPool.query<Claimed>("SELECT * FROM app_claim_messages($1, $2, $3, $4)", [tenantId, connectionId, limit, options.leaseMs]);
    return rows;
  }

  async function record(tenantId: string, message: Claimed, outcome: SendOutcome): Promise<"SENT" | "QUEUED" | "FAILED" | "UNKNOWN"> {
    const uncertain = !outcome.ok && outcome.mayHaveBeenSent === true;
    const retry = !outcome.ok && !uncertain && outcome.retryable && message.attempts < options.maxAttempts;
    const status = outcome.ok ? "SENT" : uncertain ? "UNKNOWN" : retry ? "QUEUED" : "FAILED";
    const delayMs = retry ? retryDelay(message.attempts) : 0;
    const reason = outcome.ok
      ? null
      : uncertain
        ? `${outcome.reason}: it may or may not have sent the message. Check with the recipient before resending.`
        : outcome.reason;
    const detail = outcome.ok
      ? null
      : retry
        ? `attempt ${message.attempts} failed (${outcome.reason}); retrying in ${Math.round(delayMs / 1000)} s`
        : `attempt ${message.attempts} failed: ${outcome.reason}`;
    await recorder.record(tenantId, {
      id: message.id,
      status,
      provider_message_id: outcome.ok ? outcome.providerMessageId : null,
      error: retry ? null : reason,
      retry_in_ms: delayMs,
      detail,
    });
    return status;
  }

  /** Exponential backoff with jitter: base, 4x base, 16x base ... capped at 30 minutes. */
  function retryDelay(attempt: number): number {
    const exponential = Math.min(options.retryBaseMs * 4 ** (attempt - 1), RETRY_CAP_MS);
    return Math.round(exponential * (0.75 + Math.random() * 0.5));
  }

  async function send(tenantId: string, message: Claimed): Promise<void> {
    let outcome: SendOutcome;
    if (message.connection_status !== "CONNECTED") {
      outcome = { ok: false, retryable: false, reason: "the WhatsApp number was disconnected before this message was sent" };
    } else {
      try {
        const apiKey = decryptSecret(keys.encryptionKey, message.api_key_ciphertext);
        outcome = await providers.get(message.provider).sendText({ apiKey, to: message.to_number, text: message.body });
      } catch (error) {
        // The provider clients classify their own failures; anything thrown here happened before
        // the request went out (e.g. an undecryptable key), so it is final, not "unknown".
        logger.error({ err: error, messageId: message.id }, "send failed before reaching the provider");
        outcome = { ok: false, retryable: false, reason: "internal error before the provider was called" };
      }
    }
    const status = await record(tenantId, message, outcome);
    if (status === "SENT") options.onSent?.({ tenantId, messageId: message.id, provider: message.provider });
  }

  function launch(tenantId: string, message: Claimed) {
    inFlight++;
    const task = send(tenantId, message)
      .catch((error) => {
        // Recording failed (database down): the lease expiry turns it UNKNOWN, never a resend.
        logger.error({ err: error, messageId: message.id }, "could not record a send outcome");
      })
      .finally(() => {
        inFlight--;
        sends.delete(task);
        if (batchOfSlotsFree()) wake?.();
      });
    sends.add(task);
  }

  async function tick(): Promise<number> {
    if (Date.now() - lastSweep > LEASE_SWEEP_MS) {
      lastSweep = Date.now();
      const expired = await db.dispatch.expireLeases();
      if (expired) logger.warn({ expired }, "sends interrupted by a stopped dispatcher marked UNKNOWN");
    }
    // A wake-up (a new message) while sends are in flight waits for a batch's worth of free slots
    // too, as the loop does, rather than claiming the one or two slots free at that moment.
    if (!batchOfSlotsFree()) return IDLE_POLL_MS;
    let free = concurrency - inFlight;
    if (busy.length === 0 || Date.now() - busyAt > BUSY_LIST_MS) {
      busy = await db.dispatch.dueConnections(200);
      busyAt = Date.now();
    }
    let soonest = IDLE_POLL_MS;
    let claimedAny = false;
    for (const { tenantId, connectionId } of busy) {
      if (!running || free <= 0) break;
      const allowance = pacer.allowance(connectionId);
      if (allowance.count === 0) {
        soonest = Math.min(soonest, allowance.waitMs);
        continue;
      }
      const wanted = Math.min(free, allowance.count);
      const claimed = await claim(tenantId, connectionId, wanted);
      // Fewer than asked: this connection has nothing more due; look again at the next refresh.
      if (claimed.length < wanted) busy = busy.filter((entry) => entry.connectionId !== connectionId);
      for (const message of claimed) {
        pacer.take(connectionId, message.send_rate_per_second);
        launch(tenantId, message);
      }
      free -= claimed.length;
      claimedAny ||= claimed.length > 0;
    }
    return claimedAny ? 0 : soonest;
  }

  async function run() {
    while (running) {
      let waitMs: number;
      try {
        waitMs = await tick();
      } catch (error) {
        logger.error({ err: error }, "dispatcher tick failed");
        waitMs = 1_000;
      }
      if (!running) break;
      // Too few free slots for a batch: a finishing send wakes the loop once there are enough.
      if (!batchOfSlotsFree()) await nap(IDLE_POLL_MS);
      else if (waitMs > 0) await nap(waitMs);
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    /** Something was queued: look soon rather than at the next poll. */
    notify() {
      if (notifyPending) return;
      notifyPending = true;
      setTimeout(() => {
        notifyPending = false;
        wake?.();
      }, NOTIFY_DEBOUNCE_MS).unref();
    },
    /** Stops claiming and waits for the sends in flight to be recorded. */
    async stop() {
      running = false;
      wake?.();
      await loop;
      await Promise.allSettled([...sends]);
    },
    get inFlight() {
      return inFlight;
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
