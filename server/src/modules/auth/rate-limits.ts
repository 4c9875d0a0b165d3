import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { isDatabaseUnavailable } from "../../db/availability.ts";
import { rateLimited, UnavailableError } from "../../errors.ts";

/** The table our migration creates for the counters (20261129120000_rate_limits); never created at run time. */
export const RATE_LIMITS_TABLE = "rate_limits";

/** The documented brakes (README, "Limits"). */
export const LOG_IN_LIMITS = {
  windowSeconds: 15 * 60,
  /** Failed log-ins for one account from one address before that pair is refused for the window. */
  failuresPerAccountAndAddress: 10,
  /** Failed log-ins from one address, whatever the account, before the address is refused. */
  failuresPerAddress: 100,
  /** From this many failures of a pair on, each further attempt is answered later: 250 ms, doubling, at most 1 s. */
  slowDownAfter: 4,
  firstDelayMs: 250,
  maxDelayMs: 1_000,
} as const;

/** How long a pair's next attempt waits, given its failures so far. */
export function logInDelayMs(failures: number): number {
  if (failures < LOG_IN_LIMITS.slowDownAfter) return 0;
  return Math.min(LOG_IN_LIMITS.firstDelayMs * 2 ** (failures - LOG_IN_LIMITS.slowDownAfter), LOG_IN_LIMITS.maxDelayMs);
}

/**
 * Where the counters live: the server's PostgreSQL pool, so every process behind a load balancer
 * counts against the same limits (in-process counters gave an attacker one allowance per process),
 * or "memory" for unit tests of the rules alone.
 */
export type RateLimitStore = pg.Pool | "memory";

/**
 * Brute-force brakes for the unauthenticated mutations (and invitations).
 *
 * Log-in failures are counted per account *and* address, and per address alone, never per account
 * alone: a per-account lock-out lets anyone lock anyone out by typing wrong passwords for their
 * email. The owner, from an address that has not failed, always gets in.
 *
 * When the database does not answer, the brakes fail closed: the request is refused (UNAVAILABLE, counted
 * toward the outage) with a message that says which check failed and that nothing was done (no
 * `insuranceLimiter` falling back to per-process memory). Every guarded operation
 * needs the database right after the check anyway, and a silent per-process fallback would hand out
 * one allowance per process exactly when something is wrong.
 */
export function createRateLimits({ store, wait = (ms: number) => sleep(ms) }: { store: RateLimitStore; wait?: (ms: number) => Promise<unknown> }) {
  const { windowSeconds: duration } = LOG_IN_LIMITS;
  const limiter = (options: { keyPrefix: string; points: number; duration: number }, { clearsExpired = false } = {}): RateLimiterAbstract =>
    store === "memory"
      ? new RateLimiterMemory(options)
      : new RateLimiterPostgres({
          ...options,
          storeClient: store,
          storeType: "pool",
          tableName: RATE_LIMITS_TABLE,
          tableCreated: true,
          // A key past its limit is refused from this process's memory until its row expires, so a
          // flood of refused attempts costs no database write; the row still decides for the others.
          inMemoryBlockOnConsumed: options.points + 1,
          // Every limiter shares the table, and the library's sweep deletes all rows expired an hour
          // ago (every 5 minutes, on an unref'd timer that never keeps the process alive): one is enough.
          clearExpiredByTimeout: clearsExpired,
        });
  const loginPerAccountAndAddress = limiter({ keyPrefix: "login-pair", points: LOG_IN_LIMITS.failuresPerAccountAndAddress, duration }, { clearsExpired: true });
  const loginPerAddress = limiter({ keyPrefix: "login-ip", points: LOG_IN_LIMITS.failuresPerAddress, duration });
  const signUpPerClient = limiter({ keyPrefix: "signup-ip", points: 20, duration: 60 * 60 });
  const invitationsPerTenant = limiter({ keyPrefix: "invite-tenant", points: 20, duration: 60 * 60 });

  /** Runs one counter operation; a store failure says which check could not be made (see above). */
  async function counted<T>(what: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof RateLimiterRes || !isDatabaseUnavailable(error)) throw error;
      throw new UnavailableError(
        `The ${what} limit could not be checked because the database did not answer, so nothing was done. Try again in a few seconds.`,
        { cause: error },
      );
    }
  }

  const pairKey = (email: string, clientIp: string) => JSON.stringify([email, clientIp]);

  async function consume(limiter: RateLimiterAbstract, what: string, key: string, message: string) {
    try {
      await counted(what, () => limiter.consume(key));
    } catch (result) {
      if (result instanceof RateLimiterRes) throw rateLimited(Math.max(1, Math.ceil(result.msBeforeNext / 1000)), message);
      throw result;
    }
  }

  return {
    /**
     * Before checking a password: refuses a blocked address or account-and-address pair, slows a
     * pair that keeps failing, and counts the attempt as a failure until `logInSucceeded` says otherwise
     * (counting first means concurrent guesses cannot slip past the limit).
     */
    async logInAttempt(email: string, clientIp: string) {
      const failures = (await counted("log-in", () => loginPerAccountAndAddress.get(pairKey(email, clientIp))))?.consumedPoints ?? 0;
      await consume(loginPerAddress, "log-in", clientIp, "Too many failed log-ins from this address.");
      await consume(loginPerAccountAndAddress, "log-in", pairKey(email, clientIp), "Too many failed log-ins for this account from this address.");
      const delay = logInDelayMs(failures);
      if (delay > 0) await wait(delay);
    },
    /** A correct password clears the pair's failures and takes back the address's count for this attempt. */
    async logInSucceeded(email: string, clientIp: string) {
      await counted("log-in", () => loginPerAccountAndAddress.delete(pairKey(email, clientIp)));
      await counted("log-in", () => loginPerAddress.reward(clientIp, 1));
    },
    async signUpAttempt(clientIp: string) {
      await consume(signUpPerClient, "sign-up", clientIp, "Too many sign-ups from this address.");
    },
    /** Counts a team invitation sent (or renewed) by this tenant. */
    async teamInvitation(tenantId: string) {
      await consume(invitationsPerTenant, "invitation", tenantId, "Too many team invitations from this tenant.");
    },
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;
