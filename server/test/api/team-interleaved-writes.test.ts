import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, expectData, signUp, startTestApi, type TestApi } from "../support/api.ts";
import { racedBy } from "../support/interleave.ts";

/**
 * A team write that loses to another request: the membership it read changes or goes before its own
 * write lands. The other request is played by a transaction that holds the row's lock; the API call
 * reads the row, waits on that lock, and is let go once the other write commits.
 */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

const TEAM = `{ teamMembers { role user { id } } }`;
const CHANGE_ROLE = `mutation ($input: ChangeTeamMemberRoleInput!) { changeTeamMemberRole(input: $input) { role } }`;
const REMOVE_MEMBER = `mutation ($userId: ID!) { removeTeamMember(userId: $userId) }`;
const LEAVE = `mutation { leaveTenant }`;

const membershipRole = async (tenantId: string, userId: string) =>
  (await api.database.ownerPool.query("SELECT role FROM memberships WHERE tenant_id = $1 AND user_id = $2", [tenantId, userId])).rows[0]?.role;
const auditActions = async (tenantId: string) =>
  (await api.database.ownerPool.query("SELECT action FROM audit_logs WHERE tenant_id = $1 ORDER BY created_at, id", [tenantId])).rows.map((row) => row.action);

const LOST_WRITE = { message: "That membership changed a moment ago (another request); reload the team and try again.", extensions: { code: "CONFLICT" } };

describe("a team write that loses to a concurrent one", () => {
  it("changing a role whose role another request changed meanwhile is refused, and the other write stands", async () => {
    const owner = await signUp(api, "lost-change-owner");
    const member = await addMember(api, owner, await signUp(api, "lost-change-member"), "MEMBER");
    const result = await racedBy(
      api,
      { sql: "UPDATE memberships SET role = 'ADMIN' WHERE tenant_id = $1 AND user_id = $2", params: [owner.tenantId, member.userId] },
      () => api.graphql(CHANGE_ROLE, { input: { userId: member.userId, role: "OWNER" } }, { token: owner.token }),
    );
    expect(result.errors?.[0]).toMatchObject(LOST_WRITE);
    expect(await membershipRole(owner.tenantId, member.userId)).toBe("ADMIN");
    expect(await auditActions(owner.tenantId)).not.toContain("team.role_changed");
  });

  it("removing a member whose role another request changed meanwhile is refused, and the member stays", async () => {
    const owner = await signUp(api, "lost-remove-owner");
    const member = await addMember(api, owner, await signUp(api, "lost-remove-member"), "MEMBER");
    const result = await racedBy(
      api,
      { sql: "UPDATE memberships SET role = 'ADMIN' WHERE tenant_id = $1 AND user_id = $2", params: [owner.tenantId, member.userId] },
      () => api.graphql(REMOVE_MEMBER, { userId: member.userId }, { token: owner.token }),
    );
    expect(result.errors?.[0]).toMatchObject(LOST_WRITE);
    expect(await membershipRole(owner.tenantId, member.userId)).toBe("ADMIN");
    expect(await auditActions(owner.tenantId)).not.toContain("team.member_removed");
  });

  it("leaving a team that removed you meanwhile says you are not a member, and records no departure", async () => {
    const owner = await signUp(api, "lost-leave-owner");
    const member = await addMember(api, owner, await signUp(api, "lost-leave-member"), "MEMBER");
    const result = await racedBy(api, { sql: "DELETE FROM memberships WHERE tenant_id = $1 AND user_id = $2", params: [owner.tenantId, member.userId] }, () =>
      api.graphql(LEAVE, {}, { token: member.token, tenantId: owner.tenantId }),
    );
    expect(result.data).toBeNull();
    expect(result.errors?.[0]).toMatchObject({ message: "Your membership of this tenant was not found.", extensions: { code: "NOT_FOUND" } });
    expect(await auditActions(owner.tenantId)).not.toContain("team.member_left");
  });
});

describe("the team listing", () => {
  it("is in the order people joined, whatever the order of their accounts or of the rows on disk", async () => {
    const owner = await signUp(api, "order-owner");
    const leaver = await signUp(api, "order-leaver");
    const earlierAccount = await signUp(api, "order-earlier-account");
    const laterAccount = await signUp(api, "order-later-account");
    // The later account joins first. The earlier one joins after someone else left and the table was
    // vacuumed (as autovacuum would), so its row takes the leaver's place on disk, before the later one's.
    await addMember(api, owner, leaver, "MEMBER");
    await addMember(api, owner, laterAccount, "MEMBER");
    expectData(await api.graphql(REMOVE_MEMBER, { userId: leaver.userId }, { token: owner.token }));
    await api.database.ownerPool.query("VACUUM memberships");
    await addMember(api, owner, earlierAccount, "MEMBER");
    const members = expectData(await api.graphql(TEAM, {}, { token: owner.token })).teamMembers as { role: string; user: { id: string } }[];
    expect(members.map((member) => member.user.id)).toEqual([owner.userId, laterAccount.userId, earlierAccount.userId]);
  });
});
