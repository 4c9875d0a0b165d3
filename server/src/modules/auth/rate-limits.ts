import { setTimeout as sleep } from "node:timers/promises";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { rateLimited } from "../../errors.ts";

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
 * Brute-force brakes for the unauthenticated mutations. In-process counters: right for one server
 * process; several processes would move them to rate-limiter-flexible's PostgreSQL store.
 *
 * Log-in failures are counted per account *and* address, and per address alone, never per account
 * alone: a per-account lock-out lets anyone lock anyone out by typing wrong passwords for their
 * email. The owner, from an address that has not failed, always gets in.
 */
export function createRateLimits({ wait = (ms: number) => sleep(ms) }: { wait?: (ms: number) => Promise<unknown> } = {}) {
  const { windowSeconds: duration } = LOG_IN_LIMITS;
  const loginPerAccountAndAddress = new RateLimiterMemory({ keyPrefix: "login-pair", points: LOG_IN_LIMITS.failuresPerAccountAndAddress, duration });
  const loginPerAddress = new RateLimiterMemory({ keyPrefix: "login-ip", points: LOG_IN_LIMITS.failuresPerAddress, duration });
  const signUpPerClient = new RateLimiterMemory({ keyPrefix: "signup-ip", points: 20, duration: 60 * 60 });
  const invitationsPerTenant = new RateLimiterMemory({ keyPrefix: "invite-tenant", points: 20, duration: 60 * 60 });

  const pairKey = (email: string, clientIp: string) => JSON.stringify([email, clientIp]);

  async function consume(limiter: RateLimiterMemory, key: string, message: string) {
    try {
      await limiter.consume(key);
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
      const failures = (await loginPerAccountAndAddress.get(pairKey(email, clientIp)))?.consumedPoints ?? 0;
      await consume(loginPerAddress, clientIp, "Too many failed log-ins from this address.");
      await consume(loginPerAccountAndAddress, pairKey(email, clientIp), "Too many failed log-ins for this account from this address.");
      const delay = logInDelayMs(failures);
      if (delay > 0) await wait(delay);
    },
    /** A correct password clears the pair's failures and takes back the address's count for this attempt. */
    async logInSucceeded(email: string, clientIp: string) {
      await loginPerAccountAndAddress.delete(pairKey(email, clientIp));
      await loginPerAddress.reward(clientIp, 1);
    },
    async signUpAttempt(clientIp: string) {
      await consume(signUpPerClient, clientIp, "Too many sign-ups from this address.");
    },
    /** Counts a team invitation sent (or renewed) by this tenant. */
    async teamInvitation(tenantId: string) {
      await consume(invitationsPerTenant, tenantId, "Too many team invitations from this tenant.");
    },
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;
