import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addMember,
  createApiKey,
  createWebhookEndpoint,
  ensureSandboxWhatsApp,
  expectData,
  invite,
  sendTestWebhook,
  signUp,
  startTestApi,
  type Caller,
  type SignedUp,
  type TestApi,
} from "../support/api.ts";

/**
 * Relay's Node: every object with an id is found again by `node(id:)` / `nodes(ids:)`, in the caller's
 * tenant only, and only by callers who may read its type's list (docs/permissions.md); anything else
 * is null, never an error that would null the rest.
 */
let api: TestApi;
let a: SignedUp;
let aMember: SignedUp;
let b: SignedUp;
const keys: Record<"MESSAGES_READ" | "USAGE_READ" | "TENANT_ADMIN", string> = { MESSAGES_READ: "", USAGE_READ: "", TENANT_ADMIN: "" };
/** One id of each type in tenant A, by type name. */
const idsOfA: Record<string, string> = {};
let bMessageId: string;

const CONTACT = "+14155550177";
const SEND = `mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id } }`;

/** Every type's distinguishing fields, so a test sees which object came back. */
const NODE = `__typename id
  ... on Message { text to history { status } }
  ... on Conversation { contact messageCount lastMessage { id } }
  ... on ApiKey { name scopes }
  ... on Tenant { companyName }
  ... on WhatsAppConnection { number connectionStatus: status }
  ... on TeamMember { role user { id email } }
  ... on User { email }
  ... on TeamInvitation { email invitationStatus: status }
  ... on WebhookEndpoint { url description }
  ... on WebhookDelivery { eventType }`;
const NODES = `query ($ids: [ID!]!) { nodes(ids: $ids) { ${NODE} } }`;
const NODE_QUERY = `query ($id: ID!) { node(id: $id) { ${NODE} } }`;

beforeAll(async () => {
  api = await startTestApi();
  a = await signUp(api, "nodes-a");
  aMember = await addMember(api, a, await signUp(api, "nodes-a-member"), "MEMBER");
  for (const scope of Object.keys(keys) as (keyof typeof keys)[]) keys[scope] = (await createApiKey(api, a, [scope], scope)).secret;
  const asA = { token: a.token };

  await ensureSandboxWhatsApp(api, a);
  idsOfA.Message = expectData(await api.graphql(SEND, { input: { to: CONTACT, text: "found by node" } }, asA)).sendMessage.id;
  idsOfA.Conversation = expectData(await api.graphql(`{ conversations { edges { node { id } } } }`, {}, asA)).conversations.edges[0].node.id;
  idsOfA.ApiKey = expectData(await api.graphql(`{ apiKeys { id name } }`, {}, asA)).apiKeys.find((key: { name: string }) => key.name === "TENANT_ADMIN").id;
  idsOfA.Tenant = a.tenantId;
  idsOfA.WhatsAppConnection = expectData(await api.graphql(`{ tenant { whatsapp { id } } }`, {}, asA)).tenant.whatsapp.id;
  const members = expectData(await api.graphql(`{ teamMembers { id user { id } } }`, {}, asA)).teamMembers;
  idsOfA.TeamMember = members.find((member: { user: { id: string } }) => member.user.id === aMember.userId).id;
  idsOfA.User = aMember.userId;
  idsOfA.TeamInvitation = await invite(api, a, `invitee-${randomUUID()}@example.com`, "ADMIN");
  const endpoint = await createWebhookEndpoint(api, a, { description: "nodes" });
  idsOfA.WebhookEndpoint = endpoint.id;
  idsOfA.WebhookDelivery = await sendTestWebhook(api, a, endpoint.id);

  b = await signUp(api, "nodes-b");
  await ensureSandboxWhatsApp(api, b);
  // The same contact as A's conversation: a conversation of B's, with an id of its own.
  bMessageId = expectData(await api.graphql(SEND, { input: { to: CONTACT, text: "B's own" } }, { token: b.token })).sendMessage.id;
});
afterAll(() => api?.close());

const TYPES = () => Object.keys(idsOfA);
const nodes = async (ids: string[], caller: Caller) => {
  const result = await api.graphql(NODES, { ids }, caller);
  return { errors: result.errors, nodes: result.data?.nodes as (Record<string, any> | null)[] | undefined };
};

describe("node(id:)", () => {
  it("finds an object of every type by its id, as its own list shows it", async () => {
    const asA = { token: a.token };
    for (const type of TYPES()) {
      const result = await api.graphql(NODE_QUERY, { id: idsOfA[type] }, asA);
      expect(result.errors, type).toBeUndefined();
      expect(result.data!.node, type).toMatchObject({ __typename: type, id: idsOfA[type] });
    }
    const node = async (type: string) => (await api.graphql(NODE_QUERY, { id: idsOfA[type] }, asA)).data!.node;
    expect(await node("Message")).toMatchObject({ text: "found by node", to: CONTACT, history: expect.arrayContaining([{ status: "QUEUED" }]) });
    expect(await node("Conversation")).toMatchObject({ contact: CONTACT, messageCount: 1, lastMessage: { id: idsOfA.Message } });
    expect(await node("ApiKey")).toMatchObject({ name: "TENANT_ADMIN", scopes: ["TENANT_ADMIN"] });
    expect(await node("Tenant")).toMatchObject({ companyName: expect.stringContaining("nodes-a") });
    expect(await node("WhatsAppConnection")).toMatchObject({ number: "+8801711000001", connectionStatus: "CONNECTED" });
    expect(await node("TeamMember")).toMatchObject({ role: "MEMBER", user: { id: aMember.userId, email: aMember.email } });
    expect(await node("User")).toMatchObject({ email: aMember.email });
    expect(await node("TeamInvitation")).toMatchObject({ invitationStatus: "PENDING" });
    expect(await node("WebhookEndpoint")).toMatchObject({ description: "nodes" });
    expect(await node("WebhookDelivery")).toMatchObject({ eventType: "test" });
  });

  it("answers null, without an error, for an unknown id, another tenant's, and a string that is no id", async () => {
    for (const id of [randomUUID(), bMessageId, "not-an-id", "", `${idsOfA.Message} `]) {
      const result = await api.graphql(NODE_QUERY, { id }, { token: a.token });
      expect(result.errors, id).toBeUndefined();
      expect(result.data, id).toEqual({ node: null });
    }
  });

  it("reads ids case-insensitively, as PostgreSQL does UUIDs", async () => {
    const result = await api.graphql(NODE_QUERY, { id: idsOfA.Message!.toUpperCase() }, { token: a.token });
    expect(result.data!.node).toMatchObject({ __typename: "Message", id: idsOfA.Message });
  });
});

describe("nodes(ids:)", () => {
  it("answers in the order asked, own ids resolved and another tenant's null beside them", async () => {
    const ids = [bMessageId, idsOfA.Message!, b.tenantId, idsOfA.ApiKey!, randomUUID(), "nope", bMessageId, a.tenantId];
    const answer = await nodes(ids, { token: b.token });
    expect(answer.errors).toBeUndefined();
    expect(answer.nodes!.map((node) => node && { type: node.__typename, id: node.id })).toEqual([
      { type: "Message", id: bMessageId },
      null,
      { type: "Tenant", id: b.tenantId },
      null,
      null,
      null,
      { type: "Message", id: bMessageId },
      null,
    ]);
    // And the other way round: every id of A's (each type) is A's own, none of them B's.
    const all = await nodes(Object.values(idsOfA), { token: b.token });
    expect(all.errors).toBeUndefined();
    expect(all.nodes).toEqual(Object.values(idsOfA).map(() => null));
  });

  it("an API key naming another tenant is refused before anything is looked up", async () => {
    const result = await api.graphql(NODES, { ids: [idsOfA.Message] }, { token: keys.TENANT_ADMIN, tenantId: b.tenantId });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "X-Tenant-Id" });
    expect(result.data?.nodes ?? null).toBeNull();
  });

  it("takes at most 100 ids, and none", async () => {
    const tooMany = await api.graphql(NODES, { ids: Array.from({ length: 101 }, () => randomUUID()) }, { token: a.token });
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "ids" });
    const hundred = await nodes([idsOfA.Message!, ...Array.from({ length: 99 }, () => randomUUID())], { token: a.token });
    expect(hundred.nodes).toHaveLength(100);
    expect(hundred.nodes![0]).toMatchObject({ id: idsOfA.Message });
    expect((await nodes([], { token: a.token })).nodes).toEqual([]);
  });

  it("needs credentials", async () => {
    const result = await api.graphql(NODES, { ids: [idsOfA.Message] });
    expect(result.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});

describe("who sees which node (docs/permissions.md)", () => {
  // The types each caller may list, so may fetch by id; every other type is null for them.
  const visible: [string, () => Caller, string[]][] = [
    [
      "the OWNER",
      () => ({ token: a.token }),
      ["Message", "Conversation", "ApiKey", "Tenant", "WhatsAppConnection", "TeamMember", "User", "TeamInvitation", "WebhookEndpoint", "WebhookDelivery"],
    ],
    ["a MEMBER", () => ({ token: aMember.token, tenantId: a.tenantId }), ["Message", "Conversation", "Tenant", "WhatsAppConnection", "TeamMember", "User"]],
    ["a MESSAGES_READ key", () => ({ token: keys.MESSAGES_READ }), ["Message", "Conversation", "Tenant", "WhatsAppConnection"]],
    ["a USAGE_READ key", () => ({ token: keys.USAGE_READ }), ["Tenant", "WhatsAppConnection"]],
    [
      "a TENANT_ADMIN key",
      () => ({ token: keys.TENANT_ADMIN }),
      ["ApiKey", "Tenant", "WhatsAppConnection", "TeamMember", "User", "TeamInvitation", "WebhookEndpoint", "WebhookDelivery"],
    ],
  ];

  it.each(visible)("%s gets the types it may list, null for the others, and no error", async (_who, caller, types) => {
    const answer = await nodes(
      TYPES().map((type) => idsOfA[type]!),
      caller(),
    );
    expect(answer.errors).toBeUndefined();
    expect(TYPES(), "one id of every type").toHaveLength(10);
    const seen = TYPES().filter((_type, index) => answer.nodes![index] !== null);
    expect(seen.sort()).toEqual([...types].sort());
    for (const [index, type] of TYPES().entries()) if (answer.nodes![index]) expect(answer.nodes![index]).toMatchObject({ __typename: type, id: idsOfA[type] });
  });

  it("a connection's inbound URL keeps its own rule: FORBIDDEN on that field alone for a MEMBER", async () => {
    const query = `query ($id: ID!) { node(id: $id) { id ... on WhatsAppConnection { number inboundWebhookUrl } } }`;
    const member = await api.graphql(query, { id: idsOfA.WhatsAppConnection }, { token: aMember.token, tenantId: a.tenantId });
    expect(member.errors).toHaveLength(1);
    expect(member.errors![0]).toMatchObject({ path: ["node", "inboundWebhookUrl"], extensions: { code: "FORBIDDEN" } });
    expect(member.data!.node).toEqual({ id: idsOfA.WhatsAppConnection, number: "+8801711000001", inboundWebhookUrl: null });
    const owner = await api.graphql(query, { id: idsOfA.WhatsAppConnection }, { token: a.token });
    expect(owner.data!.node.inboundWebhookUrl).toMatch(/\/webhooks\/rapiwa\//);
  });
});

describe("ids of types that had none", () => {
  it("a conversation's id is stable, found by node, and another in every tenant for the same contact", async () => {
    const list = async (caller: Caller) => expectData(await api.graphql(`{ conversations { edges { node { id contact } } } }`, {}, caller)).conversations.edges;
    const again = await list({ token: a.token });
    expect(again).toEqual([{ node: { id: idsOfA.Conversation, contact: CONTACT } }]);
    const ofB = await list({ token: b.token });
    expect(ofB[0].node.contact).toBe(CONTACT);
    expect(ofB[0].node.id).not.toBe(idsOfA.Conversation);
    // A name-based UUID: version 8, RFC 9562 variant.
    expect(idsOfA.Conversation).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const found = await nodes([ofB[0].node.id, idsOfA.Conversation!], { token: b.token });
    expect(found.nodes).toEqual([expect.objectContaining({ __typename: "Conversation", id: ofB[0].node.id, contact: CONTACT }), null]);
  });

  it("a team member's id is the membership's: not the user's, and new after leaving and joining again", async () => {
    const joiner = await addMember(api, a, await signUp(api, "nodes-rejoin"), "MEMBER");
    const memberId = async () =>
      expectData(await api.graphql(`{ teamMembers { id user { id } } }`, {}, { token: a.token })).teamMembers.find(
        (member: { user: { id: string } }) => member.user.id === joiner.userId,
      )?.id as string | undefined;
    const first = await memberId();
    expect(first).toBeDefined();
    expect(first).not.toBe(joiner.userId);
    expect(expectData(await api.graphql(`mutation { leaveTenant }`, {}, { token: joiner.token, tenantId: a.tenantId })).leaveTenant).toBe(true);
    expect((await nodes([first!], { token: a.token })).nodes).toEqual([null]);
    await addMember(api, a, joiner, "MEMBER");
    const second = await memberId();
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
  });
});
