import type { Database, ScopedTransaction } from "../../db/database.ts";
import { isUuid } from "../../db/database.ts";
import { isUniqueViolation } from "../../db/prisma-errors.ts";
import { badInput, conflict, notFound } from "../../errors.ts";
import type { MembershipRole } from "../../generated/prisma/enums.ts";
import type { TeamInvitation } from "../../generated/prisma/client.ts";
import { Permission } from "../auth/permissions.ts";
import type { TenantPrincipal } from "../auth/principal.ts";
import { byId, findById, type NodeSource } from "../relay/node-source.ts";
import { normalizeEmail } from "../auth/auth.service.ts";
import { actorOf } from "../auth/principal.ts";
import type { RateLimits } from "../auth/rate-limits.ts";
import { assertMayManage } from "./team.service.ts";
import { InvitationStatus } from "./team.types.ts";

/** How long an invitation can be accepted; inviting the same email again renews it. */
export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** Neither accepted, declined nor revoked (it may have expired). */
const OPEN = { acceptedAt: null, declinedAt: null, revokedAt: null } as const;

function statusOf(invitation: InvitationColumns, now = new Date()): InvitationStatus {
  if (invitation.acceptedAt) return InvitationStatus.ACCEPTED;
  if (invitation.declinedAt) return InvitationStatus.DECLINED;
  if (invitation.revokedAt) return InvitationStatus.REVOKED;
  return invitation.expiresAt > now ? InvitationStatus.PENDING : InvitationStatus.EXPIRED;
}

type InvitationColumns = Pick<TeamInvitation, "id" | "email" | "role" | "createdAt" | "expiresAt" | "acceptedAt" | "declinedAt" | "revokedAt">;

/** What the inviting tenant sees: the same shape whether or not the email has an account. */
const asTeamInvitation = (invitation: InvitationColumns) => ({
  id: invitation.id,
  email: invitation.email,
  role: invitation.role,
  status: statusOf(invitation),
  createdAt: invitation.createdAt,
  expiresAt: invitation.expiresAt,
});

/**
 * Invites an email to the team. It never looks at accounts: the answer, and the work behind it, are
 * the same whether or not someone has signed up with that email. Only membership of the caller's own
 * tenant is checked (they can list their team anyway). Inviting an email with an open invitation
 * renews that invitation (new role and expiry) instead of adding another.
 */
export async function inviteTeamMember(db: Database, limits: RateLimits, actor: TenantPrincipal, input: { email: string; role: MembershipRole }) {
  assertMayManage(actor, input.role);
  await limits.teamInvitation(actor.tenantId);
  const email = normalizeEmail(input.email);
  const invite = () =>
    db.withTenant(actor.tenantId, async (tx) => {
      const member = await tx.membership.findFirst({ where: { tenantId: actor.tenantId, user: { email } }, select: { userId: true } });
      if (member) throw conflict(`${email} is already in this team.`, "email");
      const now = new Date();
      const expiresAt = new Date(now.getTime() + INVITATION_LIFETIME_MS);
      const open = await tx.teamInvitation.findFirst({ where: { tenantId: actor.tenantId, email, ...OPEN } });
      if (open) assertMayManage(actor, open.role);
      const invitation = open
        ? await tx.teamInvitation.update({
            where: { tenantId_id: { tenantId: actor.tenantId, id: open.id } },
            data: { role: input.role, invitedBy: actorOf(actor), expiresAt },
          })
        : await tx.teamInvitation.create({ data: { tenantId: actor.tenantId, email, role: input.role, invitedBy: actorOf(actor), createdAt: now, expiresAt } });
      await tx.auditLog.create({
        data: {
          tenantId: actor.tenantId,
          actor: actorOf(actor),
          action: "team.member_invited",
          target: `invitation:${invitation.id}`,
          details: { email, role: input.role, renewed: Boolean(open) },
        },
      });
      return asTeamInvitation(invitation);
    });
  try {
    return await invite();
  } catch (error) {
    // The same email invited twice at the same moment: the other call's invitation exists now; renew it.
    if (isUniqueViolation(error)) return invite();
    throw error;
  }
}

export function listTeamInvitations(db: Database, actor: TenantPrincipal) {
  return db.withTenant(actor.tenantId, async (tx) => {
    const invitations = await tx.teamInvitation.findMany({
      where: { tenantId: actor.tenantId, ...OPEN },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    return invitations.map(asTeamInvitation);
  });
}

/** `node(id:)` for invitations: any of the tenant's, answered or not (its status says which). */
export const teamInvitationNodes: NodeSource = {
  typename: "TeamInvitation",
  permission: Permission.TEAM_MANAGE,
  find: findById("team_invitations"),
  async load(client, tenantId, found) {
    const { rows } = await client.query<InvitationColumns>(
      `SELECT id, email, role, created_at AS "createdAt", expires_at AS "expiresAt", accepted_at AS "acceptedAt", declined_at AS "declinedAt",
              revoked_at AS "revokedAt"
         FROM team_invitations WHERE tenant_id = $1 AND id = ANY ($2::uuid[])`,
      [tenantId, found.map((node) => node.id)],
    );
    return byId(rows.map(asTeamInvitation));
  },
};

function checkInvitationId(id: string) {
  if (!isUuid(id)) throw badInput("id", "id must be an invitation id.");
}

export function revokeTeamInvitation(db: Database, actor: TenantPrincipal, id: string) {
  checkInvitationId(id);
  return db.withTenant(actor.tenantId, async (tx) => {
    const invitation = await tx.teamInvitation.findUnique({ where: { tenantId_id: { tenantId: actor.tenantId, id } } });
    if (!invitation) throw notFound("That invitation");
    assertMayManage(actor, invitation.role);
    if (invitation.revokedAt) return asTeamInvitation(invitation);
    if (invitation.acceptedAt) throw conflict("That invitation was accepted already: remove the member instead.");
    if (invitation.declinedAt) throw conflict("That invitation was declined already.");
    const revokedAt = new Date();
    const revoked = await tx.teamInvitation.updateMany({ where: { tenantId: actor.tenantId, id, ...OPEN }, data: { revokedAt } });
    if (revoked.count === 0) throw conflict("That invitation was answered a moment ago; reload to see how.");
    await tx.auditLog.create({
      data: {
        tenantId: actor.tenantId,
        actor: actorOf(actor),
        action: "team.invitation_revoked",
        target: `invitation:${id}`,
        details: { email: invitation.email },
      },
    });
    return asTeamInvitation({ ...invitation, revokedAt });
  });
}

const emailOf = async (tx: ScopedTransaction, userId: string) => (await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } })).email;

/** Open, unexpired invitations to the caller's email, with the inviting company's name. */
export function listMyInvitations(db: Database, userId: string) {
  return db.withUser(userId, async (tx) => {
    const email = await emailOf(tx, userId);
    const invitations = await tx.teamInvitation.findMany({
      where: { email, ...OPEN, expiresAt: { gt: new Date() } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    // Readable through the invitee_tenant_read policy while the invitation is open.
    const tenants = await tx.tenant.findMany({
      where: { id: { in: invitations.map((invitation) => invitation.tenantId) } },
      select: { id: true, companyName: true },
    });
    const companyNames = new Map(tenants.map((tenant) => [tenant.id, tenant.companyName]));
    return invitations
      .filter((invitation) => companyNames.has(invitation.tenantId))
      .map((invitation) => ({
        id: invitation.id,
        companyName: companyNames.get(invitation.tenantId)!,
        role: invitation.role,
        createdAt: invitation.createdAt,
        expiresAt: invitation.expiresAt,
      }));
  });
}

/**
 * The invitee's answer, in the inviting tenant's scope: finds the invitation (one addressed to the
 * caller's email, through the invitee_read policy), then, acting for that tenant and the caller, claims
 * it with a guarded update (of two concurrent answers only one matches) and runs `then` in the same
 * transaction.
 */
async function answerInvitation<T>(
  db: Database,
  userId: string,
  id: string,
  answer: { acceptedAt: Date } | { declinedAt: Date },
  then: (tx: ScopedTransaction, invitation: TeamInvitation) => Promise<T>,
): Promise<T> {
  checkInvitationId(id);
  const found = await db.withUser(userId, async (tx) =>
    tx.teamInvitation.findFirst({ where: { id, email: await emailOf(tx, userId) }, select: { tenantId: true, email: true } }),
  );
  if (!found) throw notFound("That invitation");
  const { email } = found;
  return db.withScope({ tenantId: found.tenantId, userId }, async (tx) => {
    const invitation = await tx.teamInvitation.findFirst({ where: { tenantId: found.tenantId, id, email } });
    if (!invitation) throw notFound("That invitation");
    const status = statusOf(invitation);
    if (status === InvitationStatus.ACCEPTED) throw conflict("You accepted this invitation already.");
    if (status === InvitationStatus.DECLINED) throw conflict("You declined this invitation; ask the team for a new one.");
    if (status === InvitationStatus.REVOKED) throw conflict("This invitation was withdrawn by the team.");
    if (status === InvitationStatus.EXPIRED) throw conflict("This invitation has expired; ask the team for a new one.");
    const claimed = await tx.teamInvitation.updateMany({
      where: { tenantId: found.tenantId, id, email, ...OPEN, expiresAt: { gt: new Date() } },
      data: answer,
    });
    if (claimed.count === 0) throw conflict("This invitation was answered or withdrawn a moment ago.");
    return then(tx, invitation);
  });
}

/** Joins the team with the invited role; returns the new membership. */
export function acceptInvitation(db: Database, userId: string, id: string) {
  return answerInvitation(db, userId, id, { acceptedAt: new Date() }, async (tx, invitation) => {
    const key = { tenantId_userId: { tenantId: invitation.tenantId, userId } };
    if (await tx.membership.findUnique({ where: key })) throw conflict("You are in this team already.");
    const membership = await tx.membership.create({ data: { tenantId: invitation.tenantId, userId, role: invitation.role }, include: { tenant: true } });
    await tx.auditLog.create({
      data: {
        tenantId: invitation.tenantId,
        actor: `user:${userId}`,
        action: "team.invitation_accepted",
        target: `invitation:${invitation.id}`,
        details: { userId, role: invitation.role },
      },
    });
    return membership;
  });
}

export function declineInvitation(db: Database, userId: string, id: string) {
  return answerInvitation(db, userId, id, { declinedAt: new Date() }, async (tx, invitation) => {
    await tx.auditLog.create({
      data: { tenantId: invitation.tenantId, actor: `user:${userId}`, action: "team.invitation_declined", target: `invitation:${invitation.id}` },
    });
    return true;
  });
}
