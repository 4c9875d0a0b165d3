import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grantStaffRole } from "../../src/modules/support/staff.ts";
import {
  addMember,
  createApiKey,
  createWebhookEndpoint,
  ensureSandboxWhatsApp,
  errorCode,
  expectData,
  invite,
  logIn,
  signUp,
  startTestApi,
  type SignedUp,
  type TestApi,
} from "../support/api.ts";
import { eventually, insertMessages } from "../support/messaging.ts";
import { ACCESS_LOG, newStaff, OPEN, REASON, SEARCH, START_SESSION, startSession, type Staff } from "./staff.ts";

const CONTACT = "+14155550123";
const SEND = `mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id status } }`;
const MESSAGE_STATUS = `query ($id: ID!) { message(id: $id) { status } }`;

let api: TestApi;
let ownerA: SignedUp;
let ownerB: SignedUp;
let messageA: string;
let messageB: string;
let support: Staff;

async function send(owner: SignedUp, to: string, text: string): Promise<string> {
  const id = expectData(await api.graphql(SEND, { input: { to, text } }, { token: owner.token, tenantId: owner.tenantId })).sendMessage.id as string;
  // Sent: its status history and the webhook deliveries of message.sent exist.
  await eventually(
    () => api.graphql(MESSAGE_STATUS, { id }, { token: owner.token, tenantId: owner.tenantId }),
    (result) => ["SENT", "DELIVERED", "READ"].includes(result.data?.message?.status),
  );
  return id;
}

/** What the owner connection sees in the audit table (through RLS: it is the superuser). */
async function accessRows(where = "true", params: unknown[] = []) {
  const { rows } = await api.database.ownerPool.query(
    `SELECT tenant_id, staff_user_id, staff_email, reason, action, query, message_id, support_session_id FROM support_access_log WHERE ${where} ORDER BY created_at, id`,
    params,
  );
  return rows;
}

beforeAll(async () => {
  api = await startTestApi();
  ownerA = await signUp(api, "support-a");
  ownerB = await signUp(api, "support-b");
  await ensureSandboxWhatsApp(api, ownerA, "+8801711000001");
  await ensureSandboxWhatsApp(api, ownerB, "+8801711000002");
  await createWebhookEndpoint(api, ownerA, { events: ["MESSAGE_SENT"] });
  messageA = await send(ownerA, CONTACT, "Your ORDER 1234 is confirmed");
  messageB = await send(ownerB, CONTACT, "Welcome to Beta");
  await send(ownerB, "+14155550999", "Someone else's order 1234");
  support = await newStaff(api, "SUPPORT");
});
afterAll(() => api?.close());

describe("staff log in", () => {
  it("through logIn, acting in no tenant, with their platform role in logIn and me", async () => {
    const result = await api.graphql(`mutation ($input: LogInInput!) { logIn(input: $input) { token tenant { id } platformRole user { email } } }`, {
      input: { email: support.email, password: support.password },
    });
    expect(expectData(result).logIn).toMatchObject({ tenant: null, platformRole: "SUPPORT", user: { email: support.email } });
    const me = expectData(await api.graphql(`{ me { email platformRole memberships { role } } }`, {}, { token: support.token })).me;
    expect(me).toEqual({ email: support.email, platformRole: "SUPPORT", memberships: [] });
    const tenantMe = expectData(await api.graphql(`{ me { platformRole } }`, {}, { token: ownerA.token })).me;
    expect(tenantMe.platformRole).toBeNull();
  });
});

describe("searching across tenants", () => {
  it("finds every tenant's messages with the number, without their text, and records one entry per tenant shown", async () => {
    const sessionId = await startSession(api, support);
    const result = expectData(await api.graphql(SEARCH, { sessionId, filter: { contact: "+1 (415) 555-0123" } }, { token: support.token }));
    const nodes = result.supportSearchMessages.edges.map((edge: { node: Record<string, any> }) => edge.node);
    expect(nodes.map((node: { id: string }) => node.id).sort()).toEqual([messageA, messageB].sort());
    const nodeA = nodes.find((node: { id: string }) => node.id === messageA);
    expect(nodeA).toMatchObject({
      tenant: { id: ownerA.tenantId, companyName: expect.stringContaining("support-a") },
      direction: "OUTBOUND",
      contact: CONTACT,
    });
    expect(nodeA.history.map((change: { status: string }) => change.status)).toContain("SENT");
    expect(nodeA.attempts).toBeGreaterThanOrEqual(1);
    expect(nodeA.webhookDeliveries.map((delivery: { eventType: string }) => delivery.eventType)).toContain("message.sent");
    expect(JSON.stringify(nodes)).not.toContain("confirmed");

    const rows = await accessRows("support_session_id = $1", [sessionId]);
    expect(rows.map((row) => row.tenant_id).sort()).toEqual([ownerA.tenantId, ownerB.tenantId].sort());
    for (const row of rows) {
      expect(row).toMatchObject({
        staff_user_id: support.userId,
        staff_email: support.email,
        reason: REASON,
        action: "SEARCH",
        query: { contact: CONTACT },
        message_id: null,
      });
    }
  });

  it("has no field for a message's text in search results", async () => {
    const type = expectData(await api.graphql(`{ __type(name: "SupportMessage") { fields { name } } }`)).__type;
    const fields = type.fields.map((field: { name: string }) => field.name);
    expect(fields).toContain("contact");
    expect(fields.filter((name: string) => /text|body|preview/i.test(name))).toEqual([]);
  });

  it("finds text anywhere in a message, ignoring case, and records only the tenants shown", async () => {
    const sessionId = await startSession(api, support);
    const result = expectData(await api.graphql(SEARCH, { sessionId, filter: { text: "order 1234", tenantId: ownerA.tenantId } }, { token: support.token }));
    expect(result.supportSearchMessages.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([messageA]);
    const rows = await accessRows("support_session_id = $1", [sessionId]);
    expect(rows.map((row) => row.tenant_id)).toEqual([ownerA.tenantId]);
    expect(rows[0].query).toEqual({ text: "order 1234", tenantId: ownerA.tenantId });
  });

  it("records nothing for a search that shows nothing", async () => {
    const sessionId = await startSession(api, support);
    const result = expectData(await api.graphql(SEARCH, { sessionId, filter: { contact: "+14155550777" } }, { token: support.token }));
    expect(result.supportSearchMessages.edges).toEqual([]);
    expect(await accessRows("support_session_id = $1", [sessionId])).toEqual([]);
  });

  it("pages newest first by keyset, each page recorded", async () => {
    const contact = "+14155550150";
    await insertMessages(api, ownerA.tenantId, 5, { contact, createdAt: new Date(Date.now() - 60_000) });
    const sessionId = await startSession(api, support);
    const seen: string[] = [];
    const times: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const data: any = expectData(await api.graphql(SEARCH, { sessionId, filter: { contact }, first: 2, after }, { token: support.token }));
      const connection = data.supportSearchMessages;
      seen.push(...connection.edges.map((edge: { node: { id: string } }) => edge.node.id));
      times.push(...connection.edges.map((edge: { node: { createdAt: string } }) => edge.node.createdAt));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect([...times].sort().reverse()).toEqual(times);
    expect(await accessRows("support_session_id = $1", [sessionId])).toHaveLength(3);
  });

  it("refuses searches that name nothing, text shorter than 3 characters, a malformed number or too large a page", async () => {
    const sessionId = await startSession(api, support);
    const cases: [Record<string, unknown>, string][] = [
      [{ filter: {} }, "filter"],
      [{ filter: { statuses: ["SENT"] } }, "filter"],
      [{ filter: { text: "ab" } }, "filter.text"],
      [{ filter: { contact: "call me" } }, "filter.contact"],
      [{ filter: { messageId: "42" } }, "filter.messageId"],
      [{ filter: { contact: CONTACT }, first: 101 }, "first"],
    ];
    for (const [variables, field] of cases) {
      const result = await api.graphql(SEARCH, { sessionId, ...variables }, { token: support.token });
      expect(errorCode(result), JSON.stringify(variables)).toBe("BAD_USER_INPUT");
      expect(result.errors![0]!.extensions!.field, JSON.stringify(variables)).toBe(field);
    }
    expect(await accessRows("support_session_id = $1", [sessionId])).toEqual([]);
  });
});

describe("opening a message", () => {
  it("returns its text, history and deliveries, and records it for that tenant alone", async () => {
    const sessionId = await startSession(api, support);
    const opened = expectData(await api.graphql(OPEN, { sessionId, messageId: messageA }, { token: support.token })).supportMessage;
    expect(opened).toMatchObject({ id: messageA, text: "Your ORDER 1234 is confirmed", tenant: { id: ownerA.tenantId } });
    expect(opened.webhookDeliveries.map((delivery: { eventType: string }) => delivery.eventType)).toContain("message.sent");
    expect(await accessRows("support_session_id = $1", [sessionId])).toEqual([
      expect.objectContaining({ tenant_id: ownerA.tenantId, action: "OPEN_MESSAGE", message_id: messageA, query: { messageId: messageA } }),
    ]);
  });

  it("answers null for an id no tenant has, recording nothing", async () => {
    const sessionId = await startSession(api, support);
    const result = await api.graphql(OPEN, { sessionId, messageId: randomUUID() }, { token: support.token });
    expect(expectData(result).supportMessage).toBeNull();
    expect(await accessRows("support_session_id = $1", [sessionId])).toEqual([]);
  });
});

describe("support sessions", () => {
  it("need a reason of 10 to 500 characters", async () => {
    for (const reason of ["too short", " ".repeat(20), "x".repeat(501)]) {
      const result = await api.graphql(START_SESSION, { reason }, { token: support.token });
      expect(errorCode(result), reason.slice(0, 20)).toBe("BAD_USER_INPUT");
      expect(result.errors![0]!.extensions!.field).toBe("reason");
    }
    const started = expectData(await api.graphql(START_SESSION, { reason: `  ${REASON}  ` }, { token: support.token })).startSupportSession;
    expect(started.reason).toBe(REASON);
    expect(Date.parse(started.expiresAt) - Date.parse(started.startedAt)).toBe(30 * 60_000);
  });

  it("are refused once expired, ended, or when they are someone else's, and such reads record nothing", async () => {
    const colleague = await newStaff(api, "SUPPORT", "colleague");
    const expired = await startSession(api, support);
    await api.database.ownerPool.query("UPDATE support_sessions SET expires_at = now() - interval '1 second' WHERE id = $1", [expired]);
    const ended = await startSession(api, support);
    expect(
      expectData(await api.graphql(`mutation ($id: ID!) { endSupportSession(sessionId: $id) }`, { id: ended }, { token: support.token })).endSupportSession,
    ).toBe(true);
    const colleagues = await startSession(api, colleague);

    for (const sessionId of [expired, ended, colleagues, randomUUID()]) {
      const search = await api.graphql(SEARCH, { sessionId, filter: { contact: CONTACT } }, { token: support.token });
      expect(errorCode(search), sessionId).toBe("FORBIDDEN");
      expect(search.errors![0]!.message).toMatch(/support session/);
      expect(errorCode(await api.graphql(OPEN, { sessionId, messageId: messageA }, { token: support.token })), sessionId).toBe("FORBIDDEN");
    }
    expect(await accessRows("support_session_id = ANY ($1::uuid[])", [[expired, ended, colleagues]])).toEqual([]);

    // Until it expires the same session works (the refusal above is the expiry's doing).
    const live = await startSession(api, support);
    expect(errorCode(await api.graphql(SEARCH, { sessionId: live, filter: { contact: CONTACT } }, { token: support.token }))).toBe("none");
  });
});

describe("what tenants see", () => {
  it("owners and admins read support's entries about their own tenant only, with the staff email, reason and what was searched", async () => {
    const sessionId = await startSession(api, support, "Ticket 77: tenant A asked why a message failed");
    expectData(await api.graphql(SEARCH, { sessionId, filter: { contact: CONTACT } }, { token: support.token }));
    expectData(await api.graphql(OPEN, { sessionId, messageId: messageA }, { token: support.token }));
    expectData(await api.graphql(OPEN, { sessionId, messageId: messageB }, { token: support.token }));

    const admin = await addMember(api, ownerA, await signUp(api, "support-a-admin"), "ADMIN");
    for (const reader of [ownerA, admin]) {
      const log = expectData(await api.graphql(ACCESS_LOG, { first: 100 }, { token: reader.token, tenantId: ownerA.tenantId })).supportAccessLog;
      const ofSession = log.edges.map((edge: { node: any }) => edge.node).filter((node: any) => node.supportSessionId === sessionId);
      expect(ofSession).toEqual([
        expect.objectContaining({
          action: "OPEN_MESSAGE",
          messageId: messageA,
          staffEmail: support.email,
          reason: "Ticket 77: tenant A asked why a message failed",
        }),
        expect.objectContaining({ action: "SEARCH", messageId: null, query: expect.objectContaining({ contact: CONTACT, text: null, tenantNamed: false }) }),
      ]);
      // Every entry the tenant sees is about the tenant: as many as the table holds for it, none of B's.
      expect(log.edges).toHaveLength((await accessRows("tenant_id = $1", [ownerA.tenantId])).length);
      expect(log.edges.map((edge: { node: any }) => edge.node.messageId)).not.toContain(messageB);
    }
    const logB = expectData(await api.graphql(ACCESS_LOG, { first: 100 }, { token: ownerB.token, tenantId: ownerB.tenantId })).supportAccessLog;
    expect(logB.edges.map((edge: { node: any }) => edge.node.messageId)).not.toContain(messageA);
    expect(logB.edges.map((edge: { node: any }) => edge.node.messageId)).toContain(messageB);
  });

  it("members and API keys other than TENANT_ADMIN are refused", async () => {
    const member = await addMember(api, ownerA, await signUp(api, "support-a-member"), "MEMBER");
    expect(errorCode(await api.graphql(ACCESS_LOG, {}, { token: member.token, tenantId: ownerA.tenantId }))).toBe("FORBIDDEN");
    const readKey = await createApiKey(api, ownerA, ["MESSAGES_READ"]);
    expect(errorCode(await api.graphql(ACCESS_LOG, {}, { token: readKey.secret }))).toBe("FORBIDDEN");
    const adminKey = await createApiKey(api, ownerA, ["TENANT_ADMIN"]);
    expect(errorCode(await api.graphql(ACCESS_LOG, {}, { token: adminKey.secret }))).toBe("none");
  });
});

describe("permissions", () => {
  it("refuse every staff operation to tenant people and API keys, FORBIDDEN, changing nothing", async () => {
    const sessionId = await startSession(api, support);
    const key = await createApiKey(api, ownerA, ["TENANT_ADMIN", "MESSAGES_READ"]);
    const before = (await api.database.ownerPool.query("SELECT (SELECT count(*) FROM support_sessions) AS s, (SELECT count(*) FROM support_access_log) AS l"))
      .rows[0];
    for (const caller of [{ token: ownerA.token, tenantId: ownerA.tenantId }, { token: key.secret }]) {
      const calls = [
        api.graphql(START_SESSION, { reason: REASON }, caller),
        api.graphql(`mutation ($id: ID!) { endSupportSession(sessionId: $id) }`, { id: sessionId }, caller),
        api.graphql(SEARCH, { sessionId, filter: { contact: CONTACT } }, caller),
        api.graphql(OPEN, { sessionId, messageId: messageA }, caller),
      ];
      for (const result of await Promise.all(calls)) {
        expect(errorCode(result)).toBe("FORBIDDEN");
        expect(Object.values(result.data ?? {}).filter((value) => value !== null)).toEqual([]);
      }
    }
    const after = (await api.database.ownerPool.query("SELECT (SELECT count(*) FROM support_sessions) AS s, (SELECT count(*) FROM support_access_log) AS l"))
      .rows[0];
    expect(after).toEqual(before);
    // Not even without credentials.
    expect(errorCode(await api.graphql(START_SESSION, { reason: REASON }))).toBe("UNAUTHENTICATED");
  });

  it("a SUPPORT login changes nothing and reads no tenant through the tenant API, even as a member of that tenant", async () => {
    // An account that belongs to tenant A and is then made SUPPORT.
    const joined = await addMember(api, ownerA, await signUp(api, "support-a-turned-staff"), "ADMIN");
    const client = await api.database.ownerPool.connect();
    try {
      await grantStaffRole(client, { email: joined.email, role: "SUPPORT" });
    } finally {
      client.release();
    }
    const token = await logIn(api, joined);
    const caller = { token, tenantId: ownerA.tenantId };
    const invitationId = await invite(api, ownerB, joined.email, "MEMBER");
    const writes = {
      sendMessage: api.graphql(SEND, { input: { to: CONTACT, text: "from support" } }, caller),
      createApiKey: api.graphql(`mutation { createApiKey(input: { name: "x", scopes: [MESSAGES_READ] }) { secret } }`, {}, caller),
      inviteTeamMember: api.graphql(`mutation { inviteTeamMember(input: { email: "x@example.com", role: MEMBER }) { id } }`, {}, caller),
      disconnectWhatsApp: api.graphql(`mutation { disconnectWhatsApp { status } }`, {}, caller),
      acceptInvitation: api.graphql(`mutation ($id: ID!) { acceptInvitation(id: $id) { role } }`, { id: invitationId }, { token }),
      leaveTenant: api.graphql(`mutation { leaveTenant }`, {}, caller),
    };
    for (const [name, call] of Object.entries(writes)) {
      const result = await call;
      expect(errorCode(result), name).toBe("FORBIDDEN");
      expect(result.errors![0]!.message, name).toMatch(/read-only/);
    }
    for (const read of [`{ tenant { id } }`, `{ messages(first: 1) { edges { node { id } } } }`, `{ teamMembers { id } }`]) {
      expect(errorCode(await api.graphql(read, {}, caller)), read).toBe("FORBIDDEN");
    }
    const rest = await fetch(`${api.url}/api/v1/send-message`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "x-tenant-id": ownerA.tenantId },
      body: JSON.stringify({ number: CONTACT, message: "from support over REST" }),
    });
    expect(rest.status).toBe(403);
    const memberships = await api.database.ownerPool.query("SELECT tenant_id FROM memberships WHERE user_id = $1", [joined.userId]);
    // Still in A (leaveTenant refused), not in B (acceptInvitation refused).
    expect(memberships.rows.map((row) => row.tenant_id)).toContain(ownerA.tenantId);
    expect(memberships.rows.map((row) => row.tenant_id)).not.toContain(ownerB.tenantId);
    // Their own support session and logging out still work.
    expect(errorCode(await api.graphql(START_SESSION, { reason: REASON }, { token }))).toBe("none");
    expect(expectData(await api.graphql(`mutation { logOut }`, {}, { token })).logOut).toBe(true);
  });

  it("a SUPERADMIN uses the console too", async () => {
    const superadmin = await newStaff(api, "SUPERADMIN", "superadmin");
    const sessionId = await startSession(api, superadmin);
    const result = expectData(await api.graphql(SEARCH, { sessionId, filter: { messageId: messageB } }, { token: superadmin.token }));
    expect(result.supportSearchMessages.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([messageB]);
  });
});
