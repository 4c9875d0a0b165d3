import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ACCEPT_INVITATION,
  addMember,
  expectData,
  fromManyAddresses,
  invite,
  INVITE_MEMBER,
  signUp,
  startTestApi,
  type SignedUp,
  type TestApi,
} from "../support/api.ts";
import { racedBy } from "../support/interleave.ts";

/**
 * What people are told about invitations, what the audit trail records, the order of the invitee's
 * list, and answers that lose to a concurrent request (beyond the rules in team-invitations.test.ts).
 */
let api: TestApi;
let server: TestApi;
beforeAll(async () => {
  // More sign-ups than one address may make in an hour: each request comes from an address of its own.
  server = await startTestApi({ environment: { TRUST_PROXY: "true" } });
  api = fromManyAddresses(server);
});
afterAll(() => server?.close());

const INVITATIONS = `{ teamInvitations { id email role status } }`;
const MY_INVITATIONS = `{ myInvitations { id companyName role } }`;
const DECLINE = `mutation ($id: ID!) { declineInvitation(id: $id) }`;
const REVOKE = `mutation ($id: ID!) { revokeTeamInvitation(id: $id) { id status } }`;

const owns = (who: SignedUp) => ({ token: who.token, tenantId: who.tenantId });
const companyOf = (who: SignedUp) => (who as SignedUp & { companyName: string }).companyName;
const teamAudit = async (tenantId: string) =>
  (
    await api.database.ownerPool.query(
      "SELECT action, actor, target, details FROM audit_logs WHERE tenant_id = $1 AND action LIKE 'team.%' ORDER BY created_at, id",
      [tenantId],
    )
  ).rows;
const membershipRows = async (tenantId: string, userId: string) =>
  (await api.database.ownerPool.query("SELECT role FROM memberships WHERE tenant_id = $1 AND user_id = $2", [tenantId, userId])).rows;
const invitationRow = async (id: string) =>
  (await api.database.ownerPool.query("SELECT role, accepted_at, revoked_at FROM team_invitations WHERE id = $1", [id])).rows[0];

describe("what an invitation's answers say", () => {
  it("names the person already in the team, and refuses ids that are not invitation ids or are unknown", async () => {
    const owner = await signUp(api, "says-owner");
    const member = await addMember(api, owner, await signUp(api, "says-member"), "MEMBER");
    const again = await api.graphql(INVITE_MEMBER, { input: { email: member.email.toUpperCase(), role: "ADMIN" } }, owns(owner));
    expect(again.errors?.[0]).toMatchObject({ message: `${member.email} is already in this team.`, extensions: { code: "CONFLICT", field: "email" } });

    const invitee = await signUp(api, "says-invitee");
    for (const [operation, caller] of [
      [REVOKE, owns(owner)],
      [ACCEPT_INVITATION, { token: invitee.token }],
      [DECLINE, { token: invitee.token }],
    ] as const) {
      const notAnId = await api.graphql(operation, { id: "not-an-id" }, caller);
      expect(notAnId.errors?.[0]).toMatchObject({ message: "id must be an invitation id.", extensions: { code: "BAD_USER_INPUT", field: "id" } });
      const unknown = await api.graphql(operation, { id: crypto.randomUUID() }, caller);
      expect(unknown.errors?.[0]).toMatchObject({ message: "That invitation was not found.", extensions: { code: "NOT_FOUND" } });
    }
  });

  it("tells the invitee which answer was given already, and the team why an answered invitation cannot be revoked", async () => {
    const owner = await signUp(api, "answered-owner");
    const accepting = await signUp(api, "answered-accepting");
    const declining = await signUp(api, "answered-declining");
    const revoked = await signUp(api, "answered-revoked");
    const accepted = await addMember(api, owner, accepting, "MEMBER");
    const declined = await invite(api, owns(owner), declining.email, "MEMBER");
    expect(expectData(await api.graphql(DECLINE, { id: declined }, { token: declining.token })).declineInvitation).toBe(true);
    const withdrawn = await invite(api, owns(owner), revoked.email, "MEMBER");
    expect(expectData(await api.graphql(REVOKE, { id: withdrawn }, owns(owner))).revokeTeamInvitation).toEqual({ id: withdrawn, status: "REVOKED" });

    const conflict = (message: string) => ({ message, extensions: { code: "CONFLICT" } });
    expect((await api.graphql(ACCEPT_INVITATION, { id: accepted.invitationId }, { token: accepting.token })).errors?.[0]).toMatchObject(
      conflict("You accepted this invitation already."),
    );
    expect((await api.graphql(ACCEPT_INVITATION, { id: declined }, { token: declining.token })).errors?.[0]).toMatchObject(
      conflict("You declined this invitation; ask the team for a new one."),
    );
    expect((await api.graphql(ACCEPT_INVITATION, { id: withdrawn }, { token: revoked.token })).errors?.[0]).toMatchObject(
      conflict("This invitation was withdrawn by the team."),
    );
    expect((await api.graphql(REVOKE, { id: accepted.invitationId }, owns(owner))).errors?.[0]).toMatchObject(
      conflict("That invitation was accepted already: remove the member instead."),
    );
    expect((await api.graphql(REVOKE, { id: declined }, owns(owner))).errors?.[0]).toMatchObject(conflict("That invitation was declined already."));
  });

  it("tells someone who is in the team already, and leaves their role as it is", async () => {
    const owner = await signUp(api, "already-owner");
    const invitee = await signUp(api, "already-invitee");
    const invitation = await invite(api, owns(owner), invitee.email, "OWNER");
    // Set-up past the API: they joined by another way meanwhile (as an admin).
    await api.database.ownerPool.query("INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, 'ADMIN')", [owner.tenantId, invitee.userId]);
    const accepted = await api.graphql(ACCEPT_INVITATION, { id: invitation }, { token: invitee.token });
    expect(accepted.errors?.[0]).toMatchObject({ message: "You are in this team already.", extensions: { code: "CONFLICT" } });
    expect(await membershipRows(owner.tenantId, invitee.userId)).toEqual([{ role: "ADMIN" }]);
  });
});

describe("accepting an invitation", () => {
  it("answers that invitation only: the team's other invitations stay open", async () => {
    const owner = await signUp(api, "only-owner");
    const first = await signUp(api, "only-first");
    const second = await signUp(api, "only-second");
    const forFirst = await invite(api, owns(owner), first.email, "MEMBER");
    const forSecond = await invite(api, owns(owner), second.email, "ADMIN");
    expectData(await api.graphql(ACCEPT_INVITATION, { id: forFirst }, { token: first.token }));
    expect(expectData(await api.graphql(INVITATIONS, {}, owns(owner))).teamInvitations).toEqual([
      { id: forSecond, email: second.email, role: "ADMIN", status: "PENDING" },
    ]);
    expect(expectData(await api.graphql(ACCEPT_INVITATION, { id: forSecond }, { token: second.token })).acceptInvitation).toEqual({
      role: "ADMIN",
      tenant: { id: owner.tenantId },
    });
  });
});

describe("the audit trail", () => {
  it("records who invited, renewed, revoked, accepted and declined, which invitation, and the email and role", async () => {
    const owner = await signUp(api, "audit-owner");
    const joining = await signUp(api, "audit-joining");
    const declining = await signUp(api, "audit-declining");
    const dropped = await signUp(api, "audit-dropped");

    const forJoining = await invite(api, owns(owner), joining.email, "MEMBER");
    expect(await invite(api, owns(owner), joining.email, "ADMIN")).toBe(forJoining);
    expectData(await api.graphql(ACCEPT_INVITATION, { id: forJoining }, { token: joining.token }));
    const forDeclining = await invite(api, owns(owner), declining.email, "MEMBER");
    expectData(await api.graphql(DECLINE, { id: forDeclining }, { token: declining.token }));
    const forDropped = await invite(api, owns(owner), dropped.email, "MEMBER");
    expectData(await api.graphql(REVOKE, { id: forDropped }, owns(owner)));

    const ownerActor = `user:${owner.userId}`;
    expect(await teamAudit(owner.tenantId)).toEqual([
      {
        action: "team.member_invited",
        actor: ownerActor,
        target: `invitation:${forJoining}`,
        details: { email: joining.email, role: "MEMBER", renewed: false },
      },
      { action: "team.member_invited", actor: ownerActor, target: `invitation:${forJoining}`, details: { email: joining.email, role: "ADMIN", renewed: true } },
      {
        action: "team.invitation_accepted",
        actor: `user:${joining.userId}`,
        target: `invitation:${forJoining}`,
        details: { userId: joining.userId, role: "ADMIN" },
      },
      {
        action: "team.member_invited",
        actor: ownerActor,
        target: `invitation:${forDeclining}`,
        details: { email: declining.email, role: "MEMBER", renewed: false },
      },
      { action: "team.invitation_declined", actor: `user:${declining.userId}`, target: `invitation:${forDeclining}`, details: null },
      {
        action: "team.member_invited",
        actor: ownerActor,
        target: `invitation:${forDropped}`,
        details: { email: dropped.email, role: "MEMBER", renewed: false },
      },
      { action: "team.invitation_revoked", actor: ownerActor, target: `invitation:${forDropped}`, details: { email: dropped.email } },
    ]);
  });
});

describe("the invitee's list", () => {
  it("is in the order the invitations were made, whatever the order of the tenants or of the rows on disk", async () => {
    const laterInviter = await signUp(api, "list-later-inviter");
    const firstInviter = await signUp(api, "list-first-inviter");
    const elsewhere = await signUp(api, "list-elsewhere");
    const invitee = await signUp(api, "list-invitee");
    // A row that goes before the first invitation on disk and is then removed (its tenant deleted, say);
    // once the table is vacuumed (as autovacuum would), the later invitation takes its place.
    const placeholder = await invite(api, owns(elsewhere), `placeholder-${elsewhere.userId}@example.com`, "MEMBER");
    const first = await invite(api, owns(firstInviter), invitee.email, "ADMIN");
    await api.database.ownerPool.query("DELETE FROM team_invitations WHERE id = $1", [placeholder]);
    await api.database.ownerPool.query("VACUUM team_invitations");
    const later = await invite(api, owns(laterInviter), invitee.email, "MEMBER");
    expect(expectData(await api.graphql(MY_INVITATIONS, {}, { token: invitee.token })).myInvitations).toEqual([
      { id: first, companyName: companyOf(firstInviter), role: "ADMIN" },
      { id: later, companyName: companyOf(laterInviter), role: "MEMBER" },
    ]);
  });
});

describe("an invitation answer that loses to a concurrent request", () => {
  it("inviting an email the same moment as another request renews the invitation that request made", async () => {
    const owner = await signUp(api, "same-moment-owner");
    const email = `same-moment-${owner.userId}@example.com`;
    const other = crypto.randomUUID();
    const invited = await racedBy(
      api,
      {
        sql: "INSERT INTO team_invitations (tenant_id, id, email, role, invited_by, expires_at) VALUES ($1, $2, $3, 'MEMBER', $4, now() + interval '7 days')",
        params: [owner.tenantId, other, email, `user:${owner.userId}`],
      },
      () => api.graphql(INVITE_MEMBER, { input: { email, role: "ADMIN" } }, owns(owner)),
    );
    expect(invited.errors).toBeUndefined();
    expect(invited.data!.inviteTeamMember).toEqual({ id: other, email, role: "ADMIN", status: "PENDING" });
    expect(expectData(await api.graphql(INVITATIONS, {}, owns(owner))).teamInvitations).toEqual([{ id: other, email, role: "ADMIN", status: "PENDING" }]);
  });

  it("revoking an invitation accepted meanwhile is refused, and the acceptance stands", async () => {
    const owner = await signUp(api, "late-revoke-owner");
    const invitee = await signUp(api, "late-revoke-invitee");
    const invitation = await invite(api, owns(owner), invitee.email, "MEMBER");
    const revoked = await racedBy(
      api,
      { sql: "UPDATE team_invitations SET accepted_at = now() WHERE tenant_id = $1 AND id = $2", params: [owner.tenantId, invitation] },
      () => api.graphql(REVOKE, { id: invitation }, owns(owner)),
    );
    expect(revoked.errors?.[0]).toMatchObject({ message: "That invitation was answered a moment ago; reload to see how.", extensions: { code: "CONFLICT" } });
    expect(await invitationRow(invitation)).toMatchObject({ accepted_at: expect.any(Date), revoked_at: null });
    expect((await teamAudit(owner.tenantId)).map((entry) => entry.action)).not.toContain("team.invitation_revoked");
  });

  it("accepting an invitation the team withdrew meanwhile is refused, and nobody joins", async () => {
    const owner = await signUp(api, "late-accept-owner");
    const invitee = await signUp(api, "late-accept-invitee");
    const invitation = await invite(api, owns(owner), invitee.email, "ADMIN");
    const accepted = await racedBy(
      api,
      { sql: "UPDATE team_invitations SET revoked_at = now() WHERE tenant_id = $1 AND id = $2", params: [owner.tenantId, invitation] },
      () => api.graphql(ACCEPT_INVITATION, { id: invitation }, { token: invitee.token }),
    );
    expect(accepted.errors?.[0]).toMatchObject({ message: "This invitation was answered or withdrawn a moment ago.", extensions: { code: "CONFLICT" } });
    expect(await membershipRows(owner.tenantId, invitee.userId)).toEqual([]);
    expect(await invitationRow(invitation)).toMatchObject({ accepted_at: null, revoked_at: expect.any(Date) });
  });
});
