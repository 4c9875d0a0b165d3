import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGraphQLSchema } from "../../src/graphql/schema.ts";
import { createApiKey, errorCode, signUp, startTestApi, type Caller, type SignedUp, type TestApi } from "../support/api.ts";

/**
 * Tenant B, with its owner's session and a TENANT_ADMIN key (the most it can hold), tries every
 * query and mutation against tenant A's ids. It must get NOT_FOUND or FORBIDDEN and never A's data.
 */
let api: TestApi;
let a: SignedUp;
let aMember: SignedUp;
let aKey: { id: string; secret: string };
let b: SignedUp;
let bKey: { id: string; secret: string };
let callersOfB: [string, Caller][];
let aMessageId: string;
let aInboundUrl: string;
const A_NUMBER = "+8801711000001";
const A_CONTACT = "+14155550001";
const A_TEXT = "the private words of tenant A";

beforeAll(async () => {
  api = await startTestApi();
  a = await signUp(api, "tenant-a");
  aMember = await signUp(api, "tenant-a-member");
  await api.graphql(`mutation ($input: AddTeamMemberInput!) { addTeamMember(input: $input) { role } }`, { input: { email: aMember.email, role: "MEMBER" } }, { token: a.token });
  aKey = await createApiKey(api, a, ["MESSAGES_SEND", "MESSAGES_READ"]);
  const connected = await api.graphql(`mutation { connectWhatsApp(input: { apiKey: "sandbox_tenant_a", number: "${A_NUMBER}" }) { inboundWebhookUrl } }`, {}, { token: a.token });
  aInboundUrl = connected.data!.connectWhatsApp.inboundWebhookUrl;
  const sent = await api.graphql(`mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id } }`, { input: { to: A_CONTACT, text: A_TEXT } }, { token: aKey.secret });
  aMessageId = sent.data!.sendMessage.id;
  b = await signUp(api, "tenant-b");
  bKey = await createApiKey(api, b, ["TENANT_ADMIN", "MESSAGES_SEND", "MESSAGES_READ", "USAGE_READ"]);
  callersOfB = [
    ["B's session", { token: b.token }],
    ["B's session naming tenant A", { token: b.token, tenantId: a.tenantId }],
    ["B's API key", { token: bKey.secret }],
    ["B's API key naming tenant A", { token: bKey.secret, tenantId: a.tenantId }],
  ];
});
afterAll(() => api?.close());

/** Every tenant-owned id of A that could leak, as it appears in responses. */
const idsOfA = () => [a.tenantId, a.userId, aMember.userId, aKey.id, a.email, aMember.email, aMessageId, A_NUMBER, A_CONTACT, A_TEXT, new URL(aInboundUrl).pathname];

function expectNoDataOfA(result: unknown) {
  const text = JSON.stringify(result);
  for (const id of idsOfA()) expect(text, `response leaks ${id}`).not.toContain(id);
}

type Attempt = { operation: string; query: string; variables?: Record<string, unknown>; allowed: string[] };

/** What B may try; `allowed` lists the outcomes that are safe (denials, or success on B's own data). */
const attempts = (): Attempt[] => [
  { operation: "tenant", query: `{ tenant { id companyName slug } }`, allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"] },
  { operation: "me", query: `{ me { id email memberships { tenant { id } } } }`, allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"] },
  { operation: "teamMembers", query: `{ teamMembers { role user { id email } } }`, allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"] },
  { operation: "apiKeys", query: `{ apiKeys { id name prefix } }`, allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"] },
  { operation: "revokeApiKey", query: `mutation ($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`, variables: { id: aKey.id }, allowed: ["NOT_FOUND", "FORBIDDEN", "BAD_USER_INPUT"] },
  {
    operation: "changeTeamMemberRole",
    query: `mutation ($input: ChangeTeamMemberRoleInput!) { changeTeamMemberRole(input: $input) { role user { id } } }`,
    variables: { input: { userId: aMember.userId, role: "ADMIN" } },
    allowed: ["NOT_FOUND", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  { operation: "removeTeamMember", query: `mutation ($userId: ID!) { removeTeamMember(userId: $userId) }`, variables: { userId: a.userId }, allowed: ["NOT_FOUND", "FORBIDDEN", "BAD_USER_INPUT"] },
  // Adding A's user to B's team only ever grants access to B; it must not reveal anything of A.
  {
    operation: "addTeamMember",
    query: `mutation ($input: AddTeamMemberInput!) { addTeamMember(input: $input) { role user { id } } }`,
    variables: { input: { email: "someone-not-registered@example.com", role: "MEMBER" } },
    allowed: ["NOT_FOUND", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  { operation: "createApiKey", query: `mutation { createApiKey(input: { name: "b", scopes: [MESSAGES_READ] }) { apiKey { id } } }`, allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"] },
  { operation: "logOut", query: `mutation { logOut }`, allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"] },
  { operation: "message", query: `query ($id: ID!) { message(id: $id) { id text to history { status } } }`, variables: { id: aMessageId }, allowed: ["NOT_FOUND", "FORBIDDEN", "BAD_USER_INPUT"] },
  { operation: "messages", query: `{ messages(first: 100) { edges { node { id text to from } } } }`, allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"] },
  {
    operation: "conversations",
    query: `{ conversations(first: 100) { edges { node { contact lastMessage { id text } } } } }`,
    allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  { operation: "usage", query: `{ usage { messagesSent messagesReceived providerCost } }`, allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"] },
  {
    operation: "sendMessage",
    query: `mutation { sendMessage(input: { to: "${"+14155550002"}", text: "from B" }) { id from } }`,
    allowed: ["CONFLICT", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  {
    operation: "simulateInboundMessage",
    query: `mutation { simulateInboundMessage(from: "${A_CONTACT}", text: "hi") { id } }`,
    allowed: ["CONFLICT", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  { operation: "disconnectWhatsApp", query: `mutation { disconnectWhatsApp { number status } }`, allowed: ["NOT_FOUND", "FORBIDDEN", "BAD_USER_INPUT"] },
  {
    operation: "rotateInboundWebhookToken",
    query: `mutation { rotateInboundWebhookToken { number inboundWebhookUrl } }`,
    allowed: ["NOT_FOUND", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  { operation: "tenant.whatsapp", query: `{ tenant { whatsapp { number inboundWebhookUrl } } }`, allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"] },
  // B connecting a number concerns B only; it runs last so the denials above see B unconnected.
  {
    operation: "connectWhatsApp",
    query: `mutation { connectWhatsApp(input: { apiKey: "sandbox_tenant_b", number: "+8801711000002" }) { number status } }`,
    allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"],
  },
];

/** Operations that need no tenant at all, so there is nothing of A's to reach through them. */
const TENANTLESS = ["health", "signUp", "logIn"];

describe("tenant B against tenant A", () => {
  it("covers every query and mutation in the schema (add new ones to this suite)", async () => {
    const schema = await buildGraphQLSchema();
    const operations = [...Object.keys(schema.getQueryType()!.getFields()), ...Object.keys(schema.getMutationType()!.getFields())].sort();
    const tried = attempts().map((attempt) => attempt.operation).filter((operation) => !operation.includes("."));
    expect(operations).toEqual([...tried, ...TENANTLESS].sort());
  });

  it.each([
    "tenant",
    "me",
    "teamMembers",
    "apiKeys",
    "revokeApiKey",
    "changeTeamMemberRole",
    "removeTeamMember",
    "addTeamMember",
    "createApiKey",
    "message",
    "messages",
    "conversations",
    "usage",
    "sendMessage",
    "simulateInboundMessage",
    "disconnectWhatsApp",
    "rotateInboundWebhookToken",
    "tenant.whatsapp",
    "connectWhatsApp",
  ])(
    "%s: never reaches tenant A's data",
    async (operation) => {
      const attempt = attempts().find((candidate) => candidate.operation === operation)!;
      for (const [who, caller] of callersOfB) {
        const result = await api.graphql(attempt.query, attempt.variables, caller);
        expect(attempt.allowed, `${who}: ${JSON.stringify(result.errors)}`).toContain(errorCode(result));
        expect(result.status).toBeLessThan(500);
        expectNoDataOfA(result);
      }
    },
  );

  it("B's log-out ends only B's session", async () => {
    const bSecondSession = await signUp(api, "tenant-b2");
    await api.graphql(`mutation { logOut }`, {}, { token: bSecondSession.token });
    expect(errorCode(await api.graphql(`{ tenant { id } }`, {}, { token: a.token }))).toBe("none");
  });

  it("A is untouched afterwards: its key works, its member keeps their role, its team is whole", async () => {
    expect((await api.graphql(`{ tenant { id } }`, {}, { token: aKey.secret })).data).toEqual({ tenant: { id: a.tenantId } });
    const team = await api.graphql(`{ teamMembers { role user { id } } }`, {}, { token: a.token });
    expect(team.data!.teamMembers).toEqual([
      { role: "OWNER", user: { id: a.userId } },
      { role: "MEMBER", user: { id: aMember.userId } },
    ]);
    const keys = await api.graphql(`{ apiKeys { id revokedAt } }`, {}, { token: a.token });
    expect(keys.data!.apiKeys).toEqual([{ id: aKey.id, revokedAt: null }]);
    const whatsapp = await api.graphql(`{ tenant { whatsapp { number status inboundWebhookUrl } } messages { edges { node { id text } } } }`, {}, { token: a.token });
    expect(whatsapp.data).toEqual({
      tenant: { whatsapp: { number: A_NUMBER, status: "CONNECTED", inboundWebhookUrl: aInboundUrl } },
      messages: { edges: [{ node: { id: aMessageId, text: A_TEXT } }] },
    });
  });
});
