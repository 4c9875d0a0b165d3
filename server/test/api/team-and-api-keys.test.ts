import { createHash, createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deriveServerKeys } from "../../src/security/secrets.ts";
import { addMember, createApiKey, errorCode, expectData, INVITE_MEMBER, signUp, startTestApi, type SignedUp, type TestApi } from "../support/api.ts";
import { TEST_SECRET } from "../support/database.ts";
import { eventually } from "../support/messaging.ts";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

const CHANGE_ROLE = `mutation ($input: ChangeTeamMemberRoleInput!) { changeTeamMemberRole(input: $input) { role user { id } } }`;
const REMOVE_MEMBER = `mutation ($userId: ID!) { removeTeamMember(userId: $userId) }`;
const CREATE_KEY = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id name prefix scopes createdAt lastUsedAt revokedAt } } }`;
const LIST_KEYS = `{ apiKeys { id name prefix scopes lastUsedAt revokedAt } }`;
const REVOKE_KEY = `mutation ($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`;

/** An owner's tenant with one member of the given role. */
async function teamWith(role: "ADMIN" | "MEMBER"): Promise<{ owner: SignedUp; member: SignedUp }> {
  const owner = await signUp(api, "owner");
  const member = await signUp(api, role.toLowerCase());
  return { owner, member: await addMember(api, owner, member, role) };
}

const auditActions = async (tenantId: string) =>
  (await api.database.ownerPool.query("SELECT action FROM audit_logs WHERE tenant_id = $1 ORDER BY created_at, id", [tenantId])).rows.map((row) => row.action);

describe("API keys", () => {
  it("are shown once with a swb_ secret, listed by prefix only, and stored as a keyed hash", async () => {
    const owner = await signUp(api, "keys");
    const created = await api.graphql(CREATE_KEY, { input: { name: "Production", scopes: ["MESSAGES_SEND", "MESSAGES_READ"] } }, { token: owner.token });
    const { secret, apiKey } = created.data!.createApiKey;
    expect(secret).toMatch(/^swb_[0-9A-Za-z]{43}$/);
    expect(apiKey).toMatchObject({
      name: "Production",
      prefix: secret.slice(0, 12),
      scopes: ["MESSAGES_SEND", "MESSAGES_READ"],
      lastUsedAt: null,
      revokedAt: null,
    });

    const listed = await api.graphql(LIST_KEYS, {}, { token: owner.token });
    expect(listed.data!.apiKeys).toEqual([
      { id: apiKey.id, name: "Production", prefix: apiKey.prefix, scopes: apiKey.scopes, lastUsedAt: null, revokedAt: null },
    ]);
    expect(JSON.stringify(listed)).not.toContain(secret);

    const { rows } = await api.database.ownerPool.query("SELECT secret_hash FROM api_keys WHERE id = $1", [apiKey.id]);
    // HMAC-SHA256 under the key derived from the server's secret: a copy of the table alone cannot be
    // checked against guesses, as a plain SHA-256 could.
    expect(rows[0].secret_hash).toBe(createHmac("sha256", deriveServerKeys(TEST_SECRET).apiKeyHashKey).update(secret).digest("hex"));
    expect(rows[0].secret_hash).not.toBe(createHash("sha256").update(secret).digest("hex"));
    expect(rows[0].secret_hash).not.toContain(secret.slice(12));
    expect(await auditActions(owner.tenantId)).toEqual(["tenant.created", "api_key.created"]);
  });

  it("authenticate as their tenant and record when they were last used", async () => {
    const owner = await signUp(api, "keyuse");
    const key = await createApiKey(api, owner, ["MESSAGES_READ"]);
    const result = await api.graphql(`{ tenant { id } }`, {}, { token: key.secret });
    expect(result.data).toEqual({ tenant: { id: owner.tenantId } });
    const listed = await eventually(
      async () => expectData(await api.graphql(LIST_KEYS, {}, { token: owner.token })).apiKeys,
      (keys) => keys[0]?.lastUsedAt !== null,
      5_000,
    );
    expect(Date.parse(listed[0].lastUsedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("stop working on the next request once revoked, and revoking twice is harmless", async () => {
    const owner = await signUp(api, "revoke");
    const key = await createApiKey(api, owner, ["MESSAGES_READ"]);
    expect(errorCode(await api.graphql(`{ tenant { id } }`, {}, { token: key.secret }))).toBe("none");
    const revoked = await api.graphql(REVOKE_KEY, { id: key.id }, { token: owner.token });
    expect(revoked.data!.revokeApiKey.revokedAt).not.toBeNull();
    const refused = await api.graphql(`{ tenant { id } }`, {}, { token: key.secret });
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: "UNAUTHENTICATED" }, message: expect.stringMatching(/revoked/) });
    const again = await api.graphql(REVOKE_KEY, { id: key.id }, { token: owner.token });
    expect(again.data!.revokeApiKey.revokedAt).toBe(revoked.data!.revokeApiKey.revokedAt);
  });

  it("refuse a secret that has a real key's prefix but is otherwise wrong", async () => {
    const owner = await signUp(api, "forged");
    const key = await createApiKey(api, owner, ["TENANT_ADMIN"]);
    const forged = key.secret.slice(0, 12) + "A".repeat(key.secret.length - 12);
    expect(errorCode(await api.graphql(`{ tenant { id } }`, {}, { token: forged }))).toBe("UNAUTHENTICATED");
  });

  it("are limited to their scopes", async () => {
    const owner = await signUp(api, "scopes");
    const reader = await createApiKey(api, owner, ["MESSAGES_READ"]);
    const admin = await createApiKey(api, owner, ["TENANT_ADMIN"]);
    for (const [query, variables] of [
      [CREATE_KEY, { input: { name: "x", scopes: ["MESSAGES_READ"] } }],
      [LIST_KEYS, {}],
      [REVOKE_KEY, { id: admin.id }],
      [INVITE_MEMBER, { input: { email: "someone@example.com", role: "ADMIN" } }],
    ] as const) {
      const result = await api.graphql(query, variables, { token: reader.secret });
      expect(errorCode(result), query).toBe("FORBIDDEN");
      expect(result.errors?.[0]?.message).toMatch(/TENANT_ADMIN/);
    }
    expect(errorCode(await api.graphql(CREATE_KEY, { input: { name: "by key", scopes: ["USAGE_READ"] } }, { token: admin.secret }))).toBe("none");
    // Keys act for a tenant, not a person.
    expect(errorCode(await api.graphql(`{ me { id } }`, {}, { token: admin.secret }))).toBe("FORBIDDEN");
    expect(errorCode(await api.graphql(`mutation { logOut }`, {}, { token: admin.secret }))).toBe("FORBIDDEN");
    expect(await auditActions(owner.tenantId)).toContain("api_key.created");
  });

  it("reject bad input with the field at fault", async () => {
    const owner = await signUp(api, "keyinput");
    const noScopes = await api.graphql(CREATE_KEY, { input: { name: "x", scopes: [] } }, { token: owner.token });
    expect(noScopes.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "scopes" });
    const longName = await api.graphql(CREATE_KEY, { input: { name: "x".repeat(101), scopes: ["MESSAGES_READ"] } }, { token: owner.token });
    expect(longName.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "name" });
    const unknownScope = await api.graphql(CREATE_KEY, { input: { name: "x", scopes: ["EVERYTHING"] } }, { token: owner.token });
    expect(errorCode(unknownScope)).toBe("BAD_USER_INPUT");
    expect(errorCode(await api.graphql(REVOKE_KEY, { id: "not-a-uuid" }, { token: owner.token }))).toBe("BAD_USER_INPUT");
    expect((await api.graphql(LIST_KEYS, {}, { token: owner.token })).data!.apiKeys).toEqual([]);
  });
});

describe("team roles", () => {
  it("a MEMBER can read the tenant and team but cannot manage keys or members", async () => {
    const { owner, member } = await teamWith("MEMBER");
    expect(errorCode(await api.graphql(`{ tenant { id } teamMembers { role } }`, {}, { token: member.token, tenantId: owner.tenantId }))).toBe("none");
    const caller = { token: member.token, tenantId: owner.tenantId };
    const attempts = [
      await api.graphql(CREATE_KEY, { input: { name: "x", scopes: ["MESSAGES_READ"] } }, caller),
      await api.graphql(LIST_KEYS, {}, caller),
      await api.graphql(INVITE_MEMBER, { input: { email: "someone@example.com", role: "MEMBER" } }, caller),
      await api.graphql(CHANGE_ROLE, { input: { userId: member.userId, role: "ADMIN" } }, caller),
      await api.graphql(REMOVE_MEMBER, { userId: owner.userId }, caller),
    ];
    expect(attempts.map(errorCode)).toEqual(["FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"]);
    const roles = await api.graphql(`{ teamMembers { role user { id } } }`, {}, { token: owner.token });
    expect(roles.data!.teamMembers).toEqual([
      { role: "OWNER", user: { id: owner.userId } },
      { role: "MEMBER", user: { id: member.userId } },
    ]);
  });

  it("an ADMIN manages keys and members but cannot create or touch owners", async () => {
    const { owner, member: admin } = await teamWith("ADMIN");
    const caller = { token: admin.token, tenantId: owner.tenantId };
    expect(errorCode(await api.graphql(CREATE_KEY, { input: { name: "admin's", scopes: ["MESSAGES_READ"] } }, caller))).toBe("none");
    expect(errorCode(await api.graphql(INVITE_MEMBER, { input: { email: "would-be-owner@example.com", role: "OWNER" } }, caller))).toBe("FORBIDDEN");
    const newcomer = await addMember(api, caller as { token: string; tenantId: string }, await signUp(api, "newcomer"), "MEMBER");
    expect(errorCode(await api.graphql(CHANGE_ROLE, { input: { userId: newcomer.userId, role: "OWNER" } }, caller))).toBe("FORBIDDEN");
    expect(errorCode(await api.graphql(CHANGE_ROLE, { input: { userId: owner.userId, role: "MEMBER" } }, caller))).toBe("FORBIDDEN");
    expect(errorCode(await api.graphql(REMOVE_MEMBER, { userId: owner.userId }, caller))).toBe("FORBIDDEN");
    expect((await api.graphql(REMOVE_MEMBER, { userId: newcomer.userId }, caller)).data).toEqual({ removeTeamMember: true });
    expect(await auditActions(owner.tenantId)).toEqual([
      "tenant.created",
      "team.member_invited",
      "team.invitation_accepted",
      "api_key.created",
      "team.member_invited",
      "team.invitation_accepted",
      "team.member_removed",
    ]);
  });

  it("an OWNER promotes others, and the last owner can neither leave nor be demoted", async () => {
    const { owner, member } = await teamWith("MEMBER");
    expect(errorCode(await api.graphql(CHANGE_ROLE, { input: { userId: owner.userId, role: "ADMIN" } }, { token: owner.token }))).toBe("CONFLICT");
    expect(errorCode(await api.graphql(REMOVE_MEMBER, { userId: owner.userId }, { token: owner.token }))).toBe("CONFLICT");
    expect((await api.graphql(CHANGE_ROLE, { input: { userId: member.userId, role: "OWNER" } }, { token: owner.token })).data?.changeTeamMemberRole.role).toBe(
      "OWNER",
    );
    // With a second owner, the first may step down.
    expect((await api.graphql(CHANGE_ROLE, { input: { userId: owner.userId, role: "ADMIN" } }, { token: owner.token })).data?.changeTeamMemberRole.role).toBe(
      "ADMIN",
    );
  });

  it("inviting refuses someone already in the team and a malformed email", async () => {
    const owner = await signUp(api, "inviting");
    const self = await api.graphql(INVITE_MEMBER, { input: { email: owner.email.toUpperCase(), role: "MEMBER" } }, { token: owner.token });
    expect(self.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "email" });
    const badEmail = await api.graphql(INVITE_MEMBER, { input: { email: "not an email", role: "MEMBER" } }, { token: owner.token });
    expect(badEmail.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "email" });
    expect((await api.graphql(`{ teamInvitations { id } }`, {}, { token: owner.token })).data).toEqual({ teamInvitations: [] });
  });

  it("a removed member loses access to the tenant at once", async () => {
    const { owner, member } = await teamWith("MEMBER");
    expect(errorCode(await api.graphql(`{ tenant { id } }`, {}, { token: member.token, tenantId: owner.tenantId }))).toBe("none");
    expect((await api.graphql(REMOVE_MEMBER, { userId: member.userId }, { token: owner.token })).data).toEqual({ removeTeamMember: true });
    expect(errorCode(await api.graphql(`{ tenant { id } }`, {}, { token: member.token, tenantId: owner.tenantId }))).toBe("FORBIDDEN");
  });
});
