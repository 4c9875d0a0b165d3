import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGraphQLSchema } from "../../src/graphql/schema.ts";
import { decryptSecret, deriveServerKeys } from "../../src/security/secrets.ts";
import {
  addMember,
  createApiKey,
  createWebhookEndpoint,
  errorCode,
  expectData,
  INVITE_MEMBER,
  sendTestWebhook,
  signUp,
  startTestApi,
  type Caller,
  type SignedUp,
  type TestApi,
} from "../support/api.ts";
import { TEST_SECRET } from "../support/database.ts";

/**
 * Tenant B, with its owner's session and a TENANT_ADMIN key (the most it can hold), tries every
 * query and mutation against tenant A's ids. It must get NOT_FOUND or FORBIDDEN and never A's data.
 */
let api: TestApi;
let a: SignedUp;
let aMember: SignedUp;
let aKey: { id: string; secret: string };
/** Someone with an account whom A has invited (not yet answered): B must not answer for them. */
let aInvitee: SignedUp;
let aInvitationId: string;
let b: SignedUp;
let bKey: { id: string; secret: string };
let callersOfB: [string, Caller][];
let aMessageId: string;
let aInboundUrl: string;
let aEndpoint: { id: string; secret: string };
let aDeliveryId: string;
let aConnectionId: string;
let aConversationId: string;
let aMembershipId: string;
const A_WEBHOOK_URL = "https://tenant-a-receiver.example.invalid/hooks?token=a-private-token";
const A_WEBHOOK_DESCRIPTION = "tenant A's private receiver";
const A_NUMBER = "+8801711000001";
const A_CONTACT = "+14155550001";
const A_TEXT = "the private words of tenant A";

beforeAll(async () => {
  api = await startTestApi();
  a = await signUp(api, "tenant-a");
  aMember = await signUp(api, "tenant-a-member");
  await addMember(api, a, aMember, "MEMBER");
  aInvitee = await signUp(api, "tenant-a-invitee");
  const invited = await api.graphql(INVITE_MEMBER, { input: { email: aInvitee.email, role: "ADMIN" } }, { token: a.token });
  aInvitationId = expectData(invited).inviteTeamMember.id;
  aKey = await createApiKey(api, a, ["MESSAGES_SEND", "MESSAGES_READ"]);
  const connected = await api.graphql(
    `mutation { connectWhatsApp(input: { apiKey: "sandbox_tenant_a", number: "${A_NUMBER}" }) { id inboundWebhookUrl } }`,
    {},
    { token: a.token },
  );
  aInboundUrl = expectData(connected).connectWhatsApp.inboundWebhookUrl;
  aConnectionId = expectData(connected).connectWhatsApp.id;
  const sent = await api.graphql(
    `mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id } }`,
    { input: { to: A_CONTACT, text: A_TEXT } },
    { token: aKey.secret },
  );
  aMessageId = expectData(sent).sendMessage.id;
  aEndpoint = await createWebhookEndpoint(api, a, { url: A_WEBHOOK_URL, description: A_WEBHOOK_DESCRIPTION });
  aDeliveryId = await sendTestWebhook(api, a, aEndpoint.id);
  aConversationId = expectData(await api.graphql(`{ conversations { edges { node { id } } } }`, {}, { token: a.token })).conversations.edges[0].node.id;
  const members = expectData(await api.graphql(`{ teamMembers { id user { id } } }`, {}, { token: a.token })).teamMembers;
  aMembershipId = members.find((member: { user: { id: string } }) => member.user.id === aMember.userId).id;
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
const idsOfA = () => [
  a.tenantId,
  a.userId,
  aMember.userId,
  aKey.id,
  a.email,
  aMember.email,
  aMessageId,
  A_NUMBER,
  A_CONTACT,
  A_TEXT,
  aInvitationId,
  aInvitee.email,
  aInvitee.userId,
  `Company ${a.email.split("@")[0]}`,
  new URL(aInboundUrl).pathname,
  aEndpoint.id,
  aEndpoint.secret,
  aDeliveryId,
  aConnectionId,
  aConversationId,
  aMembershipId,
  "tenant-a-receiver",
  A_WEBHOOK_DESCRIPTION,
];

function expectNoDataOfA(result: unknown) {
  const text = JSON.stringify(result);
  for (const id of idsOfA()) expect(text, `response leaks ${id}`).not.toContain(id);
}

/** Fields of every node type, so an object of A's that slipped through would show in the answer. */
const NODE_FIELDS = `
  ... on Message { text to from } ... on Conversation { contact } ... on ApiKey { name prefix } ... on Tenant { companyName slug }
  ... on WhatsAppConnection { number } ... on TeamMember { user { id email } } ... on User { email } ... on TeamInvitation { email }
  ... on WebhookEndpoint { url description } ... on WebhookDelivery { eventId payload }`;

/** Every id of A's that node(id:) knows, of each type (the conversation's from A's own answer, read in beforeAll). */
const nodeIdsOfA = () => [
  aMessageId,
  aConversationId,
  aKey.id,
  a.tenantId,
  aConnectionId,
  aMembershipId,
  a.userId,
  aMember.userId,
  aInvitationId,
  aEndpoint.id,
  aDeliveryId,
];

type Attempt = { operation: string; query: string; variables?: Record<string, unknown>; allowed: string[] };

/** What B may try; `allowed` lists the outcomes that are safe (denials, or success on B's own data). */
const attempts = (): Attempt[] => [
  { operation: "tenant", query: `{ tenant { id companyName slug } }`, allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"] },
  { operation: "me", query: `{ me { id email memberships { tenant { id } } } }`, allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"] },
  { operation: "teamMembers", query: `{ teamMembers { role user { id email } } }`, allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"] },
  { operation: "apiKeys", query: `{ apiKeys { id name prefix } }`, allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"] },
  {
    operation: "revokeApiKey",
    query: `mutation ($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`,
    variables: { id: aKey.id },
    allowed: ["NOT_FOUND", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  {
    operation: "changeTeamMemberRole",
    query: `mutation ($input: ChangeTeamMemberRoleInput!) { changeTeamMemberRole(input: $input) { role user { id } } }`,
    variables: { input: { userId: aMember.userId, role: "ADMIN" } },
    allowed: ["NOT_FOUND", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  {
    operation: "removeTeamMember",
    query: `mutation ($userId: ID!) { removeTeamMember(userId: $userId) }`,
    variables: { userId: a.userId },
    allowed: ["NOT_FOUND", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  // Inviting only ever concerns B's team; the answer must not tell B whether the address has an account.
  {
    operation: "inviteTeamMember",
    query: `mutation ($input: InviteTeamMemberInput!) { inviteTeamMember(input: $input) { id email role status } }`,
    variables: { input: { email: "someone-not-registered@example.com", role: "MEMBER" } },
    allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  { operation: "teamInvitations", query: `{ teamInvitations { id email role status } }`, allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"] },
  {
    operation: "revokeTeamInvitation",
    query: `mutation ($id: ID!) { revokeTeamInvitation(id: $id) { id email status } }`,
    variables: { id: aInvitationId },
    allowed: ["NOT_FOUND", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  // The invitee's side: B is not the invitee of A's invitation, so B neither sees nor answers it.
  { operation: "myInvitations", query: `{ myInvitations { id companyName role } }`, allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"] },
  {
    operation: "acceptInvitation",
    query: `mutation ($id: ID!) { acceptInvitation(id: $id) { role tenant { id companyName } } }`,
    variables: { id: aInvitationId },
    allowed: ["NOT_FOUND", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  {
    operation: "declineInvitation",
    query: `mutation ($id: ID!) { declineInvitation(id: $id) }`,
    variables: { id: aInvitationId },
    allowed: ["NOT_FOUND", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  // B's owner is B's only owner: leaving B is refused; naming A, B is no member there.
  { operation: "leaveTenant", query: `mutation { leaveTenant }`, allowed: ["CONFLICT", "FORBIDDEN", "BAD_USER_INPUT"] },
  {
    operation: "createApiKey",
    query: `mutation { createApiKey(input: { name: "b", scopes: [MESSAGES_READ] }) { apiKey { id } } }`,
    allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  { operation: "logOut", query: `mutation { logOut }`, allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"] },
  // Another tenant's message is null to B, as one that does not exist ("none": no error, and no data of A's).
  {
    operation: "message",
    query: `query ($id: ID!) { message(id: $id) { id text to history { status } providerEvents { payload } } }`,
    variables: { id: aMessageId },
    allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  // Every id of A's that has a type: null to B, whatever B's role or scopes.
  {
    operation: "node",
    query: `query ($id: ID!) { node(id: $id) { __typename id ... on Message { text to } } }`,
    variables: { id: aMessageId },
    allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  {
    operation: "nodes",
    query: `query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id ${NODE_FIELDS} } }`,
    variables: { ids: nodeIdsOfA() },
    allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  { operation: "messages", query: `{ messages(first: 100) { edges { node { id text to from } } } }`, allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"] },
  {
    operation: "conversations",
    query: `{ conversations(first: 100) { edges { node { contact lastMessage { id text } } } } }`,
    allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  {
    operation: "usage",
    query: `{ usage { messagesSent messagesReceived connectedNumbers providerCost { amount currencyCode } total { amount } } }`,
    allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  { operation: "statements", query: `{ statements { month messagesSent total { amount } } }`, allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"] },
  {
    operation: "statement",
    query: `{ statement(month: "2026-10") { month messagesSent total { amount } } }`,
    allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  // The published prices: the same for everyone, nothing of A's.
  { operation: "pricing", query: `{ pricing { tiers { tier upTo } perConnectedNumber { amount } } }`, allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"] },
  {
    operation: "sendMessage",
    query: `mutation { sendMessage(input: { to: "${"+14155550002"}", text: "from B" }) { id from } }`,
    allowed: ["CONFLICT", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  {
    operation: "markConversationRead",
    query: `mutation { markConversationRead(contact: "${A_CONTACT}") { contact unreadCount lastMessage { id text } } }`,
    allowed: ["NOT_FOUND", "FORBIDDEN", "BAD_USER_INPUT"],
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
  { operation: "webhookEndpoints", query: `{ webhookEndpoints { id url description } }`, allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"] },
  {
    operation: "webhookEndpoint",
    query: `query ($id: ID!) { webhookEndpoint(id: $id) { id url description } }`,
    variables: { id: aEndpoint.id },
    allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  {
    operation: "webhookDeliveries",
    query: `query ($id: ID!) { webhookDeliveries(endpointId: $id) { edges { node { id eventId payload attemptLog { responseStatus } } } } }`,
    variables: { id: aEndpoint.id },
    allowed: ["NOT_FOUND", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  {
    operation: "updateWebhookEndpoint",
    query: `mutation ($id: ID!) { updateWebhookEndpoint(id: $id, input: { url: "https://b.example.invalid/", enabled: false }) { id url } }`,
    variables: { id: aEndpoint.id },
    allowed: ["NOT_FOUND", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  {
    operation: "rotateWebhookSecret",
    query: `mutation ($id: ID!) { rotateWebhookSecret(id: $id) { secret endpoint { id } } }`,
    variables: { id: aEndpoint.id },
    allowed: ["NOT_FOUND", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  {
    operation: "redeliverWebhook",
    query: `mutation ($id: ID!) { redeliverWebhook(id: $id) { id eventId status payload } }`,
    variables: { id: aDeliveryId },
    allowed: ["NOT_FOUND", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  {
    operation: "recoverWebhookDeliveries",
    query: `mutation ($id: ID!) { recoverWebhookDeliveries(endpointId: $id, since: "2020-01-01T00:00:00Z") }`,
    variables: { id: aEndpoint.id },
    allowed: ["NOT_FOUND", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  {
    operation: "sendTestWebhook",
    query: `mutation ($id: ID!) { sendTestWebhook(endpointId: $id) { id eventId } }`,
    variables: { id: aEndpoint.id },
    allowed: ["NOT_FOUND", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  {
    operation: "deleteWebhookEndpoint",
    query: `mutation ($id: ID!) { deleteWebhookEndpoint(id: $id) }`,
    variables: { id: aEndpoint.id },
    allowed: ["NOT_FOUND", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  // B's own endpoint concerns B only.
  {
    operation: "createWebhookEndpoint",
    query: `mutation { createWebhookEndpoint(input: { url: "https://b.example.invalid/hooks" }) { endpoint { id url } } }`,
    allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  // The support console is for Switchboard staff: B's people and keys are refused outright.
  {
    operation: "startSupportSession",
    query: `mutation { startSupportSession(reason: "Ticket 1: B wants to read A's messages") { id } }`,
    allowed: ["FORBIDDEN", "BAD_USER_INPUT"],
  },
  {
    operation: "endSupportSession",
    query: `mutation ($id: ID!) { endSupportSession(sessionId: $id) }`,
    variables: { id: aMessageId },
    allowed: ["FORBIDDEN", "BAD_USER_INPUT"],
  },
  {
    operation: "supportSearchMessages",
    query: `query ($id: ID!, $tenantId: ID!) { supportSearchMessages(sessionId: $id, filter: { tenantId: $tenantId }) { edges { node { id contact } } } }`,
    variables: { id: aMessageId, tenantId: a.tenantId },
    allowed: ["FORBIDDEN", "BAD_USER_INPUT"],
  },
  {
    operation: "supportMessage",
    query: `query ($id: ID!) { supportMessage(sessionId: $id, messageId: $id) { id text } }`,
    variables: { id: aMessageId },
    allowed: ["FORBIDDEN", "BAD_USER_INPUT"],
  },
  {
    operation: "supportTenantStatements",
    query: `query ($id: ID!, $tenantId: ID!) { supportTenantStatements(sessionId: $id, tenantId: $tenantId) { month total { amount } } }`,
    variables: { id: aMessageId, tenantId: a.tenantId },
    allowed: ["FORBIDDEN", "BAD_USER_INPUT"],
  },
  {
    operation: "suspendTenant",
    query: `mutation ($id: ID!, $tenantId: ID!) { suspendTenant(sessionId: $id, tenantId: $tenantId, reason: "B wants A stopped for good") { id active } }`,
    variables: { id: aMessageId, tenantId: a.tenantId },
    allowed: ["FORBIDDEN", "BAD_USER_INPUT"],
  },
  {
    operation: "reactivateTenant",
    query: `mutation ($id: ID!, $tenantId: ID!) { reactivateTenant(sessionId: $id, tenantId: $tenantId) { id active } }`,
    variables: { id: aMessageId, tenantId: a.tenantId },
    allowed: ["FORBIDDEN", "BAD_USER_INPUT"],
  },
  // B's own access log: B's entries only (none).
  {
    operation: "supportAccessLog",
    query: `{ supportAccessLog { edges { node { id reason messageId } } } }`,
    allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"],
  },
  // B connecting a number concerns B only; it runs last so the denials above see B unconnected.
  {
    operation: "connectWhatsApp",
    query: `mutation { connectWhatsApp(input: { apiKey: "sandbox_tenant_b", number: "+8801711000002" }) { number status } }`,
    allowed: ["none", "FORBIDDEN", "BAD_USER_INPUT"],
  },
];

/** Operations that need no tenant at all, so there is nothing of A's to reach through them. */
const TENANTLESS = ["health", "signUp", "logIn", "sandboxAvailable"];

describe("tenant B against tenant A", () => {
  it("covers every query and mutation in the schema (add new ones to this suite)", async () => {
    const schema = await buildGraphQLSchema();
    const operations = [...Object.keys(schema.getQueryType()!.getFields()), ...Object.keys(schema.getMutationType()!.getFields())].sort();
    const tried = attempts()
      .map((attempt) => attempt.operation)
      .filter((operation) => !operation.includes("."));
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
    "inviteTeamMember",
    "teamInvitations",
    "revokeTeamInvitation",
    "myInvitations",
    "acceptInvitation",
    "declineInvitation",
    "leaveTenant",
    "createApiKey",
    "message",
    "node",
    "nodes",
    "messages",
    "conversations",
    "usage",
    "statements",
    "statement",
    "pricing",
    "sendMessage",
    "markConversationRead",
    "simulateInboundMessage",
    "disconnectWhatsApp",
    "rotateInboundWebhookToken",
    "tenant.whatsapp",
    "webhookEndpoints",
    "webhookEndpoint",
    "webhookDeliveries",
    "updateWebhookEndpoint",
    "rotateWebhookSecret",
    "redeliverWebhook",
    "recoverWebhookDeliveries",
    "sendTestWebhook",
    "deleteWebhookEndpoint",
    "createWebhookEndpoint",
    "startSupportSession",
    "endSupportSession",
    "supportSearchMessages",
    "supportMessage",
    "suspendTenant",
    "reactivateTenant",
    "supportTenantStatements",
    "supportAccessLog",
    "connectWhatsApp",
  ])("%s: never reaches tenant A's data", async (operation) => {
    const attempt = attempts().find((candidate) => candidate.operation === operation)!;
    for (const [who, caller] of callersOfB) {
      const result = await api.graphql(attempt.query, attempt.variables, caller);
      expect(attempt.allowed, `${who}: ${JSON.stringify(result.errors)}`).toContain(errorCode(result));
      expect(result.status).toBeLessThan(500);
      expectNoDataOfA(result);
    }
  });

  it("B's log-out ends only B's session", async () => {
    // A session of B's own for this test, so B's other session (used above) stays usable.
    const loggedIn = await api.graphql(`mutation ($input: LogInInput!) { logIn(input: $input) { token } }`, {
      input: { email: b.email, password: b.password },
    });
    const bSession = loggedIn.data?.logIn?.token as string | undefined;
    if (!bSession) throw new Error(`logIn failed: ${JSON.stringify(loggedIn.errors)}`);
    expect((await api.graphql(`{ tenant { id } }`, {}, { token: bSession })).data).toEqual({ tenant: { id: b.tenantId } });

    const loggedOut = await api.graphql(`mutation { logOut }`, {}, { token: bSession });
    expect(loggedOut.data).toEqual({ logOut: true });
    // B's token stops working at once...
    const refused = await api.graphql(`{ tenant { id } }`, {}, { token: bSession });
    expect(errorCode(refused)).toBe("UNAUTHENTICATED");
    expect(refused.data?.tenant ?? null).toBeNull();
    // ...and nobody else's session ended with it: A's, A's member's, and B's other one.
    expect((await api.graphql(`{ tenant { id } }`, {}, { token: a.token })).data).toEqual({ tenant: { id: a.tenantId } });
    expect((await api.graphql(`{ me { id } }`, {}, { token: aMember.token })).data).toEqual({ me: { id: aMember.userId } });
    expect((await api.graphql(`{ tenant { id } }`, {}, { token: b.token })).data).toEqual({ tenant: { id: b.tenantId } });
  });

  it("A's webhook endpoint is untouched afterwards: same URL, secret and state, its one delivery as it was", async () => {
    const { rows } = await api.database.ownerPool.query(
      `SELECT url, description, enabled, secret_ciphertext, previous_secret_ciphertext FROM webhook_endpoints WHERE tenant_id = $1`,
      [a.tenantId],
    );
    expect(rows).toEqual([
      expect.objectContaining({ url: A_WEBHOOK_URL, description: A_WEBHOOK_DESCRIPTION, enabled: true, previous_secret_ciphertext: null }),
    ]);
    expect(decryptSecret(deriveServerKeys(TEST_SECRET).encryptionKey, rows[0].secret_ciphertext)).toBe(aEndpoint.secret);
    // A's own sends may have added message.* deliveries meanwhile (A's endpoint takes every event); of tests, only A's.
    const deliveries = await api.graphql(
      `query ($id: ID!) { webhookDeliveries(endpointId: $id, filter: { eventType: "test" }) { edges { node { id status } } } }`,
      { id: aEndpoint.id },
      { token: a.token },
    );
    expect(expectData(deliveries).webhookDeliveries.edges).toEqual([{ node: { id: aDeliveryId, status: "PENDING" } }]);
    const audit = await api.database.ownerPool.query(`SELECT action FROM audit_logs WHERE tenant_id = $1 AND action LIKE 'webhook%' ORDER BY created_at, id`, [
      a.tenantId,
    ]);
    expect(audit.rows.map((row) => row.action)).toEqual(["webhook_endpoint.created", "webhook_endpoint.test_sent"]);
  });

  it("A is untouched afterwards: its key works, its member keeps their role, its team is whole", async () => {
    expect((await api.graphql(`{ tenant { id } }`, {}, { token: aKey.secret })).data).toEqual({ tenant: { id: a.tenantId } });
    const team = await api.graphql(`{ teamMembers { role user { id } } }`, {}, { token: a.token });
    expect(team.data!.teamMembers).toEqual([
      { role: "OWNER", user: { id: a.userId } },
      { role: "MEMBER", user: { id: aMember.userId } },
    ]);
    const invitations = await api.graphql(`{ teamInvitations { id email role status } }`, {}, { token: a.token });
    expect(invitations.data!.teamInvitations).toEqual([{ id: aInvitationId, email: aInvitee.email, role: "ADMIN", status: "PENDING" }]);
    const mine = await api.graphql(`{ myInvitations { id role } }`, {}, { token: aInvitee.token });
    expect(mine.data!.myInvitations).toEqual([{ id: aInvitationId, role: "ADMIN" }]);
    const keys = await api.graphql(`{ apiKeys { id revokedAt } }`, {}, { token: a.token });
    expect(keys.data!.apiKeys).toEqual([{ id: aKey.id, revokedAt: null }]);
    const whatsapp = await api.graphql(
      `{ tenant { whatsapp { number status inboundWebhookUrl } } messages { edges { node { id text } } } }`,
      {},
      { token: a.token },
    );
    expect(whatsapp.data).toEqual({
      tenant: { whatsapp: { number: A_NUMBER, status: "CONNECTED", inboundWebhookUrl: aInboundUrl } },
      messages: { edges: [{ node: { id: aMessageId, text: A_TEXT } }] },
    });
  });
});
