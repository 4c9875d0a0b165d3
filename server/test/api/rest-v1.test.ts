import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "../support/api.ts";
import { connectedTenant, startMessagingWorld, type MessagingWorld, type Sender } from "../support/messaging.ts";

/**
 * `POST /api/v1/send-message` takes exactly what it documents: JSON types as sent (no coercion),
 * text PostgreSQL can store, and the tenant a session names with X-Tenant-Id.
 */

let world: MessagingWorld;
let sender: Sender;
beforeAll(async () => {
  world = await startMessagingWorld();
  sender = await connectedTenant(world, { label: "rest" });
});
afterAll(() => world?.close());

async function post(body: string | undefined, headers: Record<string, string> = {}) {
  const response = await fetch(`${world.api.url}/api/v1/send-message`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${sender.key}`, ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Record<string, any> };
}

const messagesIn = async (tenantId: string) =>
  (await world.api.database.ownerPool.query("SELECT count(*)::int AS n FROM messages WHERE tenant_id = $1", [tenantId])).rows[0].n as number;

describe("JSON types are taken as sent", () => {
  it.each([
    ["a boolean message", `{ "number": "+8801512345678", "message": true }`, "message", '"message" must be a JSON string.'],
    ["an array message", `{ "number": "+8801512345678", "message": ["a"] }`, "message", '"message" must be a JSON string.'],
    ["a numeric message", `{ "number": "+8801512345678", "message": 123 }`, "message", '"message" must be a JSON string.'],
    ["a null message", `{ "number": "+8801512345678", "message": null }`, "message", '"message" must be a JSON string.'],
    ["a numeric number", `{ "number": 8801512345678, "message": "hi" }`, "number", '"number" must be a JSON string.'],
    ["a missing message", `{ "number": "+8801512345678" }`, "message", 'Send "message" too.'],
    ["a missing number", `{ "message": "hi" }`, "number", 'Send "number" too.'],
    ["an empty object", `{}`, "number", 'Send "number" too.'],
    [
      "an unknown field",
      `{ "number": "+8801512345678", "message": "hi", "mesage": "typo" }`,
      "mesage",
      '"mesage" is not a field of this request; send "number" and "message" (and optionally "message_type": "text").',
    ],
    [
      "a message_type other than text",
      `{ "number": "+8801512345678", "message": "hi", "message_type": "image" }`,
      "message_type",
      '"message_type" must be one of: text.',
    ],
    ["a JSON array body", `[{ "number": "+8801512345678", "message": "hi" }]`, "body", "Send a JSON object."],
    ["a JSON null body", `null`, "body", "Send a JSON object."],
    ["a body that is not JSON", `number=8801512345678&message=hi`, "body", expect.stringMatching(/not valid JSON/)],
  ])("refuses %s with 400 BAD_USER_INPUT naming the field, and stores nothing", async (_label, body, field, message) => {
    const before = await messagesIn(sender.tenantId);
    const response = await post(body);
    expect(response.status, response.text).toBe(400);
    expect(response.body).toEqual({ error: { code: "BAD_USER_INPUT", message, field } });
    expect(await messagesIn(sender.tenantId)).toBe(before);
  });

  it("takes Rapiwa's own message_type: text along with number and message", async () => {
    const before = await messagesIn(sender.tenantId);
    const response = await post(`{ "number": "+8801512345678", "message": "hi", "message_type": "text" }`);
    expect(response.status, response.text).toBe(202);
    expect(await messagesIn(sender.tenantId)).toBe(before + 1);
  });

  it("refuses a body sent as another media type, naming the body", async () => {
    const response = await post("hello", { "content-type": "text/plain" });
    expect(response.status, response.text).toBeGreaterThanOrEqual(400);
    expect(response.status, response.text).toBeLessThan(500);
    expect(response.body).toEqual({ error: { code: "BAD_USER_INPUT", field: "body", message: "Send a JSON object." } });
  });
});

const UNSTORABLE = "This text holds a character we cannot store (a NUL character, or half of a UTF-16 surrogate pair); remove it.";

describe("text PostgreSQL cannot store", () => {
  it.each([
    ["a NUL in the message", { number: "+8801512345678", message: "a\u0000b" }, "message", UNSTORABLE],
    ["a lone surrogate in the message", { number: "+8801512345678", message: "a\ud800b" }, "message", UNSTORABLE],
    ["a NUL in the number", { number: "+88015\u000012345678", message: "hi" }, "number", UNSTORABLE],
    ["an over-long message", { number: "+8801512345678", message: "x".repeat(70_000) }, "message", '"message" may be at most 16384 characters long.'],
    ["an over-long number", { number: "1".repeat(5_000), message: "hi" }, "number", '"number" may be at most 40 characters long.'],
  ])("refuses %s with 400 naming the field, and stores nothing", async (_label, body, field, message) => {
    const before = await messagesIn(sender.tenantId);
    const response = await post(JSON.stringify(body));
    expect(response.status, response.text).toBe(400);
    expect(response.body).toEqual({ error: { code: "BAD_USER_INPUT", field, message } });
    expect(await messagesIn(sender.tenantId)).toBe(before);
  });

  it("refuses an over-long Idempotency-Key", async () => {
    const response = await post(JSON.stringify({ number: "+8801512345678", message: "hi" }), { "idempotency-key": "k".repeat(300) });
    expect(response.status, response.text).toBe(400);
    expect(response.body.error).toEqual({ code: "BAD_USER_INPUT", field: "Idempotency-Key", message: '"Idempotency-Key" may be at most 255 characters long.' });
  });
});

describe("X-Tenant-Id with a session", () => {
  it("sends from the tenant it names, and refuses a tenant the user is not in", async () => {
    const other = await connectedTenant(world, { label: "rest-second", number: "+8801712345679" });
    // The user joins the second tenant directly in the database: how members join is not under test.
    await world.api.database.owner.membership.create({ data: { tenantId: other.tenantId, userId: sender.userId, role: "MEMBER" } });
    const before = { first: await messagesIn(sender.tenantId), second: await messagesIn(other.tenantId) };

    const chosen = await post(JSON.stringify({ number: "+8801512345678", message: "from the second tenant" }), {
      authorization: `Bearer ${sender.token}`,
      "x-tenant-id": other.tenantId,
    });
    expect(chosen.status, chosen.text).toBe(202);
    const stored = await world.api.database.ownerPool.query("SELECT tenant_id, body FROM messages WHERE id = $1", [chosen.body.id]);
    expect(stored.rows).toEqual([{ tenant_id: other.tenantId, body: "from the second tenant" }]);
    expect(await messagesIn(sender.tenantId)).toBe(before.first);
    expect(await messagesIn(other.tenantId)).toBe(before.second + 1);

    const stranger = await signUp(world.api, "rest-stranger");
    const foreign = await post(JSON.stringify({ number: "+8801512345678", message: "not mine" }), {
      authorization: `Bearer ${sender.token}`,
      "x-tenant-id": stranger.tenantId,
    });
    expect(foreign.status, foreign.text).toBe(403);
    expect(foreign.body.error).toEqual({ code: "FORBIDDEN", message: "You are not a member of this tenant (check the X-Tenant-Id header)." });
    const malformed = await post(JSON.stringify({ number: "+8801512345678", message: "not an id" }), {
      authorization: `Bearer ${sender.token}`,
      "x-tenant-id": "not-a-uuid",
    });
    expect(malformed.status, malformed.text).toBe(400);
    expect(malformed.body.error).toEqual({ code: "BAD_USER_INPUT", field: "X-Tenant-Id", message: "X-Tenant-Id must be the id of one of your tenants." });
    expect(await messagesIn(sender.tenantId)).toBe(before.first);
    expect(await messagesIn(stranger.tenantId)).toBe(0);
    expect(await messagesIn(other.tenantId)).toBe(before.second + 1);
  });
});
