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
    ["a boolean message", `{ "number": "+8801512345678", "message": true }`, "message"],
    ["an array message", `{ "number": "+8801512345678", "message": ["a"] }`, "message"],
    ["a numeric message", `{ "number": "+8801512345678", "message": 123 }`, "message"],
    ["a null message", `{ "number": "+8801512345678", "message": null }`, "message"],
    ["a numeric number", `{ "number": 8801512345678, "message": "hi" }`, "number"],
    ["a missing message", `{ "number": "+8801512345678" }`, "message"],
    ["a missing number", `{ "message": "hi" }`, "number"],
    ["an empty object", `{}`, "number"],
    ["an unknown field", `{ "number": "+8801512345678", "message": "hi", "mesage": "typo" }`, "mesage"],
    ["a message_type other than text", `{ "number": "+8801512345678", "message": "hi", "message_type": "image" }`, "message_type"],
    ["a JSON array body", `[{ "number": "+8801512345678", "message": "hi" }]`, "body"],
    ["a JSON null body", `null`, "body"],
    ["a body that is not JSON", `number=8801512345678&message=hi`, "body"],
  ])("refuses %s with 400 BAD_USER_INPUT naming the field, and stores nothing", async (_label, body, field) => {
    const before = await messagesIn(sender.tenantId);
    const response = await post(body);
    expect(response.status, response.text).toBe(400);
    expect(response.body.error).toEqual({ code: "BAD_USER_INPUT", message: expect.any(String), field });
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
    expect(response.body.error).toMatchObject({ code: "BAD_USER_INPUT", field: "body" });
  });
});

describe("text PostgreSQL cannot store", () => {
  it.each([
    ["a NUL in the message", { number: "+8801512345678", message: "a\u0000b" }, "message"],
    ["a lone surrogate in the message", { number: "+8801512345678", message: "a\ud800b" }, "message"],
    ["a NUL in the number", { number: "+88015\u000012345678", message: "hi" }, "number"],
    ["an over-long message", { number: "+8801512345678", message: "x".repeat(70_000) }, "message"],
    ["an over-long number", { number: "1".repeat(5_000), message: "hi" }, "number"],
  ])("refuses %s with 400 naming the field, and stores nothing", async (_label, body, field) => {
    const before = await messagesIn(sender.tenantId);
    const response = await post(JSON.stringify(body));
    expect(response.status, response.text).toBe(400);
    expect(response.body.error).toMatchObject({ code: "BAD_USER_INPUT", field });
    expect(await messagesIn(sender.tenantId)).toBe(before);
  });

  it("refuses an over-long Idempotency-Key", async () => {
    const response = await post(JSON.stringify({ number: "+8801512345678", message: "hi" }), { "idempotency-key": "k".repeat(300) });
    expect(response.status, response.text).toBe(400);
    expect(response.body.error).toMatchObject({ code: "BAD_USER_INPUT", field: "Idempotency-Key" });
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
    expect(foreign.body.error.code).toBe("FORBIDDEN");
    const malformed = await post(JSON.stringify({ number: "+8801512345678", message: "not an id" }), {
      authorization: `Bearer ${sender.token}`,
      "x-tenant-id": "not-a-uuid",
    });
    expect(malformed.status, malformed.text).toBe(400);
    expect(malformed.body.error).toMatchObject({ code: "BAD_USER_INPUT", field: "X-Tenant-Id" });
    expect(await messagesIn(sender.tenantId)).toBe(before.first);
    expect(await messagesIn(stranger.tenantId)).toBe(0);
    expect(await messagesIn(other.tenantId)).toBe(before.second + 1);
  });
});
