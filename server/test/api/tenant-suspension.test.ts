import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { createApiKey, ensureSandboxWhatsApp, errorCode, expectData, signUp, startTestApi, type SignedUp, type TestApi } from "../support/api.ts";
import { seedTenant, type TenantFixture } from "../support/two-tenants.ts";

const suspend = (pool: { query: (sql: string, values: unknown[]) => Promise<unknown> }, tenantId: string, reason: string | null) =>
  pool.query(
    reason === null
      ? "UPDATE tenants SET active = true, suspension_reason = NULL, suspended_at = NULL WHERE id = $1"
      : "UPDATE tenants SET active = false, suspension_reason = $2, suspended_at = now() WHERE id = $1",
    reason === null ? [tenantId] : [tenantId, reason],
  );

describe("a suspended tenant, through the API", () => {
  let api: TestApi;
  let owner: SignedUp;
  beforeAll(async () => {
    api = await startTestApi();
    owner = await signUp(api, "suspended");
    await ensureSandboxWhatsApp(api, owner);
  });
  afterAll(() => api?.close());

  it("cannot send or use its API keys, still reads its data, and sees why", async () => {
    const sent = expectData(await api.graphql(`mutation { sendMessage(input: { to: "+14155550100", text: "before" }) { id } }`, {}, { token: owner.token }));
    const key = await createApiKey(api, owner, ["MESSAGES_SEND", "MESSAGES_READ"]);

    await suspend(api.database.ownerPool, owner.tenantId, "Unpaid invoice INV-2026-10");

    const refused = await api.graphql(`mutation { sendMessage(input: { to: "+14155550100", text: "after" }) { id } }`, {}, { token: owner.token });
    expect(errorCode(refused)).toBe("FORBIDDEN");
    expect(refused.errors?.[0]?.message).toMatch(/suspended/);
    const byKey = await api.graphql(`{ messages { edges { node { id } } } }`, {}, { token: key.secret });
    expect(errorCode(byKey)).toBe("FORBIDDEN");
    expect(byKey.errors?.[0]?.message).toMatch(/suspended by Switchboard/);
    const rest = await fetch(`${api.url}/api/v1/send-message`, {
      method: "POST",
      headers: { authorization: `Bearer ${key.secret}`, "content-type": "application/json" },
      body: JSON.stringify({ number: "+14155550100", message: "by REST" }),
    });
    expect(rest.status).toBe(403);

    // The team still sees everything, nothing was deleted, and the reason is there.
    const { tenant, messages } = expectData(
      await api.graphql(`{ tenant { active suspension { reason since } } messages { edges { node { id text } } } }`, {}, { token: owner.token }),
    );
    expect(tenant).toEqual({ active: false, suspension: { reason: "Unpaid invoice INV-2026-10", since: expect.any(String) } });
    expect(messages.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([sent.sendMessage.id]);

    // The application itself cannot lift it.
    await expect(
      api.database.db.withTenantSql(owner.tenantId, (client) => client.query("UPDATE tenants SET active = true WHERE id = $1", [owner.tenantId])),
    ).rejects.toThrow(/permission denied/);

    await suspend(api.database.ownerPool, owner.tenantId, null);
    expect(expectData(await api.graphql(`{ tenant { active suspension { reason } } }`, {}, { token: owner.token })).tenant).toEqual({
      active: true,
      suspension: null,
    });
    expect(errorCode(await api.graphql(`mutation { sendMessage(input: { to: "+14155550100", text: "again" }) { id } }`, {}, { token: owner.token }))).toBe(
      "none",
    );
  });
});

describe("a suspended tenant's queued work", () => {
  let database: TestDatabase;
  let suspended: TenantFixture;
  let other: TenantFixture;
  beforeAll(async () => {
    database = await createTestDatabase();
    suspended = await seedTenant(database.owner, "S");
    other = await seedTenant(database.owner, "O");
  });
  afterAll(() => database?.drop());

  const dueTenants = async () => {
    const { rows } = await database.db.backgroundPool.query<{ tenant_id: string }>("SELECT tenant_id FROM jobs_due_keys(100, 0)");
    return rows.map((row) => row.tenant_id);
  };
  const claim = async (fixture: TenantFixture) => {
    const { rows } = await database.db.pool.query<{ job_id: string | null }>("SELECT job_id FROM jobs_claim('send_message', $1, $2, 10, 60000, NULL)", [
      fixture.tenantId,
      fixture.connectionId,
    ]);
    return rows.map((row) => row.job_id).filter(Boolean);
  };

  it("waits untouched while suspended (not polled, not claimed) and is claimed again once reactivated", async () => {
    expect(await dueTenants()).toEqual(expect.arrayContaining([suspended.tenantId, other.tenantId]));
    await suspend(database.ownerPool, suspended.tenantId, "Abuse report under review");

    expect(await dueTenants()).not.toContain(suspended.tenantId);
    expect(await dueTenants()).toContain(other.tenantId);
    // A wake-up for the tenant (an inbound callback records webhook deliveries) claims nothing either.
    expect(await claim(suspended)).toEqual([]);
    const { rows } = await database.ownerPool.query("SELECT locked_until, attempts FROM jobs WHERE tenant_id = $1", [suspended.tenantId]);
    expect(rows).toEqual([{ locked_until: null, attempts: 0 }]);
    expect(await claim(other)).toEqual([other.messageId]);

    await suspend(database.ownerPool, suspended.tenantId, null);
    expect(await dueTenants()).toContain(suspended.tenantId);
    expect(await claim(suspended)).toEqual([suspended.messageId]);
  });
});
