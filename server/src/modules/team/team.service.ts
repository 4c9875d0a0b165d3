import type { Database, TenantTransaction } from "../../db/database.ts";
import { isUuid } from "../../db/database.ts";
import { badInput, conflict, forbidden, notFound } from "../../errors.ts";
import type { MembershipRole } from "../../generated/prisma/enums.ts";
import { normalizeEmail } from "../auth/auth.service.ts";
import type { TenantPrincipal } from "../../graphql/context.ts";
import { actorOf } from "../auth/principal.ts";

const memberInclude = { user: { select: { id: true, email: true, createdAt: true } } } as const;

export function listTeamMembers(db: Database, actor: TenantPrincipal) {
  return db.withTenant(actor.tenantId, (tx) =>
    tx.membership.findMany({ where: { tenantId: actor.tenantId }, include: memberInclude, orderBy: [{ createdAt: "asc" }, { userId: "asc" }] }),
  );
}

/** Owners are managed by owners only; API keys (TENANT_ADMIN) act as an admin. */
function assertMayManage(actor: TenantPrincipal, role: MembershipRole) {
  if (role === "OWNER" && !(actor.kind === "user" && actor.role === "OWNER")) {
    throw forbidden("Only an owner can make someone an owner or change an owner.");
  }
}

/**
 * The friendly, early answer. It reads without a lock, so two owners stepping down at once could both
 * pass it: the database has the last word (memberships_keep_an_owner, checked at COMMIT under a
 * per-tenant lock), and withTenant turns its refusal into the same CONFLICT.
 */
async function assertAnotherOwnerRemains(tx: TenantTransaction, tenantId: string, userId: string) {
  const otherOwners = await tx.membership.count({ where: { tenantId, role: "OWNER", userId: { not: userId } } });
  if (otherOwners === 0) throw conflict("A tenant needs at least one owner: make someone else owner first.");
}

export async function addTeamMember(db: Database, actor: TenantPrincipal, input: { email: string; role: MembershipRole }) {
  assertMayManage(actor, input.role);
  const email = normalizeEmail(input.email);
  const userId = await db.auth.userIdByEmail(email);
  if (!userId) throw notFound(`A Switchboard account for ${email} (ask them to sign up first)`);
  return db.withTenant(actor.tenantId, async (tx) => {
    const existing = await tx.membership.findUnique({ where: { tenantId_userId: { tenantId: actor.tenantId, userId } } });
    if (existing) throw conflict(`${email} is already in this team.`, "email");
    const member = await tx.membership.create({ data: { tenantId: actor.tenantId, userId, role: input.role }, include: memberInclude });
    await tx.auditLog.create({
      data: { tenantId: actor.tenantId, actor: actorOf(actor), action: "team.member_added", target: `user:${userId}`, details: { role: input.role } },
    });
    return member;
  });
}

async function findMember(tx: TenantTransaction, tenantId: string, userId: string) {
  if (!isUuid(userId)) throw badInput("userId", "userId must be a user id.");
  const member = await tx.membership.findUnique({ where: { tenantId_userId: { tenantId, userId } } });
  if (!member) throw notFound("That team member");
  return member;
}

export function changeTeamMemberRole(db: Database, actor: TenantPrincipal, input: { userId: string; role: MembershipRole }) {
  return db.withTenant(actor.tenantId, async (tx) => {
    const member = await findMember(tx, actor.tenantId, input.userId);
    assertMayManage(actor, member.role);
    assertMayManage(actor, input.role);
    if (member.role === "OWNER" && input.role !== "OWNER") await assertAnotherOwnerRemains(tx, actor.tenantId, input.userId);
    const updated = await tx.membership.update({
      where: { tenantId_userId: { tenantId: actor.tenantId, userId: input.userId } },
      data: { role: input.role },
      include: memberInclude,
    });
    await tx.auditLog.create({
      data: { tenantId: actor.tenantId, actor: actorOf(actor), action: "team.role_changed", target: `user:${input.userId}`, details: { from: member.role, to: input.role } },
    });
    return updated;
  });
}

export function removeTeamMember(db: Database, actor: TenantPrincipal, userId: string) {
  return db.withTenant(actor.tenantId, async (tx) => {
    const member = await findMember(tx, actor.tenantId, userId);
    assertMayManage(actor, member.role);
    if (member.role === "OWNER") await assertAnotherOwnerRemains(tx, actor.tenantId, userId);
    await tx.membership.delete({ where: { tenantId_userId: { tenantId: actor.tenantId, userId } } });
    await tx.auditLog.create({ data: { tenantId: actor.tenantId, actor: actorOf(actor), action: "team.member_removed", target: `user:${userId}` } });
    return true;
  });
}
