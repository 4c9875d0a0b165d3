import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_CODES } from "../../src/errors.ts";
import { createApiKey, ensureSandboxWhatsApp, errorCode, newAccount, SIGN_UP, signUp, startTestApi, type SignedUp, type TestApi } from "../support/api.ts";
import { eventually } from "../support/messaging.ts";

/**
 * The GraphQL API's error path and abuse limits, over real HTTP on a real database: every error
 * code a client can get, the query-shape and body limits, malformed requests, production
 * hardening and request ids (metrics and logs: observability.test.ts).
 */

// The documented limits (server/src/graphql/limits.ts); pinned here because clients rely on them.
const MAX_DEPTH = 8;
const MAX_ALIASES = 15;
const MAX_TOKENS = 2_000;
const MAX_BATCH = 10;
const MAX_BODY_BYTES = 256 * 1024;

const LOG_IN = `mutation ($input: LogInInput!) { logIn(input: $input) { token } }`;

type RawResponse = { status: number; headers: Headers; text: string; body: any };

/** A request as a client might really send it, malformed or not; the body is parsed when it is JSON. */
async function send(api: TestApi, init: RequestInit & { path?: string } = {}): Promise<RawResponse> {
  const { path = "/graphql", ...rest } = init;
  const response = await fetch(`${api.url}${path}`, rest);
  const text = await response.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}

const postJson = (api: TestApi, body: string, headers: Record<string, string> = {}) =>
  send(api, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

/** A client error: 4xx, JSON, and every error carries one of our codes. */
function expectTypedClientError(response: RawResponse, code = "BAD_USER_INPUT") {
  expect(response.status, response.text).toBeGreaterThanOrEqual(400);
  expect(response.status, response.text).toBeLessThan(500);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  expect(response.body?.errors?.length, response.text).toBeGreaterThan(0);
  for (const error of response.body.errors) {
    expect(ERROR_CODES).toContain(error.extensions?.code);
    expect(error.extensions.code).toBe(code);
  }
}

/** Nothing about our internals in what the client sees. */
function expectNoInternals(text: string) {
  expect(text).not.toContain("at "); // stack frames ("    at fn (file:line:col)")
  expect(text).not.toMatch(/stack/i);
  expect(text).not.toMatch(/\b(select|insert|update|from)\b|auth_resolve|tenant_id|relation/i); // SQL
  expect(text).not.toMatch(/prisma|\bpg\b|node-postgres|pool|ECONN|Context creation failed/i); // driver / framework
}

const usersWithEmail = (api: TestApi, emails: string[]) =>
  api.database.owner.user.count({ where: { email: { in: emails.map((email) => email.toLowerCase()) } } });

/** `__type(name: "Query") { fields { type { ofType … { name } } } }`: depth 4 + `ofTypes`. */
function typeChain(ofTypes: number): string {
  let selection = "name";
  for (let level = 0; level < ofTypes; level++) selection = `ofType { ${selection} }`;
  return `{ __type(name: "Query") { fields { type { ${selection} } } } }`;
}

const aliasedHealth = (count: number) => `{ ${Array.from({ length: count }, (_, index) => `a${index}: health`).join(" ")} }`;

let api: TestApi;
let owner: SignedUp;
beforeAll(async () => {
  api = await startTestApi();
  owner = await signUp(api, "owner");
});
afterAll(async () => {
  await api?.close();
});

describe("error codes", () => {
  describe("UNAUTHENTICATED", () => {
    it("refuses a request without credentials", async () => {
      const result = await api.graphql(`{ tenant { id } }`);
      expect(errorCode(result)).toBe("UNAUTHENTICATED");
      expect(result.errors![0]!.message).toMatch(/log in|api key/i);
      expect(result.data).toBeNull();
    });

    it("refuses an invalid bearer token", async () => {
      const result = await api.graphql(`{ tenant { id } }`, {}, { token: "not-a-real-session-token" });
      expect(errorCode(result)).toBe("UNAUTHENTICATED");
      expect(result.data).toBeNull();
    });

    it("refuses a well-formed API key that does not exist", async () => {
      const result = await api.graphql(`{ tenant { id } }`, {}, { token: `swb_${"A".repeat(43)}` });
      expect(errorCode(result)).toBe("UNAUTHENTICATED");
      expect(result.errors![0]!.message).toMatch(/API key/);
    });
  });

  describe("FORBIDDEN", () => {
    it("keeps an API key with only MESSAGES_READ from creating or listing API keys", async () => {
      const readOnly = await createApiKey(api, owner, ["MESSAGES_READ"], "read only");

      const create = await api.graphql(
        `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
        { input: { name: "escalated", scopes: ["TENANT_ADMIN"] } },
        { token: readOnly.secret },
      );
      expect(errorCode(create)).toBe("FORBIDDEN");
      expect(create.errors![0]!.message).toMatch(/scope/);
      expect(create.data).toBeNull();

      const list = await api.graphql(`{ apiKeys { id } }`, {}, { token: readOnly.secret });
      expect(errorCode(list)).toBe("FORBIDDEN");

      // The refused mutation created nothing.
      const asOwner = await api.graphql<{ apiKeys: { id: string; name: string }[] }>(`{ apiKeys { id name } }`, {}, { token: owner.token });
      expect(asOwner.data!.apiKeys.map((key) => key.name)).not.toContain("escalated");
    });
  });

  describe("BAD_USER_INPUT", () => {
    it("names the field of an invalid email", async () => {
      const account = { ...newAccount("bad-email"), email: "not-an-email" };
      const result = await api.graphql(SIGN_UP, { input: account });
      expect(errorCode(result)).toBe("BAD_USER_INPUT");
      expect(result.errors![0]!.extensions!.field).toBe("email");
      expect(result.errors![0]!.message).toBe("Enter a valid email address.");
      expect(result.data).toBeNull();
    });

    it("names the password field of a too-short password", async () => {
      const account = { ...newAccount("short-pw"), password: "short" };
      const result = await api.graphql(SIGN_UP, { input: account });
      expect(errorCode(result)).toBe("BAD_USER_INPUT");
      expect(result.errors![0]!.extensions!.field).toBe("password");
      expect(result.errors![0]!.message).toMatch(/at least 12 characters/);
      expect(await usersWithEmail(api, [account.email])).toBe(0);
    });

    it("names the password field of a common password", async () => {
      const account = { ...newAccount("common-pw"), password: "password1234" };
      const result = await api.graphql(SIGN_UP, { input: account });
      expect(errorCode(result)).toBe("BAD_USER_INPUT");
      expect(result.errors![0]!.extensions!.field).toBe("password");
      expect(result.errors![0]!.message).toMatch(/too common/);
      expect(await usersWithEmail(api, [account.email])).toBe(0);
    });
  });

  describe("NOT_FOUND", () => {
    it("answers NOT_FOUND for revoking an API key id that does not exist", async () => {
      const result = await api.graphql(`mutation ($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: randomUUID() }, { token: owner.token });
      expect(errorCode(result)).toBe("NOT_FOUND");
      expect(result.errors![0]!.message).toBe("That API key was not found.");
      expect(result.data).toBeNull();
    });

    it("answers NOT_FOUND, not FORBIDDEN, for another tenant's API key (its existence is not revealed)", async () => {
      const other = await signUp(api, "other-tenant");
      const theirs = await createApiKey(api, other, ["MESSAGES_READ"]);
      const result = await api.graphql(`mutation ($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: theirs.id }, { token: owner.token });
      expect(errorCode(result)).toBe("NOT_FOUND");
      // …and it still works for its owner.
      const stillValid = await api.graphql(`{ tenant { id } }`, {}, { token: theirs.secret });
      expect(stillValid.data?.tenant.id).toBe(other.tenantId);
    });
  });

  describe("CONFLICT", () => {
    it("refuses a second sign-up with the same email, in any letter case, naming the email field", async () => {
      const first = newAccount("twice");
      expect((await api.graphql(SIGN_UP, { input: first })).data?.signUp).toBeTruthy();

      for (const email of [first.email, first.email.toUpperCase()]) {
        const again = await api.graphql(SIGN_UP, { input: { ...newAccount("twice-again"), email } });
        expect(errorCode(again)).toBe("CONFLICT");
        expect(again.errors![0]!.extensions!.field).toBe("email");
        expect(again.errors![0]!.message).toMatch(/already exists/);
      }
      expect(await usersWithEmail(api, [first.email])).toBe(1);
    });
  });

  describe("RATE_LIMITED", () => {
    it("stops log-ins for an email after 10 failed attempts, with retryAfterSeconds, even with the right password", async () => {
      const victim = await signUp(api, "brute-forced");
      for (let attempt = 1; attempt <= 10; attempt++) {
        const result = await api.graphql(LOG_IN, { input: { email: victim.email, password: `wrong password ${attempt}` } });
        expect(errorCode(result), `attempt ${attempt}`).toBe("UNAUTHENTICATED");
      }

      const eleventh = await api.graphql(LOG_IN, { input: { email: victim.email, password: "wrong password 11" } });
      expect(errorCode(eleventh)).toBe("RATE_LIMITED");
      const retryAfter = eleventh.errors![0]!.extensions!.retryAfterSeconds!;
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
      expect(eleventh.errors![0]!.message).toContain(`Try again in ${retryAfter} s`);

      // The brake holds for the right password too, and the email's letter case does not get around it.
      const correct = await api.graphql(LOG_IN, { input: { email: victim.email.toUpperCase(), password: victim.password } });
      expect(errorCode(correct)).toBe("RATE_LIMITED");
      expect(correct.data).toBeNull();

      // Other accounts are unaffected.
      const bystander = await signUp(api, "bystander");
      const ok = await api.graphql(LOG_IN, { input: { email: bystander.email, password: bystander.password } });
      expect(ok.errors).toBeUndefined();
      expect(ok.data?.logIn.token).toEqual(expect.any(String));
    });
  });

  describe("INTERNAL (masked)", () => {
    // An instance of its own whose database is closed under it: every query that needs it fails.
    let broken: TestApi;
    let user: SignedUp;
    beforeAll(async () => {
      broken = await startTestApi();
      user = await signUp(broken, "db-gone");
      await broken.database.db.close();
    });
    afterAll(async () => {
      await broken?.close();
    });

    it("masks a database failure while authenticating, with a reference to quote and no internals", async () => {
      const response = await postJson(broken, JSON.stringify({ query: "{ tenant { id } }" }), {
        authorization: `Bearer ${user.token}`,
        "x-request-id": "probe-auth-db-down",
      });
      expect(response.status).toBe(500);
      expect(response.body.errors).toHaveLength(1);
      const [error] = response.body.errors;
      expect(error.extensions).toEqual({ code: "INTERNAL" });
      expect(error.message).toBe("Something went wrong on our side. Quote reference probe-auth-db-down if you contact support.");
      expectNoInternals(response.text);
    });

    it("masks a database failure inside a resolver the same way", async () => {
      const response = await postJson(broken, JSON.stringify({ query: SIGN_UP, variables: { input: newAccount("during-outage") } }), {
        "x-request-id": "probe-resolver-db-down",
      });
      expect(response.status).toBe(200);
      const [error] = response.body.errors;
      expect(error.extensions).toEqual({ code: "INTERNAL" });
      // Our own pool closed under us is a bug, not an outage (that is UNAVAILABLE, below): nothing says "retry".
      expect(error.message).toBe("Something went wrong on our side. Quote reference probe-resolver-db-down if you contact support.");
      expect(response.body.data).toBeNull();
      expectNoInternals(response.text);
    });
  });

  describe("UNAVAILABLE (the database does not answer)", () => {
    // An instance of its own whose database refuses the server's connections (too many
    // connections, SQLSTATE 53300, as when PostgreSQL is out of slots) until the test lets it in again.
    const METRICS_TOKEN = "metrics-token-for-the-unavailable-suite-0123456";
    let outage: TestApi;
    let user: SignedUp;
    let key: string;
    beforeAll(async () => {
      outage = await startTestApi({ captureLogs: true, environment: { METRICS_TOKEN } });
      user = await signUp(outage, "db-outage");
      await ensureSandboxWhatsApp(outage, user);
      key = (await createApiKey(outage, user, ["MESSAGES_SEND"])).secret;
    });
    afterAll(async () => {
      await outage?.close();
    });

    const metric = async (name: string) => {
      const text = await fetch(`${outage.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }).then((response) => response.text());
      return Number(new RegExp(`^${name} (\\d+)$`, "m").exec(text)?.[1]);
    };
    const logged = (msg: RegExp) => outage.logs.filter((entry) => typeof entry.msg === "string" && msg.test(entry.msg));
    it("answers 503 with Retry-After on GraphQL (authenticating and in a resolver) and REST, logs the outage once, and recovers by itself", async () => {
      const { name } = outage.database;
      const admin = outage.database.ownerPool;
      const refusedBefore = await metric("switchboard_database_refused_requests_total");
      expect(await metric("switchboard_database_up")).toBe(1);
      await admin.query(`ALTER DATABASE ${name} CONNECTION LIMIT 0`);
      try {
        await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND usename = 'switchboard_app'", [name]);

        // Authenticating (before any resolver) needs the database.
        const authenticating = await postJson(outage, JSON.stringify({ query: "{ tenant { id } }" }), { authorization: `Bearer ${user.token}` });
        expect(authenticating.status, authenticating.text).toBe(503);
        expect(authenticating.headers.get("retry-after")).toBe("2");
        expect(authenticating.body).toEqual({
          errors: [
            {
              message: "The database is not answering; nothing was done. Try again in a few seconds.",
              extensions: { code: "UNAVAILABLE", retryAfterSeconds: 2 },
            },
          ],
        });
        expectNoInternals(authenticating.text);

        // In a resolver: sign-up checks its limit first, and says which check could not be made.
        const resolving = await postJson(outage, JSON.stringify({ query: SIGN_UP, variables: { input: newAccount("during-outage") } }));
        expect(resolving.status, resolving.text).toBe(503);
        expect(resolving.headers.get("retry-after")).toBe("2");
        expect(resolving.body.data).toBeNull();
        expect(resolving.body.errors).toEqual([
          expect.objectContaining({
            message: expect.stringMatching(
              /^The sign-up limit could not be checked because the database did not answer, so nothing was done\. Try again in a few seconds\.$/,
            ),
            extensions: { code: "UNAVAILABLE", retryAfterSeconds: 2 },
          }),
        ]);
        expectNoInternals(resolving.text);

        // REST answers in its own shape, with the same code, status and header.
        const rest = await send(outage, {
          path: "/api/v1/send-message",
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
          body: JSON.stringify({ number: "+14155550100", message: "during the outage" }),
        });
        expect(rest.status, rest.text).toBe(503);
        expect(rest.headers.get("retry-after")).toBe("2");
        expect(rest.body).toEqual({
          error: { code: "UNAVAILABLE", message: "The database is not answering; nothing was done. Try again in a few seconds.", retryAfterSeconds: 2 },
        });

        const health = await send(outage, { path: "/healthz" });
        expect(health.status).toBe(503);
        expect(health.body).toMatchObject({ status: "DEGRADED", database: "down", databaseDownSince: expect.any(String), refusedRequests: 3 });
        expect(await metric("switchboard_database_up")).toBe(0);
        expect(await metric("switchboard_database_refused_requests_total")).toBe(refusedBefore + 3);
        // Three refused requests, one log line; no INTERNAL logged for any of them. (The work engine
        // polls in the background and logs its own outage once, as its own component.)
        expect(logged(/^database unavailable$/)).toHaveLength(1);
        expect(
          outage.logs.filter((entry) => (entry.level as number) >= 50 && entry.msg !== "database unavailable" && entry.component !== "work-engine"),
        ).toEqual([]);
      } finally {
        await admin.query(`ALTER DATABASE ${name} CONNECTION LIMIT -1`);
      }

      // Nobody restarts anything: the next request is served.
      const recovered = await eventually(
        () => outage.graphql("{ tenant { id } }", {}, { token: user.token }),
        (result) => result.status === 200 && !result.errors,
      );
      expect(recovered.data?.tenant.id).toBe(user.tenantId);
      const [back, ...again] = await eventually(
        async () => logged(/^database available again/),
        (entries) => entries.length > 0,
      );
      expect(again).toEqual([]);
      expect(back!.msg).toMatch(/^database available again after \d+(\.\d)? s, 3 requests refused$/);
      expect(back).toMatchObject({ refusedRequests: 3, downSeconds: expect.any(Number) });
      expect(logged(/^database unavailable$/)).toHaveLength(1);
      expect(await metric("switchboard_database_up")).toBe(1);
      expect((await send(outage, { path: "/healthz" })).body).toEqual({ status: "OK", database: "up", databaseLatencyMs: expect.any(Number) });
    });
  });

  // PROVIDER_ERROR (a WhatsApp provider refusing or failing a send) belongs to the messaging
  // feature, which does not exist yet: no operation can produce it, so it is not tested here.
});

describe("query limits", () => {
  // Our own types nest at most 3 deep (me > memberships > tenant), so only introspection's
  // `ofType` chain can go deeper. The depth rule (GraphQL Armor) deliberately skips `__schema`,
  // whose standard introspection query (9 nested ofType) GraphiQL and codegen need in development;
  // production turns introspection off altogether (see below). `__type` is not skipped.
  it(`accepts a query ${MAX_DEPTH} deep and refuses one ${MAX_DEPTH + 1} deep`, async () => {
    const atLimit = await api.graphql(typeChain(MAX_DEPTH - 4));
    expect(atLimit.errors).toBeUndefined();
    expect(atLimit.data?.__type.fields.length).toBeGreaterThan(0);

    const tooDeep = await api.graphql(typeChain(MAX_DEPTH - 3));
    expect(tooDeep.status).toBeLessThan(500);
    expect(errorCode(tooDeep)).toBe("BAD_USER_INPUT");
    expect(tooDeep.errors![0]!.message).toMatch(/depth limit of 8/);
    expect(tooDeep.data ?? null).toBeNull();

    const muchDeeper = await api.graphql(typeChain(30));
    expect(errorCode(muchDeeper)).toBe("BAD_USER_INPUT");
  });

  it(`accepts ${MAX_ALIASES} aliases and refuses ${MAX_ALIASES + 1}`, async () => {
    const atLimit = await api.graphql(aliasedHealth(MAX_ALIASES));
    expect(atLimit.errors).toBeUndefined();
    expect(Object.keys(atLimit.data!)).toHaveLength(MAX_ALIASES);

    const tooMany = await api.graphql(aliasedHealth(MAX_ALIASES + 1));
    expect(tooMany.status).toBeLessThan(500);
    expect(errorCode(tooMany)).toBe("BAD_USER_INPUT");
    expect(tooMany.errors![0]!.message).toMatch(/Aliases limit/);
    expect(tooMany.data ?? null).toBeNull();
  });

  it(`accepts a document of ${MAX_TOKENS} tokens and refuses one of ${MAX_TOKENS + 1}`, async () => {
    // 20 tokens around the list, plus one per list item (commas do not count in GraphQL).
    const createKeyWithScopes = (items: number) =>
      `mutation { createApiKey(input: { name: "long list", scopes: [${Array(items).fill("MESSAGES_READ").join(", ")}] }) { secret } }`;

    // At the limit the document is parsed and validated; what answers is the resolver's own input
    // check (a key takes at most 10 scopes), which is proof the token limit let it through.
    const atLimit = await api.graphql(createKeyWithScopes(MAX_TOKENS - 20), {}, { token: owner.token });
    expect(errorCode(atLimit)).toBe("BAD_USER_INPUT");
    expect(atLimit.errors![0]!.extensions!.field).toBe("scopes");

    const tooLong = await api.graphql(createKeyWithScopes(MAX_TOKENS - 19), {}, { token: owner.token });
    expect(tooLong.status).toBe(400);
    expect(errorCode(tooLong)).toBe("BAD_USER_INPUT");
    expect(tooLong.errors![0]!.message).toMatch(/more that 2000 tokens/); // sic, graphql-js's wording
    expect(tooLong.data ?? null).toBeNull();
  });

  it(`refuses a batch of ${MAX_BATCH + 1} operations with HTTP 400, running none of them`, async () => {
    const accounts = Array.from({ length: MAX_BATCH + 1 }, () => newAccount("batched"));
    const response = await postJson(api, JSON.stringify(accounts.map((input) => ({ query: SIGN_UP, variables: { input } }))));
    expect(response.status).toBe(400);
    expectTypedClientError(response);
    expect(response.body.errors[0].message).toMatch(/at most 10 operations/);
    expect(
      await usersWithEmail(
        api,
        accounts.map((account) => account.email),
      ),
    ).toBe(0);
  });

  it("answers a batch of 2 with an array of 2 independent results", async () => {
    const response = await postJson(api, JSON.stringify([{ query: "{ health }" }, { query: "{ tenant { id } }" }]));
    expect(response.status).toBe(200);
    expect(Array.isArray(response.body)).toBe(true);
    expect(response.body).toHaveLength(2);
    expect(response.body[0]).toEqual({ data: { health: "OK" } });
    expect(response.body[1].errors[0].extensions.code).toBe("UNAUTHENTICATED");
  });

  it(`answers a batch of exactly ${MAX_BATCH}`, async () => {
    const response = await postJson(api, JSON.stringify(Array.from({ length: MAX_BATCH }, () => ({ query: "{ health }" }))));
    expect(response.status).toBe(200);
    expect(response.body).toHaveLength(MAX_BATCH);
  });

  describe("body size", () => {
    /** A valid `{ health }` request padded (with an unused variable) to exactly `bytes` bytes. */
    function paddedBody(bytes: number): string {
      const empty = JSON.stringify({ query: "{ health }", variables: { padding: "" } });
      const body = JSON.stringify({ query: "{ health }", variables: { padding: "x".repeat(bytes - empty.length) } });
      expect(Buffer.byteLength(body)).toBe(bytes);
      return body;
    }

    it("accepts a body of exactly 256 KiB", async () => {
      const response = await postJson(api, paddedBody(MAX_BODY_BYTES));
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ data: { health: "OK" } });
    });

    it("refuses a body one byte over 256 KiB with 413 and a JSON error", async () => {
      const response = await postJson(api, paddedBody(MAX_BODY_BYTES + 1));
      expect(response.status).toBe(413);
      expectTypedClientError(response);
      expect(response.body.errors[0].message).toBe(`The request body is larger than ${MAX_BODY_BYTES} bytes.`);
    });

    it("refuses a 10 MB body with 413 and a JSON error", async () => {
      const response = await postJson(api, paddedBody(10 * 1024 * 1024));
      expect(response.status).toBe(413);
      expect(response.body).toMatchObject({ errors: [{ extensions: { code: "BAD_USER_INPUT" } }] });
    });
  });
});

describe("malformed requests", () => {
  const json = { "content-type": "application/json" };
  const cases: [name: string, init: RequestInit][] = [
    ["invalid JSON", { method: "POST", headers: json, body: `{"query": ` }],
    ["a JSON number", { method: "POST", headers: json, body: "42" }],
    ["a JSON string", { method: "POST", headers: json, body: `"x"` }],
    ["JSON null", { method: "POST", headers: json, body: "null" }],
    ["an empty JSON array", { method: "POST", headers: json, body: "[]" }],
    ["an empty body", { method: "POST", headers: json, body: "" }],
    ["no query", { method: "POST", headers: json, body: JSON.stringify({ variables: {} }) }],
    ["a query that is not a string", { method: "POST", headers: json, body: JSON.stringify({ query: 42 }) }],
    ["a GraphQL syntax error", { method: "POST", headers: json, body: JSON.stringify({ query: "{ health " }) }],
    ["variables that are not an object", { method: "POST", headers: json, body: JSON.stringify({ query: "{ health }", variables: "x" }) }],
    ["an unknown operationName", { method: "POST", headers: json, body: JSON.stringify({ query: "query A { health }", operationName: "B" }) }],
    [
      "a variable of the wrong type (email: 123)",
      { method: "POST", headers: json, body: JSON.stringify({ query: SIGN_UP, variables: { input: { ...newAccount("typed"), email: 123 } } }) },
    ],
    [
      "an unknown input field (isAdmin: true)",
      { method: "POST", headers: json, body: JSON.stringify({ query: SIGN_UP, variables: { input: { ...newAccount("admin"), isAdmin: true } } }) },
    ],
    ["a GET without a query", { method: "GET" }],
    [
      "a URL that cannot be decoded (a percent-encoded lone surrogate)",
      { method: "POST", headers: json, body: "{}", path: "/graphql%ED%A0%80" } as RequestInit,
    ],
    ["a GET without a query, past CSRF prevention", { method: "GET", headers: { "apollo-require-preflight": "true" } }],
    ["an unsupported content type", { method: "POST", headers: { "content-type": "application/xml" }, body: "<query>{ health }</query>" }],
  ];

  it.each(cases)("answers %s with a typed 4xx", async (_name, init) => {
    const response = await send(api, init);
    expectTypedClientError(response);
  });

  it("does not create an account from an input with an unknown field", async () => {
    const account = { ...newAccount("admin"), isAdmin: true };
    const result = await api.graphql(SIGN_UP, { input: account });
    expect(result.status).toBe(400);
    expect(errorCode(result)).toBe("BAD_USER_INPUT");
    expect(result.errors![0]!.message).toContain(`Field "isAdmin" is not defined`);
    expect(await usersWithEmail(api, [account.email])).toBe(0);
  });

  it("refuses a 100,000-character company name as BAD_USER_INPUT on companyName", async () => {
    const account = { ...newAccount("long-name"), companyName: "x".repeat(100_000) };
    const result = await api.graphql(SIGN_UP, { input: account });
    expect(result.status).toBeLessThan(500);
    expect(errorCode(result)).toBe("BAD_USER_INPUT");
    expect(result.errors![0]!.extensions!.field).toBe("companyName");
    expect(await usersWithEmail(api, [account.email])).toBe(0);
  });

  it("blocks a text/plain POST as a possible CSRF (400) without running it", async () => {
    const account = newAccount("csrf");
    const response = await send(api, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ query: SIGN_UP, variables: { input: account } }),
    });
    expect(response.status).toBe(400);
    expectTypedClientError(response);
    expect(response.body.errors[0].message).toMatch(/Cross-Site Request Forgery/);
    expect(await usersWithEmail(api, [account.email])).toBe(0);
  });

  it("is still healthy and serving after all of the above", async () => {
    const health = await send(api, { path: "/healthz" });
    expect(health.status).toBe(200);
    const result = await api.graphql(`{ tenant { id } }`, {}, { token: owner.token });
    expect(result.data?.tenant.id).toBe(owner.tenantId);
  });
});

describe("production mode", () => {
  let production: TestApi;
  beforeAll(async () => {
    production = await startTestApi({ env: "production" });
  });
  afterAll(async () => {
    await production?.close();
  });

  it("serves ordinary queries", async () => {
    const result = await production.graphql(`{ health }`);
    expect(result.data).toEqual({ health: "OK" });
  });

  it("refuses introspection", async () => {
    for (const query of [`{ __schema { types { name } } }`, `{ __type(name: "Query") { fields { name } } }`]) {
      const result = await production.graphql(query);
      expect(result.status).toBeLessThan(500);
      expect(errorCode(result)).toBe("BAD_USER_INPUT");
      expect(result.errors![0]!.message).toMatch(/introspection is not allowed/);
      expect(result.data ?? null).toBeNull();
    }
  });

  it("does not suggest field names for a misspelled field", async () => {
    const result = await production.graphql(`{ tenantt { id } }`);
    expect(errorCode(result)).toBe("BAD_USER_INPUT");
    expect(result.errors![0]!.message).toContain(`Cannot query field "tenantt"`);
    expect(result.errors![0]!.message).not.toContain("Did you mean");
    expect(result.errors![0]!.message).not.toContain(`"tenant"`);
  });

  it("does suggest them outside production (test mode)", async () => {
    const result = await api.graphql(`{ tenantt { id } }`);
    expect(errorCode(result)).toBe("BAD_USER_INPUT");
    expect(result.errors![0]!.message).toContain(`Did you mean "tenant"?`);
  });
});

describe("observability", () => {
  it("echoes the client's x-request-id on GraphQL and plain routes", async () => {
    const graphql = await postJson(api, JSON.stringify({ query: "{ health }" }), { "x-request-id": "client-req-42" });
    expect(graphql.headers.get("x-request-id")).toBe("client-req-42");
    const health = await send(api, { path: "/healthz", headers: { "x-request-id": "client-req-43" } });
    expect(health.headers.get("x-request-id")).toBe("client-req-43");
    const failed = await postJson(api, `{"query": `, { "x-request-id": "client-req-44" });
    expect(failed.status).toBe(400);
    expect(failed.headers.get("x-request-id")).toBe("client-req-44");
  });

  it("makes up a request id when the client sends none or an unusable one", async () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    const none = await send(api, { path: "/healthz" });
    expect(none.headers.get("x-request-id")).toMatch(uuid);
    const unusable = await send(api, { path: "/healthz", headers: { "x-request-id": "has spaces <script>" } });
    expect(unusable.headers.get("x-request-id")).toMatch(uuid);
    const tooLong = await send(api, { path: "/healthz", headers: { "x-request-id": "x".repeat(101) } });
    expect(tooLong.headers.get("x-request-id")).toMatch(uuid);
  });
});
