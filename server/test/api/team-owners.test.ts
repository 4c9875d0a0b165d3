import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCode, signUp, startTestApi, type GraphQLResult, type SignedUp, type TestApi } from "../support/api.ts";

/**
 * Security review, finding 4: two owners demoting or removing each other at the same moment must not
 * leave their tenant without an owner. One of the two calls wins; the other is refused.
 */
let api: TestApi;
let first: SignedUp;
let second: SignedUp;
let tenantId: string;

beforeAll(async () => {
  api = await startTestApi();
  first = await signUp(api, "owner-one");
  second = await signUp(api, "owner-two");
  tenantId = first.tenantId;
});
afterAll(() => api?.close());

const CHANGE_ROLE = `mutation ($input: ChangeTeamMemberRoleInput!) { changeTeamMemberRole(input: $input) { role } }`;
const REMOVE_MEMBER = `mutation ($userId: ID!) { removeTeamMember(userId: $userId) }`;

/** Fixture: both users are owners of the tenant again (written past the API, as set-up). */
async function makeBothOwners() {
  await api.database.ownerPool.query(
    `INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, 'OWNER'), ($1, $3, 'OWNER')
     ON CONFLICT (tenant_id, user_id) DO UPDATE SET role = 'OWNER'`,
    [tenantId, first.userId, second.userId],
  );
  const team = await api.graphql(`{ teamMembers { role } }`, {}, { token: first.token, tenantId });
  expect(team.data?.teamMembers).toEqual([{ role: "OWNER" }, { role: "OWNER" }]);
}

type Move = (actor: SignedUp, target: SignedUp) => Promise<GraphQLResult>;
const demote: Move = (actor, target) => api.graphql(CHANGE_ROLE, { input: { userId: target.userId, role: "ADMIN" } }, { token: actor.token, tenantId });
const remove: Move = (actor, target) => api.graphql(REMOVE_MEMBER, { userId: target.userId }, { token: actor.token, tenantId });
const leave: Move = (actor) => api.graphql(`mutation { leaveTenant }`, {}, { token: actor.token, tenantId });

const ownersOf = async (id: string) =>
  (await api.database.ownerPool.query("SELECT user_id FROM memberships WHERE tenant_id = $1 AND role = 'OWNER'", [id])).rows.length;

const ROUNDS = 30;

describe.each([
  { race: "demoting each other", firstMove: demote, secondMove: demote },
  { race: "removing each other", firstMove: remove, secondMove: remove },
  { race: "one demoting while the other removes", firstMove: demote, secondMove: remove },
  { race: "leaving", firstMove: leave, secondMove: leave },
  { race: "one leaving while the other steps down", firstMove: leave, secondMove: (actor: SignedUp) => demote(actor, actor) },
])("two owners $race at the same moment", ({ firstMove, secondMove }) => {
  it(`leave the tenant with exactly one owner, ${ROUNDS} times out of ${ROUNDS}, and the loser is told`, async () => {
    const losers: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await makeBothOwners();
      const outcomes = (await Promise.all([firstMove(first, second), secondMove(second, first)])).map(errorCode);
      expect(await ownersOf(tenantId), `round ${round}: ${outcomes}`).toBe(1);
      // Exactly one call succeeds. The other gets CONFLICT from the owner rule; FORBIDDEN only when it
      // started after the winner had committed, so its caller was no longer an owner (or no member).
      expect(
        outcomes.filter((outcome) => outcome === "none"),
        `round ${round}: ${outcomes}`,
      ).toHaveLength(1);
      const loser = outcomes.find((outcome) => outcome !== "none")!;
      expect(["CONFLICT", "FORBIDDEN"], `round ${round}`).toContain(loser);
      losers.push(loser);
    }
    expect(losers).toContain("CONFLICT");
  });
});

describe("an owner leaving while the other owner changes their role", () => {
  it(`is answered cleanly (never INTERNAL) and leaves one owner, ${ROUNDS} times out of ${ROUNDS}`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      await makeBothOwners();
      const outcomes = (await Promise.all([leave(first, second), demote(second, first)])).map(errorCode);
      expect(await ownersOf(tenantId), `round ${round}: ${outcomes}`).toBe(1);
      // Leaving first: the demotion finds the member gone (NOT_FOUND) or changed under it (CONFLICT).
      // Demoting first: the admin may still leave.
      expect(outcomes[0], `round ${round}: ${outcomes}`).toBe("none");
      expect(["none", "NOT_FOUND", "CONFLICT"], `round ${round}: ${outcomes}`).toContain(outcomes[1]);
    }
  });
});

describe("the owner rule's message", () => {
  it("says what to do when the last owner tries to step down", async () => {
    await makeBothOwners();
    expect(errorCode(await demote(first, second))).toBe("none");
    const refused = await demote(first, first);
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: "CONFLICT" }, message: expect.stringMatching(/owner/) });
    expect(await ownersOf(tenantId)).toBe(1);
  });
});
