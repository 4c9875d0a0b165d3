import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { signatureHeader } from "../../src/modules/webhooks/delivery-consumer.ts";
import { encryptSecret } from "../../src/security/secrets.ts";
import { expectData } from "../support/api.ts";
import { connectedTenant, eventually, SEND, startMessagingWorld, type MessagingWorld, type Sender } from "../support/messaging.ts";
import { startReceiver, type ReceivedRequest } from "./receiver.ts";

/**
 * Webhook deliveries end to end: events recorded by the product's own paths (a Rapiwa callback, a
 * send, a disconnect), delivered by the work engine to a real HTTP receiver on loopback
 * (WEBHOOK_ALLOW_PRIVATE_URLS=true, as in local development), with a retry schedule of fractions of
 * a second so that retries happen within the test (the schedule itself is unit-tested with a
 * driven clock in test/jobs/engine.test.ts).
 */

type Answer = { status: number; headers?: Record<string, string>; delayMs?: number };

/** The shared loopback receiver, answering as told (per path: a queue of answers, then 200), and counting requests in flight. */
async function startAnsweringReceiver() {
  const answers = new Map<string, Answer[]>();
  let inFlight = 0;
  let maxInFlight = 0;
  const receiver = await startReceiver((request, response) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const answer = answers.get(request.path)?.shift() ?? { status: 200 };
    setTimeout(() => {
      inFlight--;
      response.writeHead(answer.status, answer.headers ?? {});
      response.end(answer.status >= 400 ? `refused with ${answer.status}` : "ok");
    }, answer.delayMs ?? 0);
  });
  return {
    url: (path: string) => `http://127.0.0.1:${receiver.port}${path}`,
    on: (path: string) => receiver.requests.filter((entry) => entry.path === path),
    answer: (path: string, ...next: Answer[]) => answers.set(path, [...(answers.get(path) ?? []), ...next]),
    maxInFlight: () => maxInFlight,
    close: () => receiver.close(),
  };
}

let world: MessagingWorld;
let receiver: Awaited<ReturnType<typeof startAnsweringReceiver>>;
beforeAll(async () => {
  receiver = await startAnsweringReceiver();
  world = await startMessagingWorld({ WEBHOOK_ALLOW_PRIVATE_URLS: "true", WEBHOOK_RETRY_SCHEDULE: "0,0.05,0.05,0.05" });
});
afterAll(async () => {
  await world?.close();
  await receiver?.close();
});

const newSecret = () => `whsec_${randomBytes(32).toString("base64")}`;

/** An endpoint written straight into the table (the GraphQL API for endpoints is tested on its own). */
async function endpoint(tenant: Sender, path: string, { events = [] as string[], previousSecret = undefined as string | undefined } = {}) {
  const secret = newSecret();
  const key = world.api.services.keys.encryptionKey;
  const { rows } = await world.api.database.ownerPool.query(
    `INSERT INTO webhook_endpoints (tenant_id, id, url, secret_ciphertext, event_types, previous_secret_ciphertext, previous_secret_expires_at)
     VALUES ($1, gen_random_uuid(), $2, $3, $4, $5, CASE WHEN $5::text IS NULL THEN NULL ELSE now() + interval '24 hours' END) RETURNING id`,
    [tenant.tenantId, receiver.url(path), encryptSecret(key, secret), events, previousSecret ? encryptSecret(key, previousSecret) : null],
  );
  return { id: rows[0].id as string, secret };
}

/** A message from a contact, through the product's own Rapiwa callback route. */
async function inbound(tenant: Sender, text: string) {
  const { rows } = await world.api.database.ownerPool.query(
    "SELECT inbound_token_ciphertext FROM whatsapp_connections WHERE tenant_id = $1 AND status = 'CONNECTED'",
    [tenant.tenantId],
  );
  const { decryptSecret } = await import("../../src/security/secrets.ts");
  const token = decryptSecret(world.api.services.keys.encryptionKey, rows[0].inbound_token_ciphertext);
  const response = await fetch(`${world.api.url}/webhooks/rapiwa/${token}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ event: "message", data: { from: "8801811111111", message: text, messageId: `in-${randomBytes(6).toString("hex")}` } }),
  });
  expect(response.status).toBe(200);
}

const deliveries = async (endpointId: string) =>
  (
    await world.api.database.ownerPool.query(
      `SELECT d.id, d.event_id, d.event_type, d.status, d.attempts, d.last_response_status, d.last_error, d.next_attempt_at, d.last_attempt_at,
              (SELECT array_agg(a.response_status ORDER BY a.attempted_at) FROM webhook_delivery_attempts a WHERE a.tenant_id = d.tenant_id AND a.delivery_id = d.id) AS statuses
         FROM webhook_deliveries d WHERE d.endpoint_id = $1 ORDER BY d.id`,
      [endpointId],
    )
  ).rows;

const headersOf = (entry: ReceivedRequest) => ({
  "webhook-id": String(entry.headers["webhook-id"]),
  "webhook-timestamp": String(entry.headers["webhook-timestamp"]),
  "webhook-signature": String(entry.headers["webhook-signature"]),
});

let tenant: Sender;
beforeEach(async () => {
  tenant = await connectedTenant(world, { label: `hooks-${randomBytes(3).toString("hex")}` });
});

describe("webhook deliveries", () => {
  it("delivers an inbound message once, signed so that the standardwebhooks package verifies it", async () => {
    const { secret } = await endpoint(tenant, "/inbound");
    await inbound(tenant, "Hello from a customer");
    const [delivered] = await eventually(
      async () => receiver.on("/inbound"),
      (list) => list.length === 1,
    );
    const verified = new Webhook(secret).verify(delivered!.body, headersOf(delivered!)) as { type: string; timestamp: string; data: any };
    expect(verified).toMatchObject({
      type: "message.received",
      data: { tenantId: tenant.tenantId, message: { direction: "INBOUND", text: "Hello from a customer", status: "RECEIVED" } },
    });
    expect(verified.data.message.preview).toBeUndefined();
    expect(delivered!.headers["x-tenant-id"]).toBe(tenant.tenantId);
    expect(() => new Webhook(newSecret()).verify(delivered!.body, headersOf(delivered!))).toThrow();
  });

  it("retries a failing endpoint on the schedule under one webhook-id, and records every attempt", async () => {
    const hook = await endpoint(tenant, "/flaky");
    receiver.answer("/flaky", { status: 503 }, { status: 500 });
    await inbound(tenant, "retry me");
    const attempts = await eventually(
      async () => receiver.on("/flaky"),
      (list) => list.length === 3,
    );
    expect(new Set(attempts.map((entry) => entry.headers["webhook-id"])).size).toBe(1);
    const [delivery] = await eventually(
      () => deliveries(hook.id),
      (rows) => rows[0]?.status === "SUCCEEDED",
    );
    expect(delivery).toMatchObject({ attempts: 3, last_response_status: 200, statuses: [503, 500, 200] });
    expect(delivery.event_id).toBe(attempts[0]!.headers["webhook-id"]);
  });

  it("gives up after the last attempt of the schedule and says why", async () => {
    const hook = await endpoint(tenant, "/down");
    receiver.answer("/down", ...Array.from({ length: 10 }, () => ({ status: 500 })));
    await inbound(tenant, "never lands");
    const [delivery] = await eventually(
      () => deliveries(hook.id),
      (rows) => rows[0]?.status === "FAILED",
    );
    expect(delivery).toMatchObject({ attempts: 4, last_error: "HTTP 500", statuses: [500, 500, 500, 500] });
    expect(receiver.on("/down")).toHaveLength(4);
  });

  it("disables an endpoint that answers 410 Gone, with the reason, and delivers nothing more to it", async () => {
    const hook = await endpoint(tenant, "/gone");
    receiver.answer("/gone", { status: 410 });
    await inbound(tenant, "first");
    await eventually(
      () => deliveries(hook.id),
      (rows) => rows[0]?.status === "FAILED",
    );
    const { rows } = await world.api.database.ownerPool.query("SELECT enabled, disabled_reason FROM webhook_endpoints WHERE id = $1", [hook.id]);
    expect(rows[0]).toMatchObject({ enabled: false, disabled_reason: expect.stringMatching(/410 Gone/) });
    await inbound(tenant, "second");
    // The second event is recorded for no endpoint (none enabled): one request in all.
    await eventually(
      async () =>
        (await world.api.database.ownerPool.query("SELECT count(*)::int AS n FROM messages WHERE tenant_id = $1 AND body = 'second'", [tenant.tenantId]))
          .rows[0].n,
      (n) => n === 1,
    );
    expect(receiver.on("/gone")).toHaveLength(1);
    expect(await deliveries(hook.id)).toHaveLength(1);
  });

  it("does not follow redirects: a 3xx is a failed attempt, and the Location is never requested", async () => {
    const hook = await endpoint(tenant, "/moved");
    receiver.answer("/moved", { status: 302, headers: { location: receiver.url("/elsewhere") } });
    await inbound(tenant, "redirected");
    const [delivery] = await eventually(
      () => deliveries(hook.id),
      (rows) => rows[0]?.status === "SUCCEEDED",
    );
    expect(delivery.statuses).toEqual([302, 200]);
    expect(receiver.on("/elsewhere")).toEqual([]);
  });

  it("stops retrying when the receiver answers webhook-delivery: abort-message", async () => {
    const hook = await endpoint(tenant, "/abort");
    receiver.answer("/abort", { status: 422, headers: { "webhook-delivery": "abort-message" } });
    await inbound(tenant, "not wanted");
    const [delivery] = await eventually(
      () => deliveries(hook.id),
      (rows) => rows[0]?.status === "FAILED",
    );
    expect(delivery).toMatchObject({ attempts: 1, last_error: expect.stringMatching(/abort-message/) });
    expect(receiver.on("/abort")).toHaveLength(1);
  });

  it("comes back when Retry-After says, not on its own schedule", async () => {
    const hook = await endpoint(tenant, "/busy");
    receiver.answer("/busy", { status: 429, headers: { "retry-after": "2" } });
    await inbound(tenant, "later please");
    const [waiting] = await eventually(
      () => deliveries(hook.id),
      (rows) => rows[0]?.attempts === 1,
    );
    expect(waiting.status).toBe("PENDING");
    const waitMs = new Date(waiting.next_attempt_at).getTime() - new Date(waiting.last_attempt_at).getTime();
    expect(waitMs).toBeGreaterThanOrEqual(1_900);
    const [done] = await eventually(
      () => deliveries(hook.id),
      (rows) => rows[0]?.status === "SUCCEEDED",
    );
    expect(done.statuses).toEqual([429, 200]);
  });

  it("signs with both secrets while a rotated-out one still counts", async () => {
    const previous = newSecret();
    const hook = await endpoint(tenant, "/rotated", { previousSecret: previous });
    await inbound(tenant, "rotation");
    const [delivered] = await eventually(
      async () => receiver.on("/rotated"),
      (list) => list.length === 1,
    );
    expect(String(delivered!.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(() => new Webhook(hook.secret).verify(delivered!.body, headersOf(delivered!))).not.toThrow();
    expect(() => new Webhook(previous).verify(delivered!.body, headersOf(delivered!))).not.toThrow();
  });

  it("delivers an endpoint's events in the order they happened, one at a time", async () => {
    await endpoint(tenant, "/ordered");
    receiver.answer("/ordered", ...Array.from({ length: 6 }, () => ({ status: 200, delayMs: 30 })));
    for (let index = 0; index < 6; index++) await inbound(tenant, `in order ${index}`);
    const list = await eventually(
      async () => receiver.on("/ordered"),
      (entries) => entries.length === 6,
    );
    expect(list.map((entry) => JSON.parse(entry.body).data.message.text)).toEqual(Array.from({ length: 6 }, (_, index) => `in order ${index}`));
    expect(receiver.maxInFlight()).toBe(1);
  });

  it("reports a send's outcome (message.sent), only to endpoints that asked for it", async () => {
    const sentOnly = await endpoint(tenant, "/sent-only", { events: ["message.sent"] });
    const receivedOnly = await endpoint(tenant, "/received-only", { events: ["message.received"] });
    const accepted = expectData(await world.api.graphql(SEND, { input: { to: "+14155550160", text: "shipped" } }, { token: tenant.key })).sendMessage;
    const [delivered] = await eventually(
      async () => receiver.on("/sent-only"),
      (list) => list.length === 1,
    );
    expect(JSON.parse(delivered!.body)).toMatchObject({ type: "message.sent", data: { message: { id: accepted.id, status: "SENT", text: "shipped" } } });
    expect(await deliveries(receivedOnly.id)).toEqual([]);
    expect(await deliveries(sentOnly.id)).toHaveLength(1);
  });

  it("reports a disconnected number (connection.disconnected) without its secrets", async () => {
    await endpoint(tenant, "/connection");
    expectData(await world.api.graphql(`mutation { disconnectWhatsApp { status } }`, {}, { token: tenant.token }));
    const [delivered] = await eventually(
      async () => receiver.on("/connection"),
      (list) => list.length === 1,
    );
    const body = JSON.parse(delivered!.body);
    expect(body).toMatchObject({
      type: "connection.disconnected",
      data: { tenantId: tenant.tenantId, connection: { number: tenant.number, status: "DISCONNECTED" } },
    });
    expect(delivered!.body).not.toMatch(/Ciphertext|inbound/i);
  });

  it("records no event and no delivery for a tenant without endpoints", async () => {
    await inbound(tenant, "nobody listens");
    const { rows } = await world.api.database.ownerPool.query(
      "SELECT (SELECT count(*)::int FROM webhook_events WHERE tenant_id = $1) AS events, (SELECT count(*)::int FROM webhook_deliveries WHERE tenant_id = $1) AS deliveries",
      [tenant.tenantId],
    );
    expect(rows[0]).toEqual({ events: 0, deliveries: 0 });
  });
});

describe("webhook retention", () => {
  it("clears event payloads after 30 days, keeping the deliveries and their log", async () => {
    const hook = await endpoint(tenant, "/kept");
    const pool = world.api.database.ownerPool;
    const insertEvent = async (daysAgo: number) => {
      const { rows } = await pool.query(
        `WITH event AS (
           INSERT INTO webhook_events (tenant_id, id, type, payload, occurred_at)
           VALUES ($1, gen_random_uuid(), 'message.received', '{"message": {"body": "old news"}}', now() - make_interval(days => $3))
           RETURNING id
         )
         INSERT INTO webhook_deliveries (tenant_id, id, endpoint_id, event_id, event_type, status)
         SELECT $1, gen_random_uuid(), $2, id, 'message.received', 'SUCCEEDED' FROM event RETURNING event_id`,
        [tenant.tenantId, hook.id, daysAgo],
      );
      return rows[0].event_id as string;
    };
    const old = await insertEvent(31);
    const recent = await insertEvent(29);
    expect(await world.api.services.housekeeping!.run("webhook-payloads")).toBeGreaterThanOrEqual(1);
    const { rows } = await pool.query("SELECT id, payload IS NULL AS cleared FROM webhook_events WHERE id = ANY($1::uuid[])", [[old, recent]]);
    expect(Object.fromEntries(rows.map((row) => [row.id, row.cleared]))).toEqual({ [old]: true, [recent]: false });
    expect(await deliveries(hook.id)).toHaveLength(2);
  });
});

describe("webhook signatures", () => {
  it("match the Standard Webhooks specification's test vector", () => {
    // From the specification (standard-webhooks/spec, "Verifying webhooks").
    const signature = signatureHeader(
      ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
      "msg_p5jXN8AQM9LWM0D4loKWxJek",
      new Date(1614265330 * 1000),
      '{"test": 2432232314}',
    );
    expect(signature).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });
});

describe("webhook deliveries of provider callbacks, without waiting for a poll", () => {
  let quiet: MessagingWorld;
  beforeAll(async () => {
    // The engines look for work they were not told about only every 10 minutes: what is delivered here was woken.
    quiet = await startMessagingWorld({ WEBHOOK_ALLOW_PRIVATE_URLS: "true", DISPATCH_POLL_MS: "600000" });
  });
  afterAll(async () => {
    await quiet?.close();
  });

  it("wakes the endpoint's engine once the callbacks' batch is committed", async () => {
    const previous = world;
    world = quiet;
    try {
      const sender = await connectedTenant(quiet, { label: `woken-${randomBytes(3).toString("hex")}` });
      await endpoint(sender, "/woken");
      await Promise.all(Array.from({ length: 5 }, (_, index) => inbound(sender, `woken ${index}`)));
      const list = await eventually(
        async () => receiver.on("/woken"),
        (entries) => entries.length === 5,
      );
      expect(list.map((entry) => JSON.parse(entry.body).data.message.text).sort()).toEqual(Array.from({ length: 5 }, (_, index) => `woken ${index}`));
    } finally {
      world = previous;
    }
  });
});
