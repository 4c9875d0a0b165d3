import type { Database, TenantTransaction } from "../../db/database.ts";
import { isUuid } from "../../db/database.ts";
import { badInput, conflict, forbidden, notFound } from "../../errors.ts";
import type { MembershipRole } from "../../generated/prisma/enums.ts";
import { Permission } from "../auth/permissions.ts";
import type { TenantPrincipal } from "../auth/principal.ts";
import { actorOf } from "../auth/principal.ts";
import { byId, findById, type NodeSource } from "../relay/node-source.ts";

const memberInclude = { user: { select: { id: true, email: true, createdAt: true } } } as const;

export function listTeamMembers(db: Database, actor: TenantPrincipal) {
  return db.withTenant(actor.tenantId, (tx) =>
    tx.membership.findMany({ where: { tenantId: actor.tenantId }, include: memberInclude, orderBy: [{ createdAt: "asc" }, { userId: "asc" }] }),
  );
}

/** Owners are managed by owners only; API keys (TENANT_ADMIN) act as an admin. */
export function assertMayManage(actor: TenantPrincipal, role: MembershipRole) {
  if (role === "OWNER" && !(actor.kind === "user" && actor.role === "OWNER")) {
    throw forbidden("Only an owner can make someone an owner or change an owner.");
  }
}

/**
 * The friendly, early answer. It reads without a lock, so two owners stepping down at once could both
 * pass it: the database has the last word (memberships_keep_an_owner, checked at COMMIT under a
 * per-tenant lock), and withTenant turns its refusal into the same CONFLICT.
 */
export async function assertAnotherOwnerRemains(tx: TenantTransaction, tenantId: string, userId: string) {
  const otherOwners = await tx.membership.count({ where: { tenantId, role: "OWNER", userId: { not: userId } } });
  if (otherOwners === 0) throw conflict("A tenant needs at least one owner: make someone else owner first.");
}

/**
 * Writes to a membership are guarded by the role the checks above were made against: if it changed or
 * the member left since it was read (a concurrent request), nothing is written and the caller is told.
 */
function assertUnchanged(count: number) {
  if (count === 0) throw conflict("That membership changed a moment ago (another request); reload the team and try again.");
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
    const key = { tenantId: actor.tenantId, userId: input.userId };
    assertUnchanged((await tx.membership.updateMany({ where: { ...key, role: member.role }, data: { role: input.role } })).count);
    const updated = await tx.membership.findUniqueOrThrow({ where: { tenantId_userId: key }, include: memberInclude });
    await tx.auditLog.create({
      data: {
        tenantId: actor.tenantId,
        actor: actorOf(actor),
        action: "team.role_changed",
        target: `user:${input.userId}`,
        details: { from: member.role, to: input.role },
      },
    });
    return updated;
  });
}

export function removeTeamMember(db: Database, actor: TenantPrincipal, userId: string) {
  return db.withTenant(actor.tenantId, async (tx) => {
    const member = await findMember(tx, actor.tenantId, userId);
    assertMayManage(actor, member.role);
    if (member.role === "OWNER") await assertAnotherOwnerRemains(tx, actor.tenantId, userId);
    assertUnchanged((await tx.membership.deleteMany({ where: { tenantId: actor.tenantId, userId, role: member.role } })).count);
    await tx.auditLog.create({ data: { tenantId: actor.tenantId, actor: actorOf(actor), action: "team.member_removed", target: `user:${userId}` } });
    return true;
  });
}

/** The caller leaves the tenant they act for; its last owner cannot (the same rule as above, DB-enforced). */
export function leaveTenant(db: Database, actor: { userId: string; tenantId: string }) {
  return db.withScope({ tenantId: actor.tenantId, userId: actor.userId }, async (tx) => {
    const member = await tx.membership.findUnique({ where: { tenantId_userId: { tenantId: actor.tenantId, userId: actor.userId } } });
    if (!member) throw notFound("Your membership of this tenant");
    if (member.role === "OWNER") await assertAnotherOwnerRemains(tx, actor.tenantId, actor.userId);
    // Whatever the role is by now, leaving is allowed; the database keeps the owner rule.
    const left = await tx.membership.deleteMany({ where: { tenantId: actor.tenantId, userId: actor.userId } });
    if (left.count === 0) throw notFound("Your membership of this tenant");
    await tx.auditLog.create({
      data: {
        tenantId: actor.tenantId,
        actor: `user:${actor.userId}`,
        action: "team.member_left",
        target: `user:${actor.userId}`,
        details: { role: member.role },
      },
    });
    return true;
  });
}

type MemberRow = { id: string; role: MembershipRole; createdAt: Date; userId: string; email: string; userCreatedAt: Date };

/** `node(id:)` for team members: by the membership's id, seen as `teamMembers` shows them. */
export const teamMemberNodes: NodeSource = {
  typename: "TeamMember",
  permission: Permission.TEAM_READ,
  find: findById("memberships"),
  async load(client, tenantId, found) {
    const { rows } = await client.query<MemberRow>(
      `SELECT m.id, m.role, m.created_at AS "createdAt", u.id AS "userId", u.email, u.created_at AS "userCreatedAt"
         FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.tenant_id = $1 AND m.id = ANY ($2::uuid[])`,
      [tenantId, found.map((node) => node.id)],
    );
    return byId(
      rows.map((row) => ({ id: row.id, role: row.role, createdAt: row.createdAt, user: { id: row.userId, email: row.email, createdAt: row.userCreatedAt } })),
    );
  },
};

/** `node(id:)` for users: the team's members (row-level security shows a tenant its members' accounts), as `teamMembers { user }` shows them. */
export const userNodes: NodeSource = {
  typename: "User",
  permission: Permission.TEAM_READ,
  find: findById("memberships", { id: "user_id" }),
  async load(client, tenantId, found) {
    const { rows } = await client.query<{ id: string; email: string; createdAt: Date }>(
      `SELECT u.id, u.email, u.created_at AS "createdAt"
         FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.tenant_id = $1 AND m.user_id = ANY ($2::uuid[])`,
      [tenantId, found.map((node) => node.id)],
    );
    return byId(rows);
  },
};
