import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey, errorCode, expectData, signUp, startTestApi, type SignedUp, type TestApi } from "../support/api.ts";
import { newStaff, startSession, type Staff } from "./staff.ts";

const SUSPEND = `mutation ($sessionId: ID!, $tenantId: ID!, $reason: String!) {
  suspendTenant(sessionId: $sessionId, tenantId: $tenantId, reason: $reason) { id companyName active suspensionReason suspendedAt } }`;
const REACTIVATE = `mutation ($sessionId: ID!, $tenantId: ID!) { reactivateTenant(sessionId: $sessionId, tenantId: $tenantId) { id active suspensionReason } }`;
const REASON = "Chargeback on invoice INV-2026-10; account on hold until resolved";

let api: TestApi;
let superadmin: Staff;
let support: Staff;
let tenant: SignedUp;
beforeAll(async () => {
  api = await startTestApi();
  superadmin = await newStaff(api, "SUPERADMIN", "superadmin");
  support = await newStaff(api, "SUPPORT", "support");
  tenant = await signUp(api, "to-suspend");
});
afterAll(() => api?.close());

const tenantState = async () =>
  expectData(await api.graphql(`{ tenant { active suspension { reason since } } }`, {}, { token: tenant.token })).tenant as {
    active: boolean;
    suspension: { reason: string; since: string } | null;
  };

describe("suspending a tenant", () => {
  it("a SUPERADMIN suspends with a reason: the tenant's keys stop at once, its team sees why and the access log says who; reactivating undoes it", async () => {
    const key = await createApiKey(api, tenant, ["MESSAGES_READ"]);
    // Used once, so this process has it cached as valid: the suspension must drop that too.
    expect(errorCode(await api.graphql("{ messages { edges { node { id } } } }", {}, { token: key.secret }))).toBe("none");

    const sessionId = await startSession(api, superadmin);
    const suspended = expectData(await api.graphql(SUSPEND, { sessionId, tenantId: tenant.tenantId, reason: REASON }, { token: superadmin.token }));
    expect(suspended.suspendTenant).toMatchObject({ id: tenant.tenantId, active: false, suspensionReason: REASON, suspendedAt: expect.any(String) });

    await expect
      .poll(async () => errorCode(await api.graphql("{ messages { edges { node { id } } } }", {}, { token: key.secret })), { timeout: 5_000 })
      .toBe("FORBIDDEN");
    expect(await tenantState()).toEqual({ active: false, suspension: { reason: REASON, since: suspended.suspendTenant.suspendedAt } });
    const sent = await api.graphql(`mutation { sendMessage(input: { to: "+14155550100", text: "hi" }) { id } }`, {}, { token: tenant.token });
    expect(errorCode(sent)).toBe("FORBIDDEN");

    const { rows } = await api.database.ownerPool.query("SELECT action, staff_email, query FROM support_access_log WHERE tenant_id = $1 ORDER BY created_at", [
      tenant.tenantId,
    ]);
    expect(rows).toEqual([{ action: "SUSPEND_TENANT", staff_email: superadmin.email, query: { reason: REASON } }]);

    const back = expectData(await api.graphql(REACTIVATE, { sessionId, tenantId: tenant.tenantId }, { token: superadmin.token }));
    expect(back.reactivateTenant).toEqual({ id: tenant.tenantId, active: true, suspensionReason: null });
    await expect
      .poll(async () => errorCode(await api.graphql("{ messages { edges { node { id } } } }", {}, { token: key.secret })), { timeout: 5_000 })
      .toBe("none");
    expect(await tenantState()).toEqual({ active: true, suspension: null });
    const log = expectData(await api.graphql("{ supportAccessLog { edges { node { action staffEmail } } } }", {}, { token: tenant.token }));
    expect(log.supportAccessLog.edges.map((edge: { node: { action: string } }) => edge.node.action)).toEqual(["REACTIVATE_TENANT", "SUSPEND_TENANT"]);
  });

  it("is refused to SUPPORT staff, to tenant users and keys, without a live session, and without a reason; nothing changes", async () => {
    const supportSession = await startSession(api, support);
    const bySupport = await api.graphql(SUSPEND, { sessionId: supportSession, tenantId: tenant.tenantId, reason: REASON }, { token: support.token });
    expect(errorCode(bySupport)).toBe("FORBIDDEN");
    expect(bySupport.errors?.[0]?.message).toMatch(/SUPERADMIN/);

    const superSession = await startSession(api, superadmin);
    const byTenant = await api.graphql(SUSPEND, { sessionId: superSession, tenantId: tenant.tenantId, reason: REASON }, { token: tenant.token });
    expect(errorCode(byTenant)).toBe("FORBIDDEN");
    const admin = await createApiKey(api, tenant, ["TENANT_ADMIN"]);
    expect(errorCode(await api.graphql(REACTIVATE, { sessionId: superSession, tenantId: tenant.tenantId }, { token: admin.secret }))).toBe("FORBIDDEN");

    // A session that is not the caller's, and one that ended.
    expect(errorCode(await api.graphql(SUSPEND, { sessionId: supportSession, tenantId: tenant.tenantId, reason: REASON }, { token: superadmin.token }))).toBe(
      "FORBIDDEN",
    );
    await api.database.ownerPool.query("UPDATE support_sessions SET expires_at = now() - interval '1 second' WHERE id = $1", [superSession]);
    expect(errorCode(await api.graphql(SUSPEND, { sessionId: superSession, tenantId: tenant.tenantId, reason: REASON }, { token: superadmin.token }))).toBe(
      "FORBIDDEN",
    );

    const live = await startSession(api, superadmin);
    const short = await api.graphql(SUSPEND, { sessionId: live, tenantId: tenant.tenantId, reason: "because" }, { token: superadmin.token });
    expect(short.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "reason" });
    const unknown = await api.graphql(SUSPEND, { sessionId: live, tenantId: crypto.randomUUID(), reason: REASON }, { token: superadmin.token });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "tenantId" });

    // The database refuses a SUPPORT caller by itself too, whatever the application checks.
    await expect(
      api.database.db.pool.query("SELECT * FROM support_set_tenant_suspension($1, $2, $3, $4)", [supportSession, support.userId, tenant.tenantId, REASON]),
    ).rejects.toThrow(/SUPERADMIN/);
    expect(await tenantState()).toEqual({ active: true, suspension: null });
  });
});

describe("a tenant's statements, for staff", () => {
  it("staff read any tenant's closed months, recorded as VIEW_STATEMENTS in its access log; tenants and sessionless calls are refused", async () => {
    const billed = await signUp(api, "billed");
    await api.database.ownerPool.query(
      `INSERT INTO monthly_statements (tenant_id, month, messages_sent, messages_received, messages_failed, connected_numbers, tier,
                                       plan_price_cents, provider_cost_cents, total_cents)
       VALUES ($1, '2026-10-01', 1500, 20, 2, 1, 'GROWTH', 7900, 500, 8400)`,
      [billed.tenantId],
    );
    const STATEMENTS = `query ($sessionId: ID!, $tenantId: ID!) { supportTenantStatements(sessionId: $sessionId, tenantId: $tenantId) { month messagesSent tier total { amount } } }`;
    const sessionId = await startSession(api, support);
    const read = expectData(await api.graphql(STATEMENTS, { sessionId, tenantId: billed.tenantId }, { token: support.token }));
    expect(read.supportTenantStatements).toEqual([{ month: "2026-10", messagesSent: 1500, tier: "GROWTH", total: { amount: "84.00" } }]);
    const { rows } = await api.database.ownerPool.query("SELECT action, staff_email FROM support_access_log WHERE tenant_id = $1", [billed.tenantId]);
    expect(rows).toEqual([{ action: "VIEW_STATEMENTS", staff_email: support.email }]);

    expect(errorCode(await api.graphql(STATEMENTS, { sessionId, tenantId: billed.tenantId }, { token: billed.token }))).toBe("FORBIDDEN");
    expect(errorCode(await api.graphql(STATEMENTS, { sessionId: crypto.randomUUID(), tenantId: billed.tenantId }, { token: support.token }))).toBe("FORBIDDEN");
    expect(expectData(await api.graphql(STATEMENTS, { sessionId, tenantId: crypto.randomUUID() }, { token: support.token })).supportTenantStatements).toEqual(
      [],
    );
  });
});
