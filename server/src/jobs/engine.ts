import type { Logger } from "../logger.ts";
import type { Clock, Timer } from "./clock.ts";
import { createGroupCommit } from "./group-commit.ts";

/** A unit of pacing and fairness within a queue: a WhatsApp connection for sends. */
export type JobKey = { queue: string; tenantId: string; paceKey: string };

export type ClaimedJob = { id: string; attempts: number };

/** What a claim leased, and what it says about the key's remaining work. */
export type Claim<Job extends ClaimedJob> = {
  jobs: Job[];
  /** How long until the key's pace allows another job (0: now). */
  paceWaitMs: number;
  /** The key had fewer due jobs than the claim could take: nothing more is due now. */
  drained: boolean;
};

/** How an attempt went, as the consumer saw it. */
export type Attempt =
  | { ok: true }
  | {
      ok: false;
      reason: string;
      /** Worth another attempt later (a timeout before sending, a 5xx). */
      retryable: boolean;
      /** The work may have happened although it failed (a send that timed out): never retried. */
      uncertain?: boolean;
      /** When the other side said when to come back (Retry-After): used instead of the backoff. */
      retryAfterMs?: number;
    };

/** What the engine decided from an attempt: the consumer records it. */
export type Decision =
  { kind: "done" } | { kind: "retry"; delayMs: number; reason: string } | { kind: "failed"; reason: string } | { kind: "uncertain"; reason: string };

export type Finished<Job, Outcome> = { job: Job; outcome: Outcome; decision: Decision };

/**
 * A queue's consumer: the engine decides when, how much and how often; the consumer does the work
 * and owns the SQL that ties a job to its subject (a message), all under the tenant's RLS.
 */
export type Consumer<Job extends ClaimedJob, Outcome extends Attempt = Attempt> = {
  queue: string;
  /** Leases up to `limit` due jobs of the key (as its pace allows), durably, before any work. */
  claim(key: JobKey, limit: number, leaseMs: number): Promise<Claim<Job>>;
  /** Does the work; a throw counts as a final failure. */
  perform(key: JobKey, job: Job): Promise<Outcome>;
  /** Records outcomes (group-committed per tenant, one call per statement) and ends or reschedules their jobs. */
  record(tenantId: string, finished: Finished<Job, Outcome>[]): Promise<void>;
  /** Jobs whose lease ran out (their worker stopped): the consumer decides what that means, and logs it. */
  expire(tenantId: string, ids: string[]): Promise<void>;
  maxAttempts: number;
  retryDelayMs(attempt: number): number;
  /** Jobs of one key in hand at once; unlimited if unset. */
  maxInFlightPerKey?: number;
  /**
   * Jobs of one key done one after another, in the order claimed (webhook deliveries of an endpoint):
   * up to `claimAhead` are claimed at once and worked in sequence, taking one slot. A job that could
   * not finish before the claim's lease runs out (an attempt takes up to `attemptMs`), or that the
   * engine stopping leaves undone, is handed back with `release`: due again, its attempt not counted.
   */
  inOrder?: { claimAhead: number; attemptMs: number; release(tenantId: string, ids: string[]): Promise<void> };
};

/** The engine's cross-tenant questions (SECURITY DEFINER functions returning ids only). */
export type JobDirectory = {
  /** Keys with work due within `horizonMs`, and how long until their earliest is due. */
  dueKeys(limit: number, horizonMs: number): Promise<(JobKey & { dueInMs: number })[]>;
  /** Jobs whose lease has run out. */
  expiredLeases(limit: number): Promise<{ queue: string; tenantId: string; id: string }[]>;
};

// A consumer's job type is its own business: the engine only hands its jobs back to it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyConsumer = Consumer<any, any>;

export type WorkEngineOptions = {
  directory: JobDirectory;
  consumers: AnyConsumer[];
  clock: Clock;
  logger: Logger;
  /** Jobs being worked on at once, over all queues. */
  concurrency: number;
  /** How long a claimed job belongs to this engine. */
  leaseMs: number;
  /** How often to look for work this process was not told about (other processes, retries). */
  pollMs?: number;
  /** How often to look for expired leases. */
  sweepMs?: number;
  /** The most jobs one claim takes. */
  maxClaim?: number;
};

type KeyState = {
  key: JobKey;
  /** When work may be due (from a poll, a wake-up or a retry): a hint, corrected by claims. */
  dueAt: number;
  /** Until when the key's pace allows nothing: known from its last claim, authoritative. */
  pacedUntil: number;
  claiming: boolean;
  /** Told about new work while a claim was running: look again even if the claim drained. */
  woken: boolean;
  /** The earliest retry this engine scheduled for the key and has not claimed yet: a claim that drains keeps the key for it. */
  retryAt: number | undefined;
};

const ERROR_BACKOFF_MIN_MS = 250;
/** Claims running at once (each holds a connection of the engine's pool while it runs). */
const MAX_CLAIMS_AT_ONCE = 2;
const ERROR_BACKOFF_MAX_MS = 5_000;

/** A key as one string, for maps and sets of keys. */
export const jobKeyId = (key: JobKey) => `${key.queue}\u0000${key.tenantId}\u0000${key.paceKey}`;

/**
 * The durable work engine. Work lives in the `jobs` table; this loop claims it per key (a queue's
 * pacing unit) with FOR UPDATE SKIP LOCKED, so several processes can share it, and keeps at most
 * `concurrency` jobs in hand. It knows each key's state: a key waiting for its pace costs nothing
 * (no claims, no queries, wake-ups ignored) until its time comes; a key that ran dry is forgotten
 * until a wake-up or a poll names it again. Outcomes are group-committed per tenant; a job's slot is
 * freed once its outcome is committed. Leases that run out are handed to the queue's consumer. When
 * the database is away the loop backs off (250 ms doubling to 5 s), logs the outage once, and
 * resumes by itself.
 */
export function createWorkEngine(options: WorkEngineOptions) {
  const { directory, clock, logger, concurrency, leaseMs } = options;
  const pollMs = options.pollMs ?? 1_000;
  const sweepMs = options.sweepMs ?? 5_000;
  const maxClaim = Math.min(options.maxClaim ?? 64, concurrency);
  /** Claim in batches: each claim is a statement and a commit, so wait until this many slots are free. */
  const claimBatch = Math.max(1, Math.floor(concurrency / 4));
  const consumers = new Map(options.consumers.map((consumer) => [consumer.queue, consumer]));

  const keys = new Map<string, KeyState>();
  const tasks = new Set<Promise<void>>();
  let inFlight = 0;
  const inFlightByKey = new Map<string, number>();
  let reserved = 0;
  const claims = new Set<Promise<void>>();
  let running = false;
  let pumping: Promise<void> | undefined;
  let pumpAgain = false;
  let pumpSoon = false;
  let timer: { at: number; handle: Timer } | undefined;
  let nextPollAt = 0;
  let nextSweepAt = 0;
  let blockedUntil = 0;
  let errorBackoffMs = 0;
  let outageSince: number | undefined;

  const recorder = createGroupCommit<{ queue: string; tenantId: string; finished: Finished<ClaimedJob, Attempt> }>(async (_group, rows) => {
    const { queue, tenantId } = rows[0]!;
    await consumers.get(queue)!.record(
      tenantId,
      rows.map((row) => row.finished),
    );
    return [];
  });

  function decide(consumer: Consumer<ClaimedJob>, job: ClaimedJob, attempt: Attempt): Decision {
    if (attempt.ok) return { kind: "done" };
    if (attempt.uncertain) return { kind: "uncertain", reason: attempt.reason };
    if (attempt.retryable && job.attempts < consumer.maxAttempts) {
      return { kind: "retry", delayMs: attempt.retryAfterMs ?? consumer.retryDelayMs(job.attempts), reason: attempt.reason };
    }
    return { kind: "failed", reason: attempt.reason };
  }

  /**
   * Notes that `key` may have work at `at` (keeps an earlier time it already had); a time still to
   * come is also kept as a retry, which outlives claims that find nothing due before it. Other
   * queues' keys are another engine's.
   */
  function expect(key: JobKey, at: number, { retry = false } = {}) {
    if (!consumers.has(key.queue)) return;
    const id = jobKeyId(key);
    let state = keys.get(id);
    if (!state) {
      state = { key, dueAt: at, pacedUntil: 0, claiming: false, woken: false, retryAt: undefined };
      keys.set(id, state);
    } else {
      if (state.claiming) state.woken = true;
      state.dueAt = Math.min(state.dueAt, at);
    }
    if (retry) state.retryAt = Math.min(state.retryAt ?? Number.POSITIVE_INFINITY, at);
  }

  /**
   * Records an outcome; while the database is away, tries again (backing off) as long as the job's
   * lease lasts and the engine runs: a send that happened is then recorded SENT rather than left to
   * the lease expiry, which can only say UNKNOWN.
   */
  async function recordOutcome(key: JobKey, finished: Finished<ClaimedJob, Attempt>, leaseEndsAt: number) {
    for (let delayMs = ERROR_BACKOFF_MIN_MS; ; delayMs = Math.min(delayMs * 2, ERROR_BACKOFF_MAX_MS)) {
      try {
        await recorder.submit(`${key.queue}\u0000${key.tenantId}`, { queue: key.queue, tenantId: key.tenantId, finished });
        return;
      } catch (error) {
        if (!running || clock.now() + delayMs >= leaseEndsAt) throw error;
        await new Promise<void>((resolve) => clock.after(delayMs, resolve));
      }
    }
  }

  /** Performs a job and records its outcome (the record is awaited by the caller). */
  async function work(consumer: Consumer<ClaimedJob>, key: JobKey, job: ClaimedJob, leaseEndsAt: number): Promise<() => Promise<void>> {
    let outcome: Attempt;
    try {
      outcome = await consumer.perform(key, job);
    } catch (error) {
      logger.error({ err: error, queue: key.queue, jobId: job.id }, "job failed before its work started");
      outcome = { ok: false, retryable: false, reason: "internal error before the work started" };
    }
    const decision = decide(consumer, job, outcome);
    const recorded = recordOutcome(key, { job, outcome, decision }, leaseEndsAt).then(() => {
      if (decision.kind === "retry") expect(key, clock.now() + decision.delayMs, { retry: true });
    });
    // Settled by whoever awaits it; until then a failure must not count as unhandled.
    recorded.catch(() => undefined);
    return () => recorded;
  }

  /** The jobs claimed together: one, or an in-order consumer's sequence. */
  function launch(consumer: Consumer<ClaimedJob>, key: JobKey, jobs: ClaimedJob[]) {
    inFlight++;
    const keyId = jobKeyId(key);
    inFlightByKey.set(keyId, (inFlightByKey.get(keyId) ?? 0) + 1);
    // The lease began before the claim answered: keep a margin for the claim's own time.
    const leaseEndsAt = clock.now() + leaseMs * 0.9;
    const task = (async () => {
      const records: (() => Promise<void>)[] = [];
      try {
        for (const [index, job] of jobs.entries()) {
          const { inOrder } = consumer;
          if (inOrder && (!running || clock.now() + inOrder.attemptMs > leaseEndsAt)) {
            await inOrder.release(
              key.tenantId,
              jobs.slice(index).map((left) => left.id),
            );
            expect(key, clock.now());
            break;
          }
          // The next job starts once this one is done, not once its outcome is committed: those commit together.
          records.push(await work(consumer, key, job, leaseEndsAt));
        }
      } finally {
        for (const recorded of records) await recorded();
      }
    })()
      .catch((error: unknown) => {
        // Recording failed (database away): the lease expiry hands the job to its consumer.
        logger.error({ err: error, queue: key.queue, jobIds: jobs.map((job) => job.id) }, "could not record a job's outcome");
      })
      .finally(() => {
        inFlight--;
        const left = (inFlightByKey.get(keyId) ?? 1) - 1;
        if (left > 0) inFlightByKey.set(keyId, left);
        else inFlightByKey.delete(keyId);
        tasks.delete(task);
        if (running) requestPump();
      });
    tasks.add(task);
  }

  /** How many more jobs of the key may be taken now (its consumer's per-key limit, less those in hand). */
  function roomFor(state: KeyState): number {
    const consumer = consumers.get(state.key.queue);
    const inHand = inFlightByKey.get(jobKeyId(state.key)) ?? 0;
    if (consumer?.inOrder) return inHand > 0 ? 0 : consumer.inOrder.claimAhead;
    const limit = consumer?.maxInFlightPerKey;
    return limit === undefined ? Number.POSITIVE_INFINITY : limit - inHand;
  }

  /** The keys to claim for now: due, not paced, not already claiming, with room; the longest-waiting first. */
  function dueKeys(now: number): KeyState[] {
    const due: KeyState[] = [];
    for (const state of keys.values()) {
      if (!state.claiming && Math.max(state.dueAt, state.pacedUntil) <= now && roomFor(state) > 0) due.push(state);
    }
    return due.sort((a, b) => a.dueAt - b.dueAt);
  }

  async function claimFor(state: KeyState, limit: number) {
    const consumer = consumers.get(state.key.queue);
    if (!consumer) {
      keys.delete(jobKeyId(state.key));
      return;
    }
    state.claiming = true;
    state.woken = false;
    let claim: Claim<ClaimedJob>;
    try {
      claim = await consumer.claim(state.key, limit, leaseMs);
    } finally {
      state.claiming = false;
    }
    const now = clock.now();
    if (consumer.inOrder) {
      if (claim.jobs.length > 0) launch(consumer, state.key, claim.jobs);
    } else {
      for (const job of claim.jobs) launch(consumer, state.key, [job]);
    }
    if (claim.jobs.length >= limit) {
      // Took all it could: more may be due. Behind the other due keys, for fairness.
      state.dueAt = now;
      keys.delete(jobKeyId(state.key));
      keys.set(jobKeyId(state.key), state);
    } else if (!claim.drained) {
      state.pacedUntil = now + claim.paceWaitMs;
      state.dueAt = now;
    } else if (state.woken) {
      state.dueAt = now;
    } else if (state.retryAt !== undefined && state.retryAt > now) {
      state.dueAt = state.retryAt;
    } else {
      keys.delete(jobKeyId(state.key));
    }
    // A claim made at or after the retry's time has looked for it.
    if (state.retryAt !== undefined && state.retryAt <= now) state.retryAt = undefined;
  }

  // Each moves its next time only once it succeeded: after an outage it is the first thing retried.
  async function poll(now: number) {
    for (const due of await directory.dueKeys(1_000, pollMs)) expect(due, now + due.dueInMs);
    nextPollAt = now + pollMs;
  }

  async function sweep(now: number) {
    const expired = await directory.expiredLeases(500);
    const byGroup = new Map<string, { queue: string; tenantId: string; ids: string[] }>();
    for (const { queue, tenantId, id } of expired) {
      if (!consumers.has(queue)) continue;
      const group = `${queue}\u0000${tenantId}`;
      if (!byGroup.has(group)) byGroup.set(group, { queue, tenantId, ids: [] });
      byGroup.get(group)!.ids.push(id);
    }
    for (const { queue, tenantId, ids } of byGroup.values()) {
      const consumer = consumers.get(queue);
      if (!consumer) continue;
      await consumer.expire(tenantId, ids);
    }
    nextSweepAt = now + sweepMs;
  }

  /** Slots free for new claims: not in hand, and not promised to a claim still running. */
  const freeSlots = () => concurrency - inFlight - reserved;

  /**
   * Starts claims for due keys, several at once (each on its own connection), each sized to the
   * slots free when it starts; a finishing claim or job pumps again.
   */
  async function pumpOnce() {
    while (running) {
      const now = clock.now();
      if (now < blockedUntil) break;
      if (now >= nextSweepAt) await sweep(now);
      if (now >= nextPollAt) await poll(now);
      // Too few free slots for a batch: a finishing job pumps again once there are enough.
      if (freeSlots() < claimBatch || claims.size >= MAX_CLAIMS_AT_ONCE) break;
      const due = dueKeys(now);
      const state = due[0];
      if (!state) break;
      // Shared between the keys that can claim now, so one busy number does not take every slot.
      const share = Math.floor(freeSlots() / Math.min(due.length, MAX_CLAIMS_AT_ONCE - claims.size));
      const limit = Math.min(maxClaim, Math.max(claimBatch, share), roomFor(state));
      // An in-order key's claim, however many jobs it takes, fills one slot.
      const reserving = consumers.get(state.key.queue)?.inOrder ? 1 : limit;
      reserved += reserving;
      const claim: Promise<void> = claimFor(state, limit)
        .then(recovered, failed)
        .finally(() => {
          reserved -= reserving;
          claims.delete(claim);
          requestPump();
        });
      claims.add(claim);
    }
  }

  function recovered() {
    if (outageSince === undefined) return;
    logger.info({ downForMs: Math.round(clock.now() - outageSince) }, "work engine: database available again, resuming");
    outageSince = undefined;
    errorBackoffMs = 0;
  }

  function failed(error: unknown) {
    if (outageSince === undefined) {
      outageSince = clock.now();
      logger.error({ err: error }, "work engine: the database did not answer; backing off until it does");
    }
    // Claims that fail together back off once.
    if (clock.now() < blockedUntil) return;
    errorBackoffMs = Math.min(Math.max(errorBackoffMs * 2, ERROR_BACKOFF_MIN_MS), ERROR_BACKOFF_MAX_MS);
    blockedUntil = clock.now() + errorBackoffMs;
  }

  async function pump() {
    do {
      pumpAgain = false;
      try {
        await pumpOnce();
        if (claims.size === 0) recovered();
      } catch (error) {
        failed(error);
      }
    } while (pumpAgain && running);
    pumping = undefined;
    scheduleTimer();
  }

  function requestPump() {
    if (!running) return;
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = pump();
  }

  /** One timer, for the earliest moment something becomes due (a key, a poll, a sweep, the end of a backoff). */
  function scheduleTimer() {
    if (!running) return;
    let at = Math.min(nextPollAt, nextSweepAt);
    if (freeSlots() >= claimBatch && claims.size < MAX_CLAIMS_AT_ONCE) {
      for (const state of keys.values()) if (!state.claiming && roomFor(state) > 0) at = Math.min(at, Math.max(state.dueAt, state.pacedUntil));
    }
    at = Math.max(at, blockedUntil);
    if (timer && timer.at <= at) return;
    timer?.handle.cancel();
    const fire = () => {
      timer = undefined;
      requestPump();
    };
    timer = { at, handle: clock.after(Math.max(0, at - clock.now()), fire) };
  }

  return {
    start() {
      if (running) return;
      running = true;
      nextPollAt = 0;
      nextSweepAt = 0;
      requestPump();
    },
    /**
     * New work for `key` (or, without a key, somewhere): claim soon. A key that waits for its pace
     * is not claimed early; a key unknown so far is claimed at once.
     */
    notify(key?: JobKey) {
      if (!running) return;
      if (key) expect(key, clock.now());
      else nextPollAt = 0;
      // The wake-ups of one turn are looked at together, so their keys share the free slots.
      if (pumpSoon) return;
      pumpSoon = true;
      setImmediate(() => {
        pumpSoon = false;
        requestPump();
      });
    },
    /** Stops claiming, waits for the jobs in hand to be recorded. */
    async stop() {
      running = false;
      timer?.handle.cancel();
      timer = undefined;
      await pumping;
      await Promise.allSettled([...claims]);
      await Promise.allSettled([...tasks]);
      await recorder.settled();
    },
    get inFlight() {
      return inFlight;
    },
  };
}

export type WorkEngine = ReturnType<typeof createWorkEngine>;
