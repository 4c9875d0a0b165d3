import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ACCEPT_INVITATION,
  addMember,
  createApiKey,
  errorCode,
  INVITE_MEMBER,
  newAccount,
  SIGN_UP,
  signUp,
  startTestApi,
  type Caller,
  type SignedUp,
  type TestApi,
} from "../support/api.ts";

/**
 * Security review, finding 5: a tenant invites an email; nobody joins a team without accepting, and
 * the answer to an invitation says nothing about whether the email has an account.
 */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

const INVITE_FULL = `mutation ($input: InviteTeamMemberInput!) { inviteTeamMember(input: $input) { __typename id email role status createdAt expiresAt } }`;
const TEAM = `{ teamMembers { role user { id } } }`;
const INVITATIONS = `{ teamInvitations { id email role status } }`;
const MY_INVITATIONS = `{ myInvitations { id companyName role createdAt expiresAt } }`;
const DECLINE = `mutation ($id: ID!) { declineInvitation(id: $id) }`;
const REVOKE = `mutation ($id: ID!) { revokeTeamInvitation(id: $id) { id status } }`;
const LEAVE = `mutation { leaveTenant }`;

const as = (who: { token: string; tenantId?: string }): Caller => ({ token: who.token, tenantId: who.tenantId });
const companyOf = (who: SignedUp) => (who as SignedUp & { companyName: string }).companyName;

async function invite(inviter: Caller, email: string, role = "MEMBER") {
  const result = await api.graphql(INVITE_MEMBER, { input: { email, role } }, inviter);
  if (!result.data?.inviteTeamMember) throw new Error(`inviteTeamMember failed: ${JSON.stringify(result.errors)}`);
  return result.data.inviteTeamMember as { id: string; email: string; role: string; status: string };
}

const memberIds = async (owner: SignedUp) => ((await api.graphql(TEAM, {}, as(owner))).data!.teamMembers as { user: { id: string } }[]).map((m) => m.user.id);
const membershipRows = async (tenantId: string, userId: string) =>
  (await api.database.ownerPool.query("SELECT role FROM memberships WHERE tenant_id = $1 AND user_id = $2", [tenantId, userId])).rows;
const auditActions = async (tenantId: string) =>
  (await api.database.ownerPool.query("SELECT action FROM audit_logs WHERE tenant_id = $1 ORDER BY created_at, id", [tenantId])).rows.map((row) => row.action);

describe("inviting", () => {
  it("answers the same for an email with an account and one without, reveals no account, and adds nobody", async () => {
    const owner = await signUp(api, "enum-owner");
    const registered = await signUp(api, "enum-registered");
    const unregistered = newAccount("enum-nobody").email;

    const forRegistered = await api.graphql(INVITE_FULL, { input: { email: registered.email, role: "MEMBER" } }, as(owner));
    const forUnregistered = await api.graphql(INVITE_FULL, { input: { email: unregistered, role: "MEMBER" } }, as(owner));
    expect(forRegistered.errors).toBeUndefined();
    expect(forUnregistered.errors).toBeUndefined();
    // Same shape and same values, apart from the invitation's own id, the address given and the times.
    const comparable = (result: typeof forRegistered) => {
      const { id, email, createdAt, expiresAt, ...rest } = result.data!.inviteTeamMember;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Date(expiresAt).getTime() - new Date(createdAt).getTime()).toBe(7 * 24 * 3600 * 1000);
      return { keys: Object.keys(result.data!.inviteTeamMember), rest, status: result.status, headers: [...result.headers.keys()].sort() };
    };
    expect(comparable(forRegistered)).toEqual(comparable(forUnregistered));
    expect(forRegistered.data!.inviteTeamMember).toMatchObject({ __typename: "TeamInvitation", email: registered.email, role: "MEMBER", status: "PENDING" });
    expect(JSON.stringify(forRegistered)).not.toContain(registered.userId);
    expect(JSON.stringify(forRegistered)).not.toContain(registered.tenantId);

    // Nobody joined: not in the team, no membership row, no access to the tenant.
    expect(await memberIds(owner)).toEqual([owner.userId]);
    expect(await membershipRows(owner.tenantId, registered.userId)).toEqual([]);
    expect(errorCode(await api.graphql(`{ tenant { id } }`, {}, { token: registered.token, tenantId: owner.tenantId }))).toBe("FORBIDDEN");
    expect((await api.graphql(INVITATIONS, {}, as(owner))).data!.teamInvitations).toEqual([
      { id: forRegistered.data!.inviteTeamMember.id, email: registered.email, role: "MEMBER", status: "PENDING" },
      { id: forUnregistered.data!.inviteTeamMember.id, email: unregistered, role: "MEMBER", status: "PENDING" },
    ]);
    expect(await auditActions(owner.tenantId)).toEqual(["tenant.created", "team.member_invited", "team.member_invited"]);

    // Inviting an open invitation's email again renews that same invitation (new role), adding none.
    const again = await api.graphql(INVITE_FULL, { input: { email: unregistered.toUpperCase(), role: "ADMIN" } }, as(owner));
    expect(again.data!.inviteTeamMember).toMatchObject({
      id: forUnregistered.data!.inviteTeamMember.id,
      email: unregistered,
      role: "ADMIN",
      status: "PENDING",
    });
    expect((await api.graphql(INVITATIONS, {}, as(owner))).data!.teamInvitations).toHaveLength(2);
  });

  it("is for owners, admins and TENANT_ADMIN keys; only an owner invites an owner", async () => {
    const owner = await signUp(api, "perm-owner");
    const admin = await addMember(api, owner, await signUp(api, "perm-admin"), "ADMIN");
    const member = await addMember(api, owner, await signUp(api, "perm-member"), "MEMBER");
    const key = await createApiKey(api, owner, ["TENANT_ADMIN"]);
    const reader = await createApiKey(api, owner, ["MESSAGES_READ"]);

    expect(errorCode(await api.graphql(INVITE_MEMBER, { input: { email: "x1@example.com", role: "MEMBER" } }, as(member)))).toBe("FORBIDDEN");
    expect(errorCode(await api.graphql(INVITATIONS, {}, as(member)))).toBe("FORBIDDEN");
    expect(errorCode(await api.graphql(INVITE_MEMBER, { input: { email: "x2@example.com", role: "MEMBER" } }, { token: reader.secret }))).toBe("FORBIDDEN");
    expect(errorCode(await api.graphql(INVITE_MEMBER, { input: { email: "x3@example.com", role: "OWNER" } }, as(admin)))).toBe("FORBIDDEN");
    expect(errorCode(await api.graphql(INVITE_MEMBER, { input: { email: "x4@example.com", role: "OWNER" } }, { token: key.secret }))).toBe("FORBIDDEN");

    const byKey = await invite({ token: key.secret }, "x5@example.com", "ADMIN");
    const ownerInvite = await invite(as(owner), "x6@example.com", "OWNER");
    expect(errorCode(await api.graphql(REVOKE, { id: ownerInvite.id }, as(admin)))).toBe("FORBIDDEN");
    expect((await api.graphql(REVOKE, { id: byKey.id }, as(admin))).data!.revokeTeamInvitation).toEqual({ id: byKey.id, status: "REVOKED" });
    expect((await api.graphql(INVITATIONS, {}, { token: key.secret })).data!.teamInvitations).toEqual([
      { id: ownerInvite.id, email: "x6@example.com", role: "OWNER", status: "PENDING" },
    ]);
    // The invitee's side is for people, not keys.
    expect(errorCode(await api.graphql(MY_INVITATIONS, {}, { token: key.secret }))).toBe("FORBIDDEN");
    expect(errorCode(await api.graphql(LEAVE, {}, { token: key.secret }))).toBe("FORBIDDEN");
  });

  it("is limited to 20 per hour per tenant", async () => {
    const owner = await signUp(api, "limit-owner");
    for (let n = 1; n <= 20; n++) await invite(as(owner), `limit-${n}-${owner.userId}@example.com`);
    const refused = await api.graphql(INVITE_MEMBER, { input: { email: `limit-21-${owner.userId}@example.com`, role: "MEMBER" } }, as(owner));
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: expect.any(Number) });
    expect(refused.errors![0]!.extensions!.retryAfterSeconds).toBeGreaterThan(0);
    expect((await api.graphql(INVITATIONS, {}, as(owner))).data!.teamInvitations).toHaveLength(20);
  });
});

describe("the invitee", () => {
  it("joins only by accepting, with the invited role, and can then leave", async () => {
    const owner = await signUp(api, "consent-owner");
    const invitee = await signUp(api, "consent-invitee");
    const invitation = await invite(as(owner), invitee.email, "ADMIN");
    expect(await memberIds(owner)).toEqual([owner.userId]);

    const mine = await api.graphql(MY_INVITATIONS, {}, { token: invitee.token });
    expect(mine.data!.myInvitations).toEqual([
      { id: invitation.id, companyName: companyOf(owner), role: "ADMIN", createdAt: expect.any(String), expiresAt: expect.any(String) },
    ]);
    expect(await memberIds(owner)).toEqual([owner.userId]);

    const accepted = await api.graphql(ACCEPT_INVITATION, { id: invitation.id }, { token: invitee.token });
    expect(accepted.data!.acceptInvitation).toEqual({ role: "ADMIN", tenant: { id: owner.tenantId } });
    expect(await memberIds(owner)).toEqual([owner.userId, invitee.userId]);
    expect((await api.graphql(MY_INVITATIONS, {}, { token: invitee.token })).data!.myInvitations).toEqual([]);
    expect((await api.graphql(INVITATIONS, {}, as(owner))).data!.teamInvitations).toEqual([]);
    expect(errorCode(await api.graphql(`{ tenant { id } }`, {}, { token: invitee.token, tenantId: owner.tenantId }))).toBe("none");

    // Accepting twice changes nothing.
    expect(errorCode(await api.graphql(ACCEPT_INVITATION, { id: invitation.id }, { token: invitee.token }))).toBe("CONFLICT");
    expect(await membershipRows(owner.tenantId, invitee.userId)).toEqual([{ role: "ADMIN" }]);

    // Leaving: access ends at once; their own tenant is untouched.
    expect((await api.graphql(LEAVE, {}, { token: invitee.token, tenantId: owner.tenantId })).data).toEqual({ leaveTenant: true });
    expect(errorCode(await api.graphql(`{ tenant { id } }`, {}, { token: invitee.token, tenantId: owner.tenantId }))).toBe("FORBIDDEN");
    expect(await memberIds(owner)).toEqual([owner.userId]);
    expect((await api.graphql(`{ tenant { id } }`, {}, { token: invitee.token })).data).toEqual({ tenant: { id: invitee.tenantId } });
    expect(await auditActions(owner.tenantId)).toEqual(["tenant.created", "team.member_invited", "team.invitation_accepted", "team.member_left"]);
  });

  it("who declines never joins, and cannot accept afterwards", async () => {
    const owner = await signUp(api, "decline-owner");
    const invitee = await signUp(api, "decline-invitee");
    const invitation = await invite(as(owner), invitee.email);
    expect((await api.graphql(DECLINE, { id: invitation.id }, { token: invitee.token })).data).toEqual({ declineInvitation: true });
    expect((await api.graphql(MY_INVITATIONS, {}, { token: invitee.token })).data!.myInvitations).toEqual([]);
    const late = await api.graphql(ACCEPT_INVITATION, { id: invitation.id }, { token: invitee.token });
    expect(late.errors?.[0]).toMatchObject({ extensions: { code: "CONFLICT" }, message: expect.stringMatching(/declined/) });
    expect(errorCode(await api.graphql(DECLINE, { id: invitation.id }, { token: invitee.token }))).toBe("CONFLICT");
    expect(await memberIds(owner)).toEqual([owner.userId]);
    expect((await api.graphql(INVITATIONS, {}, as(owner))).data!.teamInvitations).toEqual([]);
    expect(errorCode(await api.graphql(REVOKE, { id: invitation.id }, as(owner)))).toBe("CONFLICT");
    expect(await auditActions(owner.tenantId)).toEqual(["tenant.created", "team.member_invited", "team.invitation_declined"]);
  });

  it("without an account yet finds the invitation after signing up with that email", async () => {
    const owner = await signUp(api, "later-owner");
    const account = newAccount("later-invitee");
    const invitation = await invite(as(owner), account.email.toUpperCase());
    const signedUp = await api.graphql(SIGN_UP, { input: account });
    const token = signedUp.data!.signUp.token as string;
    expect((await api.graphql(MY_INVITATIONS, {}, { token })).data!.myInvitations).toMatchObject([{ id: invitation.id, companyName: companyOf(owner) }]);
    expect((await api.graphql(ACCEPT_INVITATION, { id: invitation.id }, { token })).data!.acceptInvitation).toEqual({
      role: "MEMBER",
      tenant: { id: owner.tenantId },
    });
  });

  it("cannot use someone else's, an expired or a revoked invitation, and nothing changes", async () => {
    const owner = await signUp(api, "misuse-owner");
    const invitee = await signUp(api, "misuse-invitee");
    const stranger = await signUp(api, "misuse-stranger");

    const forInvitee = await invite(as(owner), invitee.email);
    for (const operation of [ACCEPT_INVITATION, DECLINE]) {
      expect(errorCode(await api.graphql(operation, { id: forInvitee.id }, { token: stranger.token }))).toBe("NOT_FOUND");
    }
    expect((await api.graphql(MY_INVITATIONS, {}, { token: stranger.token })).data!.myInvitations).toEqual([]);
    expect(errorCode(await api.graphql(ACCEPT_INVITATION, { id: crypto.randomUUID() }, { token: invitee.token }))).toBe("NOT_FOUND");
    expect(errorCode(await api.graphql(ACCEPT_INVITATION, { id: "not-an-id" }, { token: invitee.token }))).toBe("BAD_USER_INPUT");

    const expired = await invite(as(owner), stranger.email);
    const moved = await api.database.ownerPool.query("UPDATE team_invitations SET expires_at = now() - interval '1 second' WHERE id = $1", [expired.id]);
    expect(moved.rowCount).toBe(1);
    expect((await api.graphql(MY_INVITATIONS, {}, { token: stranger.token })).data!.myInvitations).toEqual([]);
    const tooLate = await api.graphql(ACCEPT_INVITATION, { id: expired.id }, { token: stranger.token });
    expect(tooLate.errors?.[0]).toMatchObject({ extensions: { code: "CONFLICT" }, message: expect.stringMatching(/expired/) });
    expect((await api.graphql(INVITATIONS, {}, as(owner))).data!.teamInvitations).toContainEqual({
      id: expired.id,
      email: stranger.email,
      role: "MEMBER",
      status: "EXPIRED",
    });

    expect((await api.graphql(REVOKE, { id: forInvitee.id }, as(owner))).data!.revokeTeamInvitation).toEqual({ id: forInvitee.id, status: "REVOKED" });
    expect((await api.graphql(REVOKE, { id: forInvitee.id }, as(owner))).data!.revokeTeamInvitation).toEqual({ id: forInvitee.id, status: "REVOKED" });
    expect((await api.graphql(MY_INVITATIONS, {}, { token: invitee.token })).data!.myInvitations).toEqual([]);
    const withdrawn = await api.graphql(ACCEPT_INVITATION, { id: forInvitee.id }, { token: invitee.token });
    expect(withdrawn.errors?.[0]).toMatchObject({ extensions: { code: "CONFLICT" }, message: expect.stringMatching(/withdrawn/) });

    expect(await memberIds(owner)).toEqual([owner.userId]);
    expect(await auditActions(owner.tenantId)).toEqual(["tenant.created", "team.member_invited", "team.member_invited", "team.invitation_revoked"]);
  });

  it("accepting twice at the same moment creates one membership", async () => {
    const owner = await signUp(api, "race-owner");
    const invitee = await signUp(api, "race-invitee");
    const invitation = await invite(as(owner), invitee.email, "ADMIN");
    const outcomes = (await Promise.all(Array.from({ length: 4 }, () => api.graphql(ACCEPT_INVITATION, { id: invitation.id }, { token: invitee.token })))).map(
      errorCode,
    );
    expect(outcomes.filter((outcome) => outcome === "none")).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome !== "none").every((outcome) => outcome === "CONFLICT")).toBe(true);
    expect(await membershipRows(owner.tenantId, invitee.userId)).toEqual([{ role: "ADMIN" }]);
    expect((await auditActions(owner.tenantId)).filter((action) => action === "team.invitation_accepted")).toHaveLength(1);
  });
});

describe("leaving", () => {
  it("is refused to a tenant's last owner, and allowed once there is another owner", async () => {
    const owner = await signUp(api, "leave-owner");
    const refused = await api.graphql(LEAVE, {}, as(owner));
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: "CONFLICT" }, message: expect.stringMatching(/owner/) });
    expect(errorCode(await api.graphql(`{ tenant { id } }`, {}, as(owner)))).toBe("none");

    const coOwner = await addMember(api, owner, await signUp(api, "leave-co-owner"), "OWNER");
    expect((await api.graphql(LEAVE, {}, as(owner))).data).toEqual({ leaveTenant: true });
    expect(errorCode(await api.graphql(`{ tenant { id } }`, {}, as(owner)))).toBe("FORBIDDEN");
    expect((await api.graphql(TEAM, {}, as(coOwner))).data!.teamMembers).toEqual([{ role: "OWNER", user: { id: coOwner.userId } }]);
    expect(errorCode(await api.graphql(LEAVE, {}, as(coOwner)))).toBe("CONFLICT");
  });
});
