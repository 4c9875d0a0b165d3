import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { rateLimited } from "../../errors.ts";

/**
 * Brute-force brakes for the unauthenticated mutations. In-process counters: right for one server
 * process; several processes would move them to rate-limiter-flexible's PostgreSQL store.
 */
export function createRateLimits() {
  const loginPerEmail = new RateLimiterMemory({ keyPrefix: "login-email", points: 10, duration: 15 * 60 });
  const loginPerClient = new RateLimiterMemory({ keyPrefix: "login-ip", points: 100, duration: 15 * 60 });
  const signUpPerClient = new RateLimiterMemory({ keyPrefix: "signup-ip", points: 20, duration: 60 * 60 });
  const invitationsPerTenant = new RateLimiterMemory({ keyPrefix: "invite-tenant", points: 20, duration: 60 * 60 });

  async function consume(limiter: RateLimiterMemory, key: string, message: string) {
    try {
      await limiter.consume(key);
    } catch (result) {
      if (result instanceof RateLimiterRes) throw rateLimited(Math.max(1, Math.ceil(result.msBeforeNext / 1000)), message);
      throw result;
    }
  }

  return {
    /** Counts a log-in attempt for this email and this client address. */
    async logInAttempt(email: string, clientIp: string) {
      await consume(loginPerClient, clientIp, "Too many log-in attempts from this address.");
      await consume(loginPerEmail, email, "Too many log-in attempts for this account.");
    },
    /** A successful log-in clears the account's counter (not the address's). */
    async logInSucceeded(email: string) {
      await loginPerEmail.delete(email);
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
