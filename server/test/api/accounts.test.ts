import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePort } from "../../src/db/embedded-postgres.ts";
import { UnavailableError } from "../../src/errors.ts";
import { createRateLimits, LOG_IN_LIMITS } from "../../src/modules/auth/rate-limits.ts";
import { addMember, errorCode, expectData, newAccount, SIGN_UP, signUp, startTestApi, type TestApi } from "../support/api.ts";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

const LOG_IN = `mutation ($input: LogInInput!) { logIn(input: $input) { token expiresAt user { id email } tenant { id slug } } }`;
const WHO_AM_I = `{ me { id email memberships { role tenant { id companyName } } } tenant { id companyName slug plan active createdAt } }`;

describe("sign up", () => {
  it("creates the user, a tenant named after the company and an OWNER membership, and returns a working session", async () => {
    const account = newAccount("signup");
    const result = await api.graphql(SIGN_UP, { input: { ...account, email: account.email.toUpperCase() } });
    expect(result.errors).toBeUndefined();
    const payload = result.data!.signUp;
    expect(payload.user.email).toBe(account.email);
    expect(payload.tenant).toMatchObject({ companyName: account.companyName, slug: account.companyName.toLowerCase().replace(/\s+/g, "-") });
    expect(payload.token).toMatch(/^sbs_/);
    expect(new Date(payload.expiresAt).getTime()).toBeGreaterThan(Date.now() + 13 * 24 * 3600 * 1000);

    const me = await api.graphql(WHO_AM_I, {}, { token: payload.token });
    expect(me.data).toMatchObject({
      me: { email: account.email, memberships: [{ role: "OWNER", tenant: { id: payload.tenant.id } }] },
      tenant: { id: payload.tenant.id, plan: "STARTER", active: true },
    });
  });

  it("stores only an argon2id hash of the password and a SHA-256 of the session token", async () => {
    const owner = await signUp(api, "hashes");
    const { rows } = await api.database.ownerPool.query("SELECT password_hash FROM users WHERE id = $1", [owner.userId]);
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    const sessions = await api.database.ownerPool.query("SELECT token_hash FROM sessions WHERE user_id = $1", [owner.userId]);
    expect(sessions.rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(sessions.rows[0].token_hash).not.toContain(owner.token);
  });

  it("gives a second company with the same name its own slug", async () => {
    const first = newAccount("slug");
    const second = { ...newAccount("slug"), companyName: first.companyName };
    const a = await api.graphql(SIGN_UP, { input: first });
    const b = await api.graphql(SIGN_UP, { input: second });
    expect(b.errors).toBeUndefined();
    expect(b.data!.signUp.tenant.slug).not.toBe(a.data!.signUp.tenant.slug);
    expect(b.data!.signUp.tenant.slug.startsWith(a.data!.signUp.tenant.slug)).toBe(true);
  });

  it("refuses an email that already has an account, and changes nothing", async () => {
    const account = newAccount("dupe");
    expectData(await api.graphql(SIGN_UP, { input: account }));
    const again = await api.graphql(SIGN_UP, { input: { ...newAccount("dupe"), email: account.email.toUpperCase() } });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "email" });
    const tenants = await api.database.ownerPool.query("SELECT count(*)::int AS n FROM users WHERE email = $1", [account.email]);
    expect(tenants.rows[0].n).toBe(1);
  });

  it.each([
    ["short", "short pw 1", /at least 12/],
    ["common", "password1234", /too common/],
    ["the email itself", "EMAIL", /too common/],
  ])("refuses a %s password", async (_label, password, message) => {
    const account = newAccount("weak");
    const result = await api.graphql(SIGN_UP, { input: { ...account, password: password === "EMAIL" ? account.email : password } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "password" });
    expect(result.errors?.[0]?.message).toMatch(message);
    const users = await api.database.ownerPool.query("SELECT count(*)::int AS n FROM users WHERE email = $1", [account.email]);
    expect(users.rows[0].n).toBe(0);
  });

  it("sets an httpOnly, SameSite=Lax session cookie that authenticates the dashboard", async () => {
    const response = await fetch(`${api.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: SIGN_UP, variables: { input: newAccount("cookie") } }),
    });
    const cookie = response.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^switchboard_session=sbs_/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const me = await api.graphql(`{ me { email } }`, {}, { headers: { cookie: cookie.split(";")[0]! } });
    expect(me.data?.me.email).toBeDefined();
  });
});

describe("log in and out", () => {
  it("logs in with the right password (any email case) and opens a new session", async () => {
    const owner = await signUp(api, "login");
    const result = await api.graphql(LOG_IN, { input: { email: owner.email.toUpperCase(), password: owner.password } });
    expect(result.data!.logIn).toMatchObject({ user: { id: owner.userId }, tenant: { id: owner.tenantId } });
    expect(result.data!.logIn.token).not.toBe(owner.token);
    const me = await api.graphql(`{ me { id } }`, {}, { token: result.data!.logIn.token });
    expect(me.data?.me.id).toBe(owner.userId);
  });

  it("answers a wrong password and an unknown email the same way", async () => {
    const owner = await signUp(api, "wrongpw");
    const wrongPassword = await api.graphql(LOG_IN, { input: { email: owner.email, password: "not the right password" } });
    const unknownEmail = await api.graphql(LOG_IN, { input: { email: `nobody-${owner.email}`, password: owner.password } });
    expect(wrongPassword.errors?.[0]).toMatchObject({ message: "Wrong email or password.", extensions: { code: "UNAUTHENTICATED" } });
    expect(unknownEmail.errors?.[0]?.message).toBe(wrongPassword.errors?.[0]?.message);
    expect(unknownEmail.errors?.[0]?.extensions).toEqual(wrongPassword.errors?.[0]?.extensions);
  });

  it("limits log-in attempts per email, with a retry-after, and a correct password is refused meanwhile", async () => {
    const owner = await signUp(api, "ratelimit");
    const attempts = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      attempts.push(errorCode(await api.graphql(LOG_IN, { input: { email: owner.email, password: `wrong password ${attempt}` } })));
    }
    expect(attempts.every((code) => code === "UNAUTHENTICATED")).toBe(true);
    const blocked = await api.graphql(LOG_IN, { input: { email: owner.email, password: owner.password } });
    expect(blocked.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
    expect(blocked.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
    // Another account from the same address is not locked out by it.
    const other = await signUp(api, "ratelimit-other");
    expect(errorCode(await api.graphql(LOG_IN, { input: { email: other.email, password: other.password } }))).toBe("none");
  });

  it("logOut ends the session at once, and only that session", async () => {
    const owner = await signUp(api, "logout");
    const second = await api.graphql(LOG_IN, { input: { email: owner.email, password: owner.password } });
    const out = await api.graphql(`mutation { logOut }`, {}, { token: owner.token });
    expect(out.data).toEqual({ logOut: true });
    const after = await api.graphql(`{ me { id } }`, {}, { token: owner.token });
    expect(after.errors?.[0]).toMatchObject({ extensions: { code: "UNAUTHENTICATED" }, message: expect.stringMatching(/log in again/) });
    expect((await api.graphql(`{ me { id } }`, {}, { token: second.data!.logIn.token })).data?.me.id).toBe(owner.userId);
  });

  it("refuses an expired session", async () => {
    const owner = await signUp(api, "expired");
    await api.database.ownerPool.query("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1", [owner.userId]);
    expect(errorCode(await api.graphql(`{ tenant { id } }`, {}, { token: owner.token }))).toBe("UNAUTHENTICATED");
  });

  it("refuses a revoked session", async () => {
    const owner = await signUp(api, "revoked");
    await api.database.ownerPool.query("UPDATE sessions SET revoked_at = now() WHERE user_id = $1", [owner.userId]);
    expect(errorCode(await api.graphql(`{ tenant { id } }`, {}, { token: owner.token }))).toBe("UNAUTHENTICATED");
  });

  it("refuses a made-up token", async () => {
    expect(errorCode(await api.graphql(`{ tenant { id } }`, {}, { token: "sbs_made-up-token" }))).toBe("UNAUTHENTICATED");
  });
});

describe("several tenants", () => {
  it("acts for the tenant named by X-Tenant-Id when the user belongs to it, and refuses others", async () => {
    const alice = await signUp(api, "multi-a");
    const bob = await signUp(api, "multi-b");
    const stranger = await signUp(api, "multi-c");
    await addMember(api, bob, alice, "MEMBER");

    const byDefault = await api.graphql(`{ tenant { id } }`, {}, { token: alice.token });
    expect(byDefault.data?.tenant.id).toBe(alice.tenantId);
    const chosen = await api.graphql(`{ tenant { id } }`, {}, { token: alice.token, tenantId: bob.tenantId });
    expect(chosen.data?.tenant.id).toBe(bob.tenantId);
    const me = await api.graphql(`{ me { memberships { role tenant { id } } } }`, {}, { token: alice.token });
    expect(me.data?.me.memberships).toEqual([
      { role: "OWNER", tenant: { id: alice.tenantId } },
      { role: "MEMBER", tenant: { id: bob.tenantId } },
    ]);

    const notMine = await api.graphql(`{ tenant { id } }`, {}, { token: alice.token, tenantId: stranger.tenantId });
    expect(errorCode(notMine)).toBe("FORBIDDEN");
    expect(notMine.data).toBeNull();
    expect(errorCode(await api.graphql(`{ tenant { id } }`, {}, { token: alice.token, tenantId: "not-a-uuid" }))).toBe("BAD_USER_INPUT");
  });
});

describe("log-in throttling that cannot be turned against the account's owner", () => {
  // Behind a proxy, so each request can come from the address the test names.
  let proxied: TestApi;
  beforeAll(async () => {
    proxied = await startTestApi({ environment: { TRUST_PROXY: "true" } });
  });
  afterAll(() => proxied?.close());

  const logInFrom = (address: string, email: string, password: string) =>
    proxied.graphql(LOG_IN, { input: { email, password } }, { headers: { "x-forwarded-for": address } });

  it("ten wrong passwords from one address block that address for the account, not the owner elsewhere", async () => {
    const owner = await signUp(proxied, "targeted");
    for (let attempt = 1; attempt <= LOG_IN_LIMITS.failuresPerAccountAndAddress; attempt++) {
      expect(errorCode(await logInFrom("203.0.113.10", owner.email, `guess ${attempt}`)), `attempt ${attempt}`).toBe("UNAUTHENTICATED");
    }
    const blocked = await logInFrom("203.0.113.10", owner.email, owner.password);
    expect(blocked.errors?.[0]?.extensions).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: expect.any(Number) });

    const fromHome = await logInFrom("198.51.100.20", owner.email, owner.password);
    expect(fromHome.errors).toBeUndefined();
    expect(fromHome.data!.logIn.user.id).toBe(owner.userId);
  });

  it("a correct password clears the address's failures for the account", async () => {
    const owner = await signUp(proxied, "forgetful");
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect(errorCode(await logInFrom("203.0.113.20", owner.email, `typo ${attempt}`))).toBe("UNAUTHENTICATED");
    }
    expect(errorCode(await logInFrom("203.0.113.20", owner.email, owner.password))).toBe("none");
    // Nine more mistakes are fine again (5 + 9 would pass the limit): the count started over.
    for (let attempt = 1; attempt < LOG_IN_LIMITS.failuresPerAccountAndAddress; attempt++) {
      expect(errorCode(await logInFrom("203.0.113.20", owner.email, `typo again ${attempt}`)), `attempt ${attempt}`).toBe("UNAUTHENTICATED");
    }
  });

  it("an address that fails for many accounts is refused for all of them, other addresses are not", async () => {
    const owner = await signUp(proxied, "sprayed");
    for (let attempt = 1; attempt <= LOG_IN_LIMITS.failuresPerAddress; attempt++) {
      const code = errorCode(await logInFrom("203.0.113.30", `nobody-${attempt}@example.com`, "a password spray"));
      if (code !== "UNAUTHENTICATED") throw new Error(`attempt ${attempt} answered ${code}`);
    }
    const refused = await logInFrom("203.0.113.30", owner.email, owner.password);
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: "RATE_LIMITED" }, message: expect.stringMatching(/this address/) });
    expect(errorCode(await logInFrom("198.51.100.30", owner.email, owner.password))).toBe("none");
  });

  it("slows an account-and-address pair down before blocking it; other addresses are not slowed", async () => {
    const waits: number[] = [];
    const limits = createRateLimits({ store: "memory", wait: async (ms) => void waits.push(ms) });
    const answers: string[] = [];
    for (let attempt = 1; attempt <= 11; attempt++) {
      answers.push(
        await limits.logInAttempt("victim@example.com", "203.0.113.40").then(
          () => "checked",
          (error) => error.code,
        ),
      );
    }
    expect(answers).toEqual([...Array(10).fill("checked"), "RATE_LIMITED"]);
    // No wait for the first four attempts, then 250 ms doubling up to 1 s.
    expect(waits).toEqual([250, 500, 1000, 1000, 1000, 1000]);

    await limits.logInAttempt("victim@example.com", "198.51.100.40");
    expect(waits).toHaveLength(6);
  });

  it("fails closed, saying which check could not be made, when the database holding the counters does not answer", async () => {
    // A pool aimed at a port nobody listens on: every counter query fails as in a database outage.
    const pool = new pg.Pool({ connectionString: `postgresql://nobody@127.0.0.1:${await findFreePort()}/none`, connectionTimeoutMillis: 2_000 });
    const limits = createRateLimits({ store: pool });
    try {
      const refused = await limits.logInAttempt("victim@example.com", "203.0.113.50").then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(UnavailableError);
      expect((refused as Error).message).toMatch(/^The log-in limit could not be checked because the database did not answer, so nothing was done\./);
      // The log line of the refusal names what went wrong underneath (here: the connection refused).
      expect((refused as Error).cause).toBeInstanceOf(Error);
      await expect(limits.signUpAttempt("203.0.113.50")).rejects.toThrow(/^The sign-up limit could not be checked/);
      await expect(limits.teamInvitation("0198c0de-0000-7000-8000-000000000000")).rejects.toThrow(/^The invitation limit could not be checked/);
    } finally {
      await pool.end();
    }
  });
});
