import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, createApiKey, expectData, signUp, startTestApi, type SignedUp, type TestApi } from "../support/api.ts";

/** What an owner sees of their team and its audit trail, beyond the role rules in team-and-api-keys.test.ts. */

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

const TEAM = `{ teamMembers { role createdAt user { id email createdAt } } }`;
const CHANGE_ROLE = `mutation ($input: ChangeTeamMemberRoleInput!) { changeTeamMemberRole(input: $input) { role user { id email } } }`;
const REMOVE_MEMBER = `mutation ($userId: ID!) { removeTeamMember(userId: $userId) }`;

const teamAudit = async (tenantId: string) =>
  (
    await api.database.ownerPool.query(
      "SELECT action, actor, target, details FROM audit_logs WHERE tenant_id = $1 AND action IN ('team.role_changed', 'team.member_removed', 'team.member_left') ORDER BY created_at, id",
      [tenantId],
    )
  ).rows;

async function teamOf(label: string): Promise<{ owner: SignedUp; first: SignedUp; second: SignedUp }> {
  const owner = await signUp(api, `${label}-owner`);
  const first = await addMember(api, owner, await signUp(api, `${label}-first`), "MEMBER");
  const second = await addMember(api, owner, await signUp(api, `${label}-second`), "MEMBER");
  return { owner, first, second };
}

describe("team member details", () => {
  it("lists members in the order they joined, with their account", async () => {
    const { owner, first, second } = await teamOf("listing");
    expectData(await api.graphql(CHANGE_ROLE, { input: { userId: first.userId, role: "ADMIN" } }, { token: owner.token }));
    const members = expectData(await api.graphql(TEAM, {}, { token: owner.token })).teamMembers;
    expect(members.map((member: { user: { id: string } }) => member.user.id)).toEqual([owner.userId, first.userId, second.userId]);
    expect(members[1]).toMatchObject({ role: "ADMIN", user: { id: first.userId, email: first.email } });
    for (const member of members) {
      expect(Number.isNaN(Date.parse(member.createdAt))).toBe(false);
      expect(Number.isNaN(Date.parse(member.user.createdAt))).toBe(false);
    }
  });

  it("audits role changes, removals and leaving: who did it, to whom, and the roles", async () => {
    const { owner, first, second } = await teamOf("audit");
    const changed = expectData(await api.graphql(CHANGE_ROLE, { input: { userId: first.userId, role: "ADMIN" } }, { token: owner.token })).changeTeamMemberRole;
    expect(changed).toEqual({ role: "ADMIN", user: { id: first.userId, email: first.email } });
    const key = await createApiKey(api, owner, ["TENANT_ADMIN"], "team admin");
    expect(expectData(await api.graphql(REMOVE_MEMBER, { userId: second.userId }, { token: key.secret })).removeTeamMember).toBe(true);
    expect(expectData(await api.graphql(`mutation { leaveTenant }`, {}, { token: first.token, tenantId: owner.tenantId })).leaveTenant).toBe(true);

    expect(await teamAudit(owner.tenantId)).toEqual([
      { action: "team.role_changed", actor: `user:${owner.userId}`, target: `user:${first.userId}`, details: { from: "MEMBER", to: "ADMIN" } },
      { action: "team.member_removed", actor: `api_key:${key.id}`, target: `user:${second.userId}`, details: null },
      { action: "team.member_left", actor: `user:${first.userId}`, target: `user:${first.userId}`, details: { role: "ADMIN" } },
    ]);
    expect(expectData(await api.graphql(TEAM, {}, { token: owner.token })).teamMembers.map((member: { user: { id: string } }) => member.user.id)).toEqual([
      owner.userId,
    ]);
  });

  it("refuses a user id that is not one, and says so for someone outside the team", async () => {
    const { owner } = await teamOf("unknown");
    const outsider = await signUp(api, "unknown-outsider");
    for (const userId of ["not-a-user-id", outsider.userId]) {
      const change = await api.graphql(CHANGE_ROLE, { input: { userId, role: "ADMIN" } }, { token: owner.token });
      const remove = await api.graphql(REMOVE_MEMBER, { userId }, { token: owner.token });
      const expected =
        userId === outsider.userId
          ? { message: "That team member was not found.", extensions: { code: "NOT_FOUND" } }
          : { message: "userId must be a user id.", extensions: { code: "BAD_USER_INPUT", field: "userId" } };
      expect(change.errors?.[0]).toMatchObject(expected);
      expect(remove.errors?.[0]).toMatchObject(expected);
    }
  });

  it("tells the last owner why they cannot step down", async () => {
    const { owner } = await teamOf("last-owner");
    // Staying owner is not stepping down.
    expect(
      expectData(await api.graphql(CHANGE_ROLE, { input: { userId: owner.userId, role: "OWNER" } }, { token: owner.token })).changeTeamMemberRole.role,
    ).toBe("OWNER");
    for (const result of [
      await api.graphql(CHANGE_ROLE, { input: { userId: owner.userId, role: "MEMBER" } }, { token: owner.token }),
      await api.graphql(REMOVE_MEMBER, { userId: owner.userId }, { token: owner.token }),
      await api.graphql(`mutation { leaveTenant }`, {}, { token: owner.token }),
    ]) {
      expect(result.errors?.[0]).toMatchObject({
        message: "A tenant needs at least one owner: make someone else owner first.",
        extensions: { code: "CONFLICT" },
      });
    }
  });
});
