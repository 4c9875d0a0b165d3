import { describe, expect, it } from "vitest";
import { exponentialBackoff } from "../../src/jobs/backoff.ts";
import type { Clock } from "../../src/jobs/clock.ts";
import {
  createWorkEngine,
  type Attempt,
  type Claim,
  type ClaimedJob,
  type Consumer,
  type Finished,
  type JobDirectory,
  type JobKey,
} from "../../src/jobs/engine.ts";
import { createLogger } from "../../src/logger.ts";

/**
 * The work engine on its own, with time driven by the test: a manual clock, a job directory and a
 * consumer that record what the engine asks of them. The engine on PostgreSQL (claims, pacing,
 * leases, crashes) is tested through the send path in test/messaging/.
 */

/** A clock that moves only when told; `advance` runs the timers that fall due, in order. */
function manualClock() {
  let now = 0;
  let timers: { at: number; work: () => void; cancelled: boolean }[] = [];
  const clock: Clock = {
    now: () => now,
    after(ms, work) {
      const timer = { at: now + ms, work, cancelled: false };
      timers.push(timer);
      return { cancel: () => (timer.cancelled = true) };
    },
  };
  return {
    clock,
    async advance(ms: number) {
      const end = now + ms;
      for (;;) {
        await settle();
        timers = timers.filter((timer) => !timer.cancelled);
        const next = timers.filter((timer) => timer.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!next) break;
        timers.splice(timers.indexOf(next), 1);
        now = Math.max(now, next.at);
        next.work();
      }
      now = end;
      await settle();
    },
  };
}

/** Lets promise chains and the group commit's setImmediate run to rest. */
async function settle() {
  for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
}

const KEY: JobKey = { queue: "test", tenantId: "tenant-1", paceKey: "number-1" };
type TestJob = ClaimedJob & { name: string };

/** A promise the test settles. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

type ClaimPlan = (limit: number) => Claim<TestJob> | Promise<Claim<TestJob>>;

function testWorld({
  concurrency = 8,
  pollMs = 1_000,
  sweepMs = 5_000,
  maxInFlightPerKey = undefined as number | undefined,
  inOrder = undefined as { claimAhead: number; attemptMs: number } | undefined,
} = {}) {
  const time = manualClock();
  const claims: { at: number; key: JobKey; limit: number }[] = [];
  const polls: number[] = [];
  const recorded: (Finished<TestJob, Attempt> & { at: number })[] = [];
  const expired: { tenantId: string; ids: string[] }[] = [];
  const plans: ClaimPlan[] = [];
  let performWith: (job: TestJob) => Promise<Attempt> = async () => ({ ok: true });
  let dueKeys: JobDirectory["dueKeys"] = async () => [];
  let expiredLeases: JobDirectory["expiredLeases"] = async () => [];
  let serial = 0;
  let recordFails = 0;
  const released: { at: number; ids: string[] }[] = [];

  const consumer: Consumer<TestJob> = {
    queue: "test",
    maxAttempts: 3,
    retryDelayMs: (attempt) => 100 * 4 ** (attempt - 1),
    maxInFlightPerKey,
    ...(inOrder ? { inOrder: { ...inOrder, release: async (_tenantId: string, ids: string[]) => void released.push({ at: time.clock.now(), ids }) } } : {}),
    async claim(key, limit) {
      claims.push({ at: time.clock.now(), key, limit });
      const plan = plans.shift();
      return plan ? plan(limit) : { jobs: [], paceWaitMs: 0, drained: true };
    },
    perform: (_key, job) => performWith(job),
    async record(_tenantId, finished) {
      if (recordFails > 0) {
        recordFails--;
        throw new Error("Connection terminated unexpectedly");
      }
      recorded.push(...finished.map((entry) => ({ ...entry, at: time.clock.now() })));
    },
    async expire(tenantId, ids) {
      expired.push({ tenantId, ids });
    },
  };
  const logs: { level: string; msg: string }[] = [];
  const logger = createLogger("info", {
    write: (line: string) => {
      const entry = JSON.parse(line) as { level: number; msg: string };
      logs.push({ level: entry.level >= 50 ? "error" : entry.level >= 40 ? "warn" : "info", msg: entry.msg });
    },
  });
  const engine = createWorkEngine({
    directory: {
      dueKeys: (limit, horizon) => {
        polls.push(time.clock.now());
        return dueKeys(limit, horizon);
      },
      expiredLeases: (limit) => expiredLeases(limit),
    },
    consumers: [consumer],
    clock: time.clock,
    logger,
    concurrency,
    leaseMs: 60_000,
    pollMs,
    sweepMs,
  });
  const jobs = (count: number, attempts = 1): TestJob[] => Array.from({ length: count }, () => ({ id: `job-${++serial}`, name: `job ${serial}`, attempts }));
  return {
    time,
    engine,
    claims,
    polls,
    recorded,
    expired,
    released,
    logs,
    jobs,
    /** What the next claims return, in order (then: nothing due). */
    plan: (...next: ClaimPlan[]) => plans.push(...next),
    performWith: (perform: typeof performWith) => (performWith = perform),
    dueKeysWith: (answer: JobDirectory["dueKeys"]) => (dueKeys = answer),
    expiredWith: (answer: JobDirectory["expiredLeases"]) => (expiredLeases = answer),
    /** The next `count` attempts to record fail as if the database were away. */
    failRecords: (count: number) => (recordFails = count),
  };
}

describe("work engine", () => {
  it("claims for a key it is told about, performs the jobs and records each outcome", async () => {
    const world = testWorld();
    world.engine.start();
    await world.time.advance(0);
    const [a, b] = world.jobs(2);
    world.plan(() => ({ jobs: [a!, b!], paceWaitMs: 0, drained: true }));
    world.engine.notify(KEY);
    await world.time.advance(0);
    expect(world.claims).toEqual([{ at: 0, key: KEY, limit: 8 }]);
    expect(world.recorded.map((entry) => [entry.job.id, entry.decision.kind])).toEqual([
      [a!.id, "done"],
      [b!.id, "done"],
    ]);
    await world.engine.stop();
  });

  it("does not claim, query or wake for a key that waits for its pace, however often it is told", async () => {
    const world = testWorld({ pollMs: 10_000 });
    world.engine.start();
    await world.time.advance(0);
    const pollsAtStart = world.polls.length;
    // The pace allows one job now and the next in 500 ms.
    world.plan(() => ({ jobs: world.jobs(1), paceWaitMs: 500, drained: false }));
    world.engine.notify(KEY);
    await world.time.advance(0);
    expect(world.claims).toHaveLength(1);

    // A thousand messages accepted meanwhile for the same number: no claim, no query.
    for (let i = 0; i < 1_000; i++) world.engine.notify(KEY);
    await world.time.advance(499);
    expect(world.claims).toHaveLength(1);
    expect(world.polls).toHaveLength(pollsAtStart);

    // Its time comes: one claim.
    world.plan(() => ({ jobs: world.jobs(1), paceWaitMs: 500, drained: false }));
    await world.time.advance(1);
    expect(world.claims.map((claim) => claim.at)).toEqual([0, 500]);
    await world.engine.stop();
  });

  it("claims in batches: with its slots busy it waits until a quarter of them are free", async () => {
    const world = testWorld({ concurrency: 8 });
    const held = new Map<string, ReturnType<typeof deferred<Attempt>>>();
    world.performWith((job) => {
      const outcome = deferred<Attempt>();
      held.set(job.id, outcome);
      return outcome.promise;
    });
    world.engine.start();
    const first = world.jobs(8);
    world.plan(() => ({ jobs: first, paceWaitMs: 0, drained: false }));
    world.engine.notify(KEY);
    await world.time.advance(0);
    expect(world.claims.map((claim) => claim.limit)).toEqual([8]);

    // One job finishes: one slot is free, fewer than a batch (2): no claim yet.
    held.get(first[0]!.id)!.resolve({ ok: true });
    await world.time.advance(10);
    expect(world.claims).toHaveLength(1);
    // A second one finishes: a batch of two slots, one claim for two.
    world.plan((limit) => ({ jobs: world.jobs(limit), paceWaitMs: 0, drained: true }));
    held.get(first[1]!.id)!.resolve({ ok: true });
    await world.time.advance(10);
    expect(world.claims.map((claim) => claim.limit)).toEqual([8, 2]);
    for (const outcome of held.values()) outcome.resolve({ ok: true });
    await world.engine.stop();
  });

  it("retries a retryable failure after the consumer's backoff, and gives up after the last attempt", async () => {
    const world = testWorld();
    world.performWith(async () => ({ ok: false, retryable: true, reason: "503 from the provider" }));
    world.engine.start();
    const [job] = world.jobs(1, 1);
    world.plan(() => ({ jobs: [job!], paceWaitMs: 0, drained: true }));
    world.engine.notify(KEY);
    await world.time.advance(0);
    expect(world.recorded.map((entry) => entry.decision)).toEqual([{ kind: "retry", delayMs: 100, reason: "503 from the provider" }]);

    // The engine comes back for the key when the retry is due, without being told.
    world.plan(() => ({ jobs: [{ ...job!, attempts: 2 }], paceWaitMs: 0, drained: true }));
    await world.time.advance(99);
    expect(world.claims).toHaveLength(1);
    await world.time.advance(1);
    expect(world.claims.map((claim) => claim.at)).toEqual([0, 100]);
    expect(world.recorded[1]!.decision).toEqual({ kind: "retry", delayMs: 400, reason: "503 from the provider" });

    world.plan(() => ({ jobs: [{ ...job!, attempts: 3 }], paceWaitMs: 0, drained: true }));
    await world.time.advance(400);
    expect(world.recorded[2]!.decision).toEqual({ kind: "failed", reason: "503 from the provider" });
    await world.engine.stop();
  });

  it("never retries an attempt that may have done the work, nor a final failure", async () => {
    const world = testWorld();
    const outcomes: Attempt[] = [
      { ok: false, retryable: true, uncertain: true, reason: "no answer within 30 s" },
      { ok: false, retryable: false, reason: "invalid number" },
    ];
    world.performWith(async () => outcomes.shift()!);
    world.engine.start();
    world.plan(() => ({ jobs: world.jobs(2), paceWaitMs: 0, drained: true }));
    world.engine.notify(KEY);
    await world.time.advance(10_000);
    expect(world.recorded.map((entry) => entry.decision)).toEqual([
      { kind: "uncertain", reason: "no answer within 30 s" },
      { kind: "failed", reason: "invalid number" },
    ]);
    expect(world.claims).toHaveLength(1);
    await world.engine.stop();
  });

  it("counts a throwing consumer as a final failure and keeps going", async () => {
    const world = testWorld();
    world.performWith(async (job) => {
      if (job.name === "job 1") throw new Error("undecryptable key");
      return { ok: true };
    });
    world.engine.start();
    world.plan(() => ({ jobs: world.jobs(2), paceWaitMs: 0, drained: true }));
    world.engine.notify(KEY);
    await world.time.advance(0);
    expect(world.recorded.map((entry) => entry.decision.kind)).toEqual(["failed", "done"]);
    await world.engine.stop();
  });

  it("forgets a key that ran dry, but not when new work was announced while it was being claimed", async () => {
    const world = testWorld({ pollMs: 60_000 });
    world.engine.start();
    await world.time.advance(0);
    const answer = deferred<Claim<TestJob>>();
    world.plan(() => answer.promise);
    world.engine.notify(KEY);
    await world.time.advance(0);
    // Accepted while the claim runs (after its snapshot): the engine must look again.
    world.engine.notify(KEY);
    answer.resolve({ jobs: [], paceWaitMs: 0, drained: true });
    world.plan(() => ({ jobs: world.jobs(1), paceWaitMs: 0, drained: true }));
    await world.time.advance(0);
    expect(world.claims).toHaveLength(2);
    expect(world.recorded).toHaveLength(1);
    // Dry now, and nothing announced: no more claims, even much later (until a poll names it).
    await world.time.advance(30_000);
    expect(world.claims).toHaveLength(2);
    await world.engine.stop();
  });

  it("finds work other processes queued by polling, and claims when it is due", async () => {
    const world = testWorld({ pollMs: 1_000 });
    world.engine.start();
    await world.time.advance(0);
    world.dueKeysWith(async () => [{ ...KEY, dueInMs: 300 }]);
    world.plan(() => ({ jobs: world.jobs(1), paceWaitMs: 0, drained: true }));
    await world.time.advance(1_000);
    expect(world.claims).toHaveLength(0);
    world.dueKeysWith(async () => []);
    await world.time.advance(300);
    expect(world.claims.map((claim) => claim.at)).toEqual([1_300]);
    await world.engine.stop();
  });

  it("hands jobs whose lease ran out to their consumer, per tenant", async () => {
    const world = testWorld({ sweepMs: 5_000 });
    world.expiredWith(async () => [
      { queue: "test", tenantId: "t1", id: "a" },
      { queue: "test", tenantId: "t2", id: "b" },
      { queue: "test", tenantId: "t1", id: "c" },
    ]);
    world.engine.start();
    await world.time.advance(0);
    expect(world.expired).toEqual([
      { tenantId: "t1", ids: ["a", "c"] },
      { tenantId: "t2", ids: ["b"] },
    ]);
    world.expiredWith(async () => []);
    await world.time.advance(5_000);
    expect(world.expired).toHaveLength(2);
    await world.engine.stop();
  });

  it("backs off while the database is away, logs the outage once, and resumes by itself", async () => {
    const world = testWorld({ pollMs: 100_000, sweepMs: 100_000 });
    let down = true;
    world.dueKeysWith(async () => {
      if (down) throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
      return [{ ...KEY, dueInMs: 0 }];
    });
    world.engine.start();
    // The first poll fails at 0; then tries at 250, 750 (+500), 1750 (+1000), 3750 (+2000), 7750 (+4000), 12750 (+5000 cap).
    await world.time.advance(13_000);
    expect(world.polls).toEqual([0, 250, 750, 1_750, 3_750, 7_750, 12_750]);
    expect(world.logs.filter((entry) => entry.level === "error")).toHaveLength(1);

    down = false;
    world.plan(() => ({ jobs: world.jobs(1), paceWaitMs: 0, drained: true }));
    await world.time.advance(5_000);
    expect(world.polls.at(-1)).toBe(17_750);
    expect(world.claims.map((claim) => claim.at)).toEqual([17_750]);
    expect(world.recorded).toHaveLength(1);
    expect(world.logs.filter((entry) => /available again/.test(entry.msg))).toHaveLength(1);
    await world.engine.stop();
  });

  it("records an outcome once the database is back, rather than leaving the job to its lease", async () => {
    const world = testWorld();
    world.failRecords(3);
    world.engine.start();
    world.plan(() => ({ jobs: world.jobs(1), paceWaitMs: 0, drained: true }));
    world.engine.notify(KEY);
    // Fails at 0, then tries again after 250, 500 and 1,000 ms: the fourth attempt is recorded.
    await world.time.advance(1_000);
    expect(world.recorded).toHaveLength(0);
    await world.time.advance(750);
    expect(world.recorded.map((entry) => [entry.decision.kind, entry.at])).toEqual([["done", 1_750]]);
    await world.engine.stop();
  });

  it("gives up recording when the lease would have run out: the lease expiry decides then", async () => {
    const world = testWorld();
    world.failRecords(1_000);
    world.engine.start();
    world.plan(() => ({ jobs: world.jobs(1), paceWaitMs: 0, drained: true }));
    world.engine.notify(KEY);
    await world.time.advance(120_000);
    expect(world.recorded).toHaveLength(0);
    expect(world.engine.inFlight).toBe(0);
    expect(world.logs.filter((entry) => /could not record/.test(entry.msg))).toHaveLength(1);
    await world.engine.stop();
  });

  it("stop() waits for the jobs in hand to be recorded, and claims nothing after", async () => {
    const world = testWorld();
    const outcome = deferred<Attempt>();
    world.performWith(() => outcome.promise);
    world.engine.start();
    world.plan(() => ({ jobs: world.jobs(1), paceWaitMs: 0, drained: true }));
    world.engine.notify(KEY);
    await world.time.advance(0);
    let stopped = false;
    const stopping = world.engine.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    outcome.resolve({ ok: true });
    await stopping;
    expect(world.recorded).toHaveLength(1);
    world.engine.notify(KEY);
    await world.time.advance(10_000);
    expect(world.claims).toHaveLength(1);
  });
});

describe("exponential backoff", () => {
  it("grows 4x per attempt within ±25% jitter and stops growing at the cap", () => {
    const delay = exponentialBackoff(1_000, 30 * 60_000);
    expect([1, 2, 3].map((attempt) => delay(attempt, () => 0.5))).toEqual([1_000, 4_000, 16_000]);
    expect(delay(1, () => 0)).toBe(750);
    expect(delay(1, () => 0.999999)).toBe(1_250);
    expect(delay(20, () => 0.5)).toBe(30 * 60_000);
  });
});

describe("work engine with several busy keys", () => {
  it("claims for two keys at once, sharing the free slots between them, never more than are free", async () => {
    const world = testWorld({ concurrency: 8 });
    const held = [deferred<Claim<TestJob>>(), deferred<Claim<TestJob>>()];
    world.plan(
      () => held[0]!.promise,
      () => held[1]!.promise,
    );
    world.engine.start();
    await world.time.advance(0);
    const other: JobKey = { ...KEY, paceKey: "number-2" };
    world.engine.notify(KEY);
    world.engine.notify(other);
    await world.time.advance(0);
    // Both claims run at once, four slots each.
    expect(world.claims.map((claim) => [claim.key.paceKey, claim.limit])).toEqual([
      ["number-1", 4],
      ["number-2", 4],
    ]);
    held[0]!.resolve({ jobs: world.jobs(4), paceWaitMs: 0, drained: true });
    held[1]!.resolve({ jobs: world.jobs(4), paceWaitMs: 0, drained: true });
    await world.time.advance(0);
    expect(world.recorded).toHaveLength(8);
    await world.engine.stop();
  });
});

describe("work engine, jobs of a key in order", () => {
  it("claims a key's next jobs together and does them one after another, in order, in one slot", async () => {
    const world = testWorld({ concurrency: 8, inOrder: { claimAhead: 4, attemptMs: 1_000 } });
    const held = Array.from({ length: 4 }, () => deferred<Attempt>());
    const started: string[] = [];
    world.performWith((job) => {
      started.push(job.name);
      return held[started.length - 1]!.promise;
    });
    world.engine.start();
    const jobs = world.jobs(4);
    world.plan(() => ({ jobs, paceWaitMs: 0, drained: true }));
    world.engine.notify(KEY);
    await world.time.advance(0);
    expect(world.claims.map((claim) => claim.limit)).toEqual([4]);
    // The first only: the next starts when it is done.
    expect(started).toEqual([jobs[0]!.name]);
    expect(world.engine.inFlight).toBe(1);
    held[0]!.resolve({ ok: true });
    await world.time.advance(0);
    expect(started).toEqual([jobs[0]!.name, jobs[1]!.name]);
    // Named again while its sequence runs: no second claim for the key.
    world.engine.notify(KEY);
    await world.time.advance(0);
    expect(world.claims).toHaveLength(1);
    for (const attempt of held.slice(1)) {
      attempt.resolve({ ok: true });
      await world.time.advance(0);
    }
    expect(started).toEqual(jobs.map((job) => job.name));
    expect(world.recorded.map((entry) => entry.job.id)).toEqual(jobs.map((job) => job.id));
    expect(world.released).toEqual([]);
    await world.engine.stop();
  });

  it("hands back the jobs it could not start before the lease would end", async () => {
    // The lease is 60 s (54 s with the engine's margin); each attempt may take up to 20 s.
    const world = testWorld({ inOrder: { claimAhead: 4, attemptMs: 20_000 } });
    const held = Array.from({ length: 4 }, () => deferred<Attempt>());
    let performed = 0;
    world.performWith(() => held[performed++]!.promise);
    world.engine.start();
    const jobs = world.jobs(4);
    world.plan(() => ({ jobs, paceWaitMs: 0, drained: true }));
    world.engine.notify(KEY);
    await world.time.advance(0);
    await world.time.advance(19_000);
    held[0]!.resolve({ ok: false, retryable: true, reason: "timeout" });
    await world.time.advance(19_000);
    held[1]!.resolve({ ok: true });
    // At 38 s, a third attempt could last until 58 s, past the lease: the last two go back.
    await world.time.advance(0);
    expect(performed).toBe(2);
    expect(world.released).toEqual([{ at: 38_000, ids: [jobs[2]!.id, jobs[3]!.id] }]);
    expect(world.recorded.map((entry) => entry.decision.kind)).toEqual(["retry", "done"]);
    // And the key is claimed again at once for them.
    expect(world.claims.map((claim) => claim.at)).toEqual([0, 38_000]);
    await world.engine.stop();
  });

  it("hands back the rest of a sequence when it stops", async () => {
    const world = testWorld({ inOrder: { claimAhead: 3, attemptMs: 1_000 } });
    const first = deferred<Attempt>();
    world.performWith(() => first.promise);
    world.engine.start();
    const jobs = world.jobs(3);
    world.plan(() => ({ jobs, paceWaitMs: 0, drained: true }));
    world.engine.notify(KEY);
    await world.time.advance(0);
    const stopped = world.engine.stop();
    first.resolve({ ok: true });
    await stopped;
    expect(world.recorded.map((entry) => entry.job.id)).toEqual([jobs[0]!.id]);
    expect(world.released.map((entry) => entry.ids)).toEqual([[jobs[1]!.id, jobs[2]!.id]]);
  });
});

describe("work engine limits per key", () => {
  it("keeps at most maxInFlightPerKey jobs of a key in hand, claiming the next when one is recorded", async () => {
    const world = testWorld({ maxInFlightPerKey: 1 });
    const held = [deferred<Attempt>(), deferred<Attempt>()];
    let performed = 0;
    world.performWith(() => held[performed++]!.promise);
    world.engine.start();
    world.plan(
      (limit) => ({ jobs: world.jobs(limit), paceWaitMs: 0, drained: false }),
      (limit) => ({ jobs: world.jobs(limit), paceWaitMs: 0, drained: true }),
    );
    world.engine.notify(KEY);
    await world.time.advance(0);
    // One at a time, although eight slots are free: the claim asked for one.
    expect(world.claims.map((claim) => claim.limit)).toEqual([1]);
    // While it is in hand, however often the key is named, no second claim (and no busy timer loop).
    for (let i = 0; i < 10; i++) world.engine.notify(KEY);
    await world.time.advance(5_000);
    expect(world.claims).toHaveLength(1);
    held[0]!.resolve({ ok: true });
    await world.time.advance(0);
    expect(world.claims.map((claim) => claim.limit)).toEqual([1, 1]);
    held[1]!.resolve({ ok: true });
    await world.engine.stop();
  });

  it("comes back for a retry although a claim in between found nothing due yet", async () => {
    const world = testWorld({ maxInFlightPerKey: 1, pollMs: 60_000 });
    world.performWith(async (job) => (job.attempts === 1 ? { ok: false, retryable: true, reason: "503" } : { ok: true }));
    world.engine.start();
    await world.time.advance(0);
    const [job] = world.jobs(1, 1);
    world.plan(
      // The per-key limit took all it could: the engine looks again at once, before the retry is due.
      () => ({ jobs: [job!], paceWaitMs: 0, drained: false }),
      () => ({ jobs: [], paceWaitMs: 0, drained: true }),
      () => ({ jobs: [{ ...job!, attempts: 2 }], paceWaitMs: 0, drained: true }),
    );
    world.engine.notify(KEY);
    await world.time.advance(0);
    expect(world.claims.map((claim) => claim.at)).toEqual([0, 0]);
    await world.time.advance(100);
    // At 100 the retry is claimed (and then, its slot free again, the key is looked at once more).
    expect(world.claims.map((claim) => claim.at).slice(0, 3)).toEqual([0, 0, 100]);
    expect(world.recorded.map((entry) => entry.decision.kind)).toEqual(["retry", "done"]);
    await world.engine.stop();
  });

  it("retries after the delay the other side asked for (Retry-After) rather than its backoff", async () => {
    const world = testWorld();
    world.performWith(async () => ({ ok: false, retryable: true, reason: "503", retryAfterMs: 7_000 }));
    world.engine.start();
    world.plan(() => ({ jobs: world.jobs(1), paceWaitMs: 0, drained: true }));
    world.engine.notify(KEY);
    await world.time.advance(0);
    expect(world.recorded.map((entry) => entry.decision)).toEqual([{ kind: "retry", delayMs: 7_000, reason: "503" }]);
    await world.engine.stop();
  });

  it("leaves other queues' keys and expired leases to the engine that has their consumer", async () => {
    const world = testWorld({ pollMs: 1_000 });
    world.dueKeysWith(async () => [{ queue: "elsewhere", tenantId: "t1", paceKey: "k", dueInMs: 0 }]);
    world.expiredWith(async () => [{ queue: "elsewhere", tenantId: "t1", id: "x" }]);
    world.engine.start();
    world.engine.notify({ queue: "elsewhere", tenantId: "t1", paceKey: "k" });
    await world.time.advance(3_000);
    expect(world.claims).toEqual([]);
    expect(world.expired).toEqual([]);
    await world.engine.stop();
  });
});
