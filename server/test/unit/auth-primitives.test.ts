import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.ts";
import { API_KEY_PREFIX_LENGTH, looksLikeApiKey, newApiKeySecret } from "../../src/modules/api-keys/api-key-secret.ts";
import { actorOf } from "../../src/modules/auth/principal.ts";
import { createRateLimits as createLimits, LOG_IN_LIMITS, logInDelayMs } from "../../src/modules/auth/rate-limits.ts";
import { hashSessionToken, newSessionToken } from "../../src/modules/auth/session-token.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

/** The secrets users are handed and the brakes on guessing them (README, "Limits"). */

describe("API key and session secrets", () => {
  it("hands out swb_ keys of 256 random bits whose first 12 characters are the visible prefix", () => {
    const { secret, prefix } = newApiKeySecret();
    expect(secret).toMatch(/^swb_[0-9A-Za-z]{43}$/);
    expect(API_KEY_PREFIX_LENGTH).toBe(12);
    expect(prefix).toBe(secret.slice(0, 12));
    expect(newApiKeySecret().secret).not.toBe(secret);
    expect(looksLikeApiKey(secret)).toBe(true);
  });

  it("recognises only well-formed API keys as such (everything else is tried as a session)", () => {
    expect(looksLikeApiKey(`swb_${"a".repeat(40)}`)).toBe(true);
    expect(looksLikeApiKey(`swb_${"a".repeat(60)}`)).toBe(true);
    expect(looksLikeApiKey(`swb_${"a".repeat(39)}`)).toBe(false);
    expect(looksLikeApiKey(`swb_${"a".repeat(61)}`)).toBe(false);
    expect(looksLikeApiKey(`swb_${"a".repeat(42)}-`)).toBe(false);
    expect(looksLikeApiKey(`sbs_${"a".repeat(43)}`)).toBe(false);
    expect(looksLikeApiKey(`xswb_${"a".repeat(43)}`)).toBe(false);
    expect(looksLikeApiKey(`swb_!swb_${"a".repeat(43)}`)).toBe(false);
  });

  it("hands out sbs_ session tokens and stores only their SHA-256", () => {
    const { token, tokenHash } = newSessionToken();
    expect(token).toMatch(/^sbs_[\w-]{43}$/);
    expect(tokenHash).toBe(hashSessionToken(token));
    expect(tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSessionToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(newSessionToken().token).not.toBe(token);
  });

  it("attributes actions to the user or to the API key", () => {
    expect(actorOf({ kind: "user", userId: "u1", sessionId: "s1", tenantId: null, role: null, tenantActive: false, platformRole: null })).toBe("user:u1");
    expect(actorOf({ kind: "apiKey", apiKeyId: "k1", tenantId: "t1", scopes: [], tenantActive: true })).toBe("api_key:k1");
  });
});

describe("log-in slow-down", () => {
  it("answers the first failures at once, then 250 ms doubling up to 1 s", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 20].map(logInDelayMs)).toEqual([0, 0, 0, 0, 250, 500, 1_000, 1_000, 1_000]);
  });
});

// The server keeps its counters in PostgreSQL (shared by every process); the memory store is the
// same rules without a database. Both must behave alike.
describe.each(["memory", "PostgreSQL"] as const)("brakes on guessing and on volume, %s store", (storeKind) => {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    if (storeKind === "PostgreSQL") database = await createTestDatabase();
  });
  afterAll(() => database?.drop());
  beforeEach(async () => {
    await database?.ownerPool.query("TRUNCATE rate_limits");
  });
  const createRateLimits = (options: Omit<Parameters<typeof createLimits>[0], "store"> = {}) =>
    createLimits({ ...options, store: database ? database.db.pool : "memory" });

  async function rateLimitedBy(action: () => Promise<unknown>): Promise<AppError | undefined> {
    try {
      await action();
      return undefined;
    } catch (error) {
      if (error instanceof AppError) return error;
      throw error;
    }
  }

  it("refuses a pair after 10 failures in the window, for the window, while the owner's other address gets in", async () => {
    const waits: number[] = [];
    const limits = createRateLimits({ wait: async (ms) => waits.push(ms) });
    for (let attempt = 0; attempt < LOG_IN_LIMITS.failuresPerAccountAndAddress; attempt++) await limits.logInAttempt("ada@example.com", "10.0.0.1");
    expect(waits).toEqual([250, 500, 1_000, 1_000, 1_000, 1_000]);
    const refused = await rateLimitedBy(() => limits.logInAttempt("ada@example.com", "10.0.0.1"));
    expect(refused).toMatchObject({ code: "RATE_LIMITED" });
    expect(refused!.message).toMatch(/^Too many failed log-ins for this account from this address\. Try again in \d+ s\.$/);
    expect(refused!.details.retryAfterSeconds).toBeGreaterThan(14 * 60);
    expect(refused!.details.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    expect(await rateLimitedBy(() => limits.logInAttempt("ada@example.com", "10.0.0.2"))).toBeUndefined();
    expect(await rateLimitedBy(() => limits.logInAttempt("bob@example.com", "10.0.0.1"))).toBeUndefined();
  });

  it("clears a pair's failures when the password was right", async () => {
    const waits: number[] = [];
    const limits = createRateLimits({ wait: async (ms) => waits.push(ms) });
    for (let attempt = 0; attempt < 5; attempt++) await limits.logInAttempt("ada@example.com", "10.0.0.1");
    await limits.logInSucceeded("ada@example.com", "10.0.0.1");
    waits.length = 0;
    for (let attempt = 0; attempt < 4; attempt++) await limits.logInAttempt("ada@example.com", "10.0.0.1");
    expect(waits).toEqual([]);
  });

  it("refuses an address after 100 failures whatever the accounts, and takes back successes", async () => {
    const limits = createRateLimits({ wait: async () => undefined });
    for (let attempt = 0; attempt < 99; attempt++) await limits.logInAttempt(`user${attempt}@example.com`, "10.0.0.9");
    // A correct password does not count against the address.
    await limits.logInAttempt("good@example.com", "10.0.0.9");
    await limits.logInSucceeded("good@example.com", "10.0.0.9");
    await limits.logInAttempt("user100@example.com", "10.0.0.9");
    const refused = await rateLimitedBy(() => limits.logInAttempt("someone@example.com", "10.0.0.9"));
    expect(refused?.message).toMatch(/^Too many failed log-ins from this address\./);
    expect(await rateLimitedBy(() => limits.logInAttempt("someone@example.com", "10.0.0.10"))).toBeUndefined();
  });

  it("allows 20 sign-ups per address and 20 invitations per tenant an hour", async () => {
    const limits = createRateLimits();
    for (let attempt = 0; attempt < 20; attempt++) {
      await limits.signUpAttempt("10.0.0.1");
      await limits.teamInvitation("tenant-a");
    }
    expect((await rateLimitedBy(() => limits.signUpAttempt("10.0.0.1")))?.message).toMatch(/^Too many sign-ups from this address\. Try again in \d+ s\.$/);
    expect((await rateLimitedBy(() => limits.teamInvitation("tenant-a")))?.message).toMatch(/^Too many team invitations from this tenant\./);
    expect((await rateLimitedBy(() => limits.teamInvitation("tenant-a")))?.details.retryAfterSeconds).toBeGreaterThan(59 * 60);
    expect((await rateLimitedBy(() => limits.signUpAttempt("10.0.0.1")))?.details.retryAfterSeconds).toBeGreaterThan(59 * 60);
    expect(await rateLimitedBy(() => limits.signUpAttempt("10.0.0.2"))).toBeUndefined();
    expect(await rateLimitedBy(() => limits.teamInvitation("tenant-b"))).toBeUndefined();
  });
});
