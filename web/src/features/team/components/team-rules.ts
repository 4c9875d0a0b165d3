import type { MembershipRole } from "../../../graphql/graphql.ts";

export const ROLE_NAMES: Record<MembershipRole, string> = { OWNER: "Owner", ADMIN: "Admin", MEMBER: "Member" };

export const ROLE_DESCRIPTIONS: Record<MembershipRole, string> = {
  OWNER: "Everything an admin may do, and managing owners",
  ADMIN: "Manages the team, API keys, the WhatsApp connection and webhooks",
  MEMBER: "Sends and reads messages, sees the team; manages nothing",
};

export const ALL_ROLES: readonly MembershipRole[] = ["OWNER", "ADMIN", "MEMBER"];

/** Owners and admins manage the team (the "Requires:" of inviteTeamMember, changeTeamMemberRole, removeTeamMember). */
export const mayManageTeam = (role: MembershipRole) => role === "OWNER" || role === "ADMIN";

/** The roles this person may offer in an invitation: only an owner invites an owner. */
export const invitableRoles = (viewerRole: MembershipRole): MembershipRole[] =>
  viewerRole === "OWNER" ? ["OWNER", "ADMIN", "MEMBER"] : viewerRole === "ADMIN" ? ["ADMIN", "MEMBER"] : [];

export type MemberActions = {
  /** The roles the member can be given, their current one included; empty when it cannot be changed. */
  roles: MembershipRole[];
  /** Why the role cannot be changed, in words. */
  roleReason?: string;
  canRemove: boolean;
  removeReason?: string;
};

/**
 * What `viewer` may do to a member, by the rules the API enforces: owners and admins manage the team,
 * only an owner makes or changes owners, and a tenant always keeps an owner.
 */
export function memberActions(viewerRole: MembershipRole, member: { role: MembershipRole; isSelf: boolean }, ownerCount: number): MemberActions {
  if (!mayManageTeam(viewerRole)) {
    const reason = "Only owners and admins change roles or remove people.";
    return { roles: [], roleReason: reason, canRemove: false, removeReason: reason };
  }
  if (member.role === "OWNER" && viewerRole !== "OWNER") {
    const reason = "Only an owner can change or remove an owner.";
    return { roles: [], roleReason: reason, canRemove: false, removeReason: reason };
  }
  if (member.role === "OWNER" && ownerCount <= 1) {
    const reason = "The company always keeps an owner: make someone else owner first.";
    return { roles: [], roleReason: reason, canRemove: false, removeReason: reason };
  }
  const roles = viewerRole === "OWNER" ? [...ALL_ROLES] : (["ADMIN", "MEMBER"] as MembershipRole[]);
  return {
    roles,
    // One's own membership ends by leaving, below the list.
    canRemove: !member.isSelf,
    ...(member.isSelf ? { removeReason: "To take yourself out, leave the company instead." } : {}),
  };
}

/** Whether this person may leave: anyone may, except the last owner. */
export function leaveRule(viewerRole: MembershipRole, ownerCount: number): { canLeave: boolean; reason?: string } {
  if (viewerRole === "OWNER" && ownerCount <= 1) {
    return { canLeave: false, reason: "You are the only owner, and the company always keeps one: make someone else owner first." };
  }
  return { canLeave: true };
}
