import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeRapiwa, type FakeRapiwa } from "../../fakes/fake-rapiwa.ts";
import { errorCode, newAccount, SIGN_UP, signUp, startTestApi, type TestApi } from "../support/api.ts";

/** A server started with NODE_ENV=production, as deployed: what must differ from development. */

let rapiwa: FakeRapiwa;
let production: TestApi;
beforeAll(async () => {
  rapiwa = await startFakeRapiwa();
  production = await startTestApi({ env: "production", environment: { RAPIWA_BASE_URL: rapiwa.url } });
});
afterAll(async () => {
  await production?.close();
  await rapiwa?.close();
});

const signUpResponse = (api: TestApi, headers: Record<string, string> = {}) =>
  fetch(`${api.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query: SIGN_UP, variables: { input: newAccount("cookie") } }),
  });

describe("production mode", () => {
  it("sends the session cookie with Secure, HttpOnly and SameSite=Lax", async () => {
    const response = await signUpResponse(production);
    expect(response.status).toBe(200);
    const cookie = response.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^switchboard_session=sbs_[\w-]+;/);
    expect(cookie.split(/;\s*/).map((part) => part.toLowerCase())).toEqual(expect.arrayContaining(["secure", "httponly", "samesite=lax", "path=/"]));
  });

  it("outside production the cookie works over plain http (no Secure), and the sandbox is offered", async () => {
    const development = await startTestApi({ env: "development" });
    try {
      const cookie = (await signUpResponse(development)).headers.get("set-cookie")!;
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).not.toMatch(/Secure/i);
      expect((await development.graphql("{ sandboxAvailable }")).data).toEqual({ sandboxAvailable: true });
    } finally {
      await development.close();
    }
  });

  it("has no sandbox: a sandbox_ key is checked with Rapiwa like any other, and replies cannot be simulated", async () => {
    const owner = await signUp(production, "no-sandbox");
    const connected = await production.graphql(
      `mutation { connectWhatsApp(input: { apiKey: "sandbox_in_production", number: "+8801712345678" }) { provider status } }`,
      {},
      { token: owner.token },
    );
    expect(connected.errors).toBeUndefined();
    expect(connected.data!.connectWhatsApp).toEqual({ provider: "RAPIWA", status: "CONNECTED" });
    expect(rapiwa.received()).toEqual([expect.objectContaining({ apiKey: "sandbox_in_production", number: "8801712345678" })]);

    const simulated = await production.graphql(`mutation { simulateInboundMessage(from: "+14155550100", text: "hi") { id } }`, {}, { token: owner.token });
    expect(errorCode(simulated)).toBe("CONFLICT");
    const { rows } = await production.database.ownerPool.query("SELECT count(*)::int AS n FROM messages WHERE tenant_id = $1", [owner.tenantId]);
    expect(rows[0].n).toBe(0);
    // So the dashboard does not offer it.
    expect((await production.graphql("{ sandboxAvailable }")).data).toEqual({ sandboxAvailable: false });
  });

  it("ignores X-Forwarded-For unless TRUST_PROXY is set: a client cannot pick its own address for the limits", async () => {
    // 20 sign-ups per hour per address; each request below claims another address.
    const answers: string[] = [];
    for (let attempt = 1; attempt <= 21; attempt++) {
      const response = await signUpResponse(production, { "x-forwarded-for": `203.0.113.${attempt}` });
      const body = (await response.json()) as { errors?: { extensions: { code: string } }[] };
      answers.push(body.errors?.[0]?.extensions.code ?? "none");
    }
    // Other tests in this file may have signed up from the same (real) address already: fewer pass then.
    expect(answers.at(-1)).toBe("RATE_LIMITED");
    expect(answers.filter((code) => code === "none").length).toBeLessThanOrEqual(20);
  });

  it("answers /healthz with 503 while the database is unreachable, and 200 again once it is back", async () => {
    const healthz = async () => {
      const response = await fetch(`${production.url}/healthz`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    expect(await healthz()).toMatchObject({ status: 200, body: { status: "OK", database: "up" } });
    const { name } = production.database;
    const admin = production.database.ownerPool;
    // The server's role (not a superuser) may no longer connect; its open connections are cut.
    await admin.query(`ALTER DATABASE ${name} CONNECTION LIMIT 0`);
    try {
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND usename = 'switchboard_app'", [name]);
      expect(await healthz()).toMatchObject({ status: 503, body: { status: "DEGRADED", database: "down" } });
    } finally {
      await admin.query(`ALTER DATABASE ${name} CONNECTION LIMIT -1`);
    }
    expect(await healthz()).toMatchObject({ status: 200, body: { status: "OK", database: "up" } });
  });
});

describe("behind a trusted proxy (TRUST_PROXY=true)", () => {
  it("counts each forwarded client address on its own", async () => {
    const proxied = await startTestApi({ env: "production", environment: { TRUST_PROXY: "true" } });
    try {
      for (let attempt = 1; attempt <= 21; attempt++) {
        const response = await signUpResponse(proxied, { "x-forwarded-for": `198.51.100.${attempt}` });
        const body = (await response.json()) as { errors?: unknown[] };
        expect(body.errors, `sign-up ${attempt}`).toBeUndefined();
      }
    } finally {
      await proxied.close();
    }
  });
});
