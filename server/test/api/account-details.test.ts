import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, createApiKey, expectData, fromManyAddresses, newAccount, signUp, startTestApi, type SignedUp, type TestApi } from "../support/api.ts";

/** Sign-up, log-in and API-key details beyond accounts.test.ts: names, slugs, tenant order, headers. */
let server: TestApi;
let api: TestApi;
beforeAll(async () => {
  // More sign-ups and log-ins than one address may make: each request comes from an address of its own.
  server = await startTestApi({ environment: { TRUST_PROXY: "true" } });
  api = fromManyAddresses(server);
});
afterAll(() => server?.close());

const LOG_IN = `mutation ($input: LogInInput!) { logIn(input: $input) { user { id } tenant { id } } }`;
const ME = `{ me { memberships { tenant { id } } } }`;
const REMOVE_MEMBER = `mutation ($userId: ID!) { removeTeamMember(userId: $userId) }`;

async function signUpAs(input: { email: string; password: string; companyName: string }) {
  return expectData(await api.graphql(`mutation ($input: SignUpInput!) { signUp(input: $input) { user { id } tenant { id companyName slug } } }`, { input }))
    .signUp as { user: { id: string }; tenant: { id: string; companyName: string; slug: string } };
}

describe("sign-up", () => {
  it("names the tenant after the trimmed company name, and records who created it", async () => {
    const account = newAccount("trimmed");
    const { user, tenant } = await signUpAs({ ...account, companyName: `  ${account.companyName}  ` });
    expect(tenant.companyName).toBe(account.companyName);
    expect(tenant.slug).toBe(account.companyName.toLowerCase().replace(/\s+/g, "-"));
    const audit = await server.database.ownerPool.query("SELECT action, actor, target FROM audit_logs WHERE tenant_id = $1", [tenant.id]);
    expect(audit.rows).toEqual([{ action: "tenant.created", actor: `user:${user.id}`, target: tenant.id }]);
  });

  it("keeps slugs to 60 characters, gives a name without letters or digits a slug all the same, and tells equal names apart by a short suffix", async () => {
    const long = newAccount("long");
    const longName = `${long.companyName} ${"very ".repeat(30)}long`;
    const longTenant = (await signUpAs({ ...long, companyName: longName })).tenant;
    expect(longTenant.companyName).toBe(longName);
    expect(longTenant.slug).toBe(longName.toLowerCase().replace(/\s+/g, "-").slice(0, 60));

    const symbols = (await signUpAs({ ...newAccount("symbols"), companyName: "!!! ???" })).tenant;
    expect(symbols.companyName).toBe("!!! ???");
    expect(symbols.slug).toMatch(/^tenant(-[0-9a-z]{1,6})?$/);

    const first = newAccount("twin");
    const firstSlug = (await signUpAs(first)).tenant.slug;
    const secondSlug = (await signUpAs({ ...newAccount("twin"), companyName: first.companyName })).tenant.slug;
    expect(secondSlug).toMatch(new RegExp(`^${firstSlug}-[0-9a-z]{1,6}$`));
  });
});

describe("log-in", () => {
  it("accepts the email with spaces around it", async () => {
    const account = await signUp(api, "spaces");
    const loggedIn = expectData(await api.graphql(LOG_IN, { input: { email: `  ${account.email.toUpperCase()} `, password: account.password } })).logIn;
    expect(loggedIn).toEqual({ user: { id: account.userId }, tenant: { id: account.tenantId } });
  });

  it("acts for the tenant the account joined first, and me lists tenants in the order joined, whatever the order of their ids or rows on disk", async () => {
    // The other tenant is older (a smaller id) but joined later. Its membership row takes, on disk, the
    // place of one removed before (the table vacuumed as autovacuum would), before the account's own.
    const other = await signUp(api, "order-other-owner");
    const leaver = await addMember(api, other, await signUp(api, "order-leaver"), "MEMBER");
    const person = await signUp(api, "order-person");
    expectData(await api.graphql(REMOVE_MEMBER, { userId: leaver.userId }, { token: other.token }));
    await server.database.ownerPool.query("VACUUM memberships");
    await addMember(api, other, person, "ADMIN");

    const loggedIn = expectData(await api.graphql(LOG_IN, { input: { email: person.email, password: person.password } })).logIn;
    expect(loggedIn.tenant.id).toBe(person.tenantId);
    const me = expectData(await api.graphql(ME, {}, { token: person.token })).me;
    expect(me.memberships.map((membership: { tenant: { id: string } }) => membership.tenant.id)).toEqual([person.tenantId, other.tenantId]);
  });

  it("tells an account that belongs to no tenant any more why it cannot log in", async () => {
    const leaving = await signUp(api, "no-tenant");
    await addMember(api, leaving, await signUp(api, "no-tenant-successor"), "OWNER");
    expect(expectData(await api.graphql(`mutation { leaveTenant }`, {}, { token: leaving.token })).leaveTenant).toBe(true);
    const refused = await api.graphql(LOG_IN, { input: { email: leaving.email, password: leaving.password } });
    expect(refused.errors?.[0]).toMatchObject({
      message: "Your account no longer belongs to any tenant; ask an owner to add you again.",
      extensions: { code: "FORBIDDEN" },
    });
  });
});

describe("an API key with X-Tenant-Id", () => {
  let owner: SignedUp;
  let key: { secret: string };
  beforeAll(async () => {
    owner = await signUp(api, "key-header");
    key = await createApiKey(api, owner, ["TENANT_ADMIN"]);
  });

  it("works when the header names the key's own tenant", async () => {
    expect(expectData(await api.graphql(`{ tenant { id } }`, {}, { token: key.secret, tenantId: owner.tenantId })).tenant).toEqual({ id: owner.tenantId });
  });

  it("is refused, saying why, when the header names another tenant", async () => {
    const other = await signUp(api, "key-header-other");
    const refused = await api.graphql(`{ tenant { id } }`, {}, { token: key.secret, tenantId: other.tenantId });
    expect(refused.errors?.[0]).toMatchObject({
      message: "An API key acts only for its own tenant; drop the X-Tenant-Id header.",
      extensions: { code: "BAD_USER_INPUT", field: "X-Tenant-Id" },
    });
  });
});
