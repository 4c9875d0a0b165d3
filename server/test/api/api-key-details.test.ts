import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey, errorCode, signUp, startTestApi, type TestApi } from "../support/api.ts";

/** What an owner sees of their API keys beyond the basics in team-and-api-keys.test.ts. */

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

const CREATE_KEY = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id name scopes } } }`;
const LIST_KEYS = `{ apiKeys { id name } }`;
const REVOKE_KEY = `mutation ($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`;

const audit = async (tenantId: string) =>
  (
    await api.database.ownerPool.query(
      "SELECT action, target, details FROM audit_logs WHERE tenant_id = $1 AND action LIKE 'api_key.%' ORDER BY created_at, id",
      [tenantId],
    )
  ).rows;

describe("API key details", () => {
  it("stores the name without surrounding spaces and each scope once, and audits the creation", async () => {
    const owner = await signUp(api, "keyname");
    const created = await api.graphql(
      CREATE_KEY,
      { input: { name: "  Billing job  ", scopes: ["USAGE_READ", "USAGE_READ", "MESSAGES_READ"] } },
      { token: owner.token },
    );
    expect(created.data!.createApiKey.apiKey).toMatchObject({ name: "Billing job", scopes: ["USAGE_READ", "MESSAGES_READ"] });
    const id = created.data!.createApiKey.apiKey.id;
    expect(await audit(owner.tenantId)).toEqual([
      { action: "api_key.created", target: `api_key:${id}`, details: { name: "Billing job", scopes: ["USAGE_READ", "MESSAGES_READ"] } },
    ]);
  });

  it("lists keys newest first", async () => {
    const owner = await signUp(api, "keyorder");
    const first = await createApiKey(api, owner, ["MESSAGES_READ"], "first");
    const second = await createApiKey(api, owner, ["MESSAGES_READ"], "second");
    const third = await createApiKey(api, owner, ["MESSAGES_READ"], "third");
    const listed = (await api.graphql(LIST_KEYS, {}, { token: owner.token })).data!.apiKeys;
    expect(listed.map((key: { id: string }) => key.id)).toEqual([third.id, second.id, first.id]);
  });

  it("audits a revocation once, however often it is repeated", async () => {
    const owner = await signUp(api, "keyrevokeaudit");
    const key = await createApiKey(api, owner, ["MESSAGES_READ"]);
    expect(errorCode(await api.graphql(REVOKE_KEY, { id: key.id }, { token: owner.token }))).toBe("none");
    expect(errorCode(await api.graphql(REVOKE_KEY, { id: key.id }, { token: owner.token }))).toBe("none");
    expect((await audit(owner.tenantId)).map((row) => [row.action, row.target])).toEqual([
      ["api_key.created", `api_key:${key.id}`],
      ["api_key.revoked", `api_key:${key.id}`],
    ]);
  });

  it("cannot revoke another tenant's key, nor a key that does not exist", async () => {
    const owner = await signUp(api, "keyowner");
    const stranger = await signUp(api, "keystranger");
    const key = await createApiKey(api, owner, ["MESSAGES_READ"]);
    const foreign = await api.graphql(REVOKE_KEY, { id: key.id }, { token: stranger.token });
    expect(foreign.errors?.[0]).toMatchObject({ extensions: { code: "NOT_FOUND" }, message: "That API key was not found." });
    expect(errorCode(await api.graphql(REVOKE_KEY, { id: "00000000-0000-4000-8000-000000000000" }, { token: owner.token }))).toBe("NOT_FOUND");
    const bad = await api.graphql(REVOKE_KEY, { id: "not-a-uuid" }, { token: owner.token });
    expect(bad.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "id" }, message: "id must be an API key id." });
    expect(errorCode(await api.graphql(`{ tenant { id } }`, {}, { token: key.secret }))).toBe("none");
  });
});
