import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { seedTenant, type TenantFixture } from "../support/two-tenants.ts";

/**
 * The database itself keeps an owner in every tenant (the memberships_keep_an_owner constraint
 * trigger), checked at COMMIT, and the server reports a violation as a CONFLICT.
 */
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const owners = async (tenantId: string) =>
  (await database.ownerPool.query("SELECT user_id FROM memberships WHERE tenant_id = $1 AND role = 'OWNER'", [tenantId])).rows.map((row) => row.user_id);

async function tenantWithSecondUser(label: string): Promise<TenantFixture & { secondUserId: string }> {
  const tenant = await seedTenant(database.owner, label);
  const second = await database.owner.user.create({ data: { email: `second-${label}-${Date.now()}@example.com`, passwordHash: "argon2id-placeholder" } });
  await database.owner.membership.create({ data: { tenantId: tenant.tenantId, userId: second.id, role: "ADMIN" } });
  return { ...tenant, secondUserId: second.id };
}

describe("a tenant's last owner", () => {
  it("cannot be demoted, even past the service: the error raised at COMMIT arrives as a CONFLICT", async () => {
    const tenant = await tenantWithSecondUser("demote");
    const attempt = database.db.withTenant(tenant.tenantId, (tx) =>
      tx.membership.update({ where: { tenantId_userId: { tenantId: tenant.tenantId, userId: tenant.userId } }, data: { role: "ADMIN" } }),
    );
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/owner/) });
    expect(await owners(tenant.tenantId)).toEqual([tenant.userId]);
  });

  it("cannot be removed, and nothing else of that transaction is kept", async () => {
    const tenant = await tenantWithSecondUser("remove");
    const attempt = database.db.withTenant(tenant.tenantId, async (tx) => {
      await tx.membership.delete({ where: { tenantId_userId: { tenantId: tenant.tenantId, userId: tenant.userId } } });
      await tx.auditLog.create({ data: { tenantId: tenant.tenantId, actor: "system:test", action: "test.should_not_stay" } });
    });
    await expect(attempt).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await owners(tenant.tenantId)).toEqual([tenant.userId]);
    const { rows } = await database.ownerPool.query("SELECT 1 FROM audit_logs WHERE tenant_id = $1 AND action = 'test.should_not_stay'", [tenant.tenantId]);
    expect(rows).toEqual([]);
  });

  it("cannot be removed through the raw SQL path either, with the same CONFLICT", async () => {
    const tenant = await tenantWithSecondUser("raw");
    const attempt = database.db.withTenantSql(tenant.tenantId, (client) =>
      client.query("DELETE FROM memberships WHERE tenant_id = $1 AND user_id = $2", [tenant.tenantId, tenant.userId]),
    );
    await expect(attempt).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await owners(tenant.tenantId)).toEqual([tenant.userId]);
  });

  it("can hand over within one transaction, in either order (the check runs at COMMIT)", async () => {
    const tenant = await tenantWithSecondUser("handover");
    const key = (userId: string) => ({ tenantId_userId: { tenantId: tenant.tenantId, userId } });
    await database.db.withTenant(tenant.tenantId, async (tx) => {
      await tx.membership.update({ where: key(tenant.userId), data: { role: "MEMBER" } });
      await tx.membership.update({ where: key(tenant.secondUserId), data: { role: "OWNER" } });
    });
    expect(await owners(tenant.tenantId)).toEqual([tenant.secondUserId]);
  });

  it("does not stand in the way of deleting the whole tenant", async () => {
    const tenant = await tenantWithSecondUser("deleted");
    await database.ownerPool.query("DELETE FROM tenants WHERE id = $1", [tenant.tenantId]);
    const { rows } = await database.ownerPool.query("SELECT 1 FROM memberships WHERE tenant_id = $1", [tenant.tenantId]);
    expect(rows).toEqual([]);
  });

  it("is checked for each tenant on its own: another tenant's owner changes are not blocked", async () => {
    const a = await tenantWithSecondUser("own-a");
    const b = await tenantWithSecondUser("own-b");
    await database.db.withTenant(b.tenantId, (tx) =>
      tx.membership.update({ where: { tenantId_userId: { tenantId: b.tenantId, userId: b.secondUserId } }, data: { role: "OWNER" } }),
    );
    await database.db.withTenant(b.tenantId, (tx) =>
      tx.membership.update({ where: { tenantId_userId: { tenantId: b.tenantId, userId: b.userId } }, data: { role: "ADMIN" } }),
    );
    expect(await owners(a.tenantId)).toEqual([a.userId]);
    expect(await owners(b.tenantId)).toEqual([b.secondUserId]);
  });
});
