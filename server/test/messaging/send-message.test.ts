import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApiKey, errorCode, expectData, signUp } from "../support/api.ts";
import { connectedTenant, eventually, messageState, SEND, startMessagingWorld, type MessagingWorld, type Sender } from "../support/messaging.ts";

let world: MessagingWorld;
let sender: Sender;
beforeAll(async () => {
  world = await startMessagingWorld();
  sender = await connectedTenant(world);
});
afterAll(() => world?.close());
// Each test starts with nothing in flight, so a configured failure hits that test's message.
beforeEach(async () => {
  await eventually(
    () => countRows("status IN ('QUEUED', 'SENDING')", []),
    (pending) => pending === 0,
    20_000,
  );
  world.rapiwa.reset();
});

const send = (input: Record<string, unknown>, token = sender.key) => world.api.graphql(SEND, { input }, { token });
const sentTexts = () => world.rapiwa.received().map((received) => received.message);
/**
 * Waits until the dispatcher has claimed and sent a message of `tenant` accepted after this call,
 * and nothing of the tenant is QUEUED or SENDING: whatever it was going to do with earlier
 * messages has happened by then (claims are in due-time order).
 */
async function dispatcherPassed(tenant: Sender = sender) {
  const marker = await send({ to: "+14155550199", text: `marker ${Date.now()} ${Math.random()}` }, tenant.key);
  const id = expectData(marker).sendMessage.id as string;
  await eventually(
    () => messageState(world.api, tenant, id),
    (message) => message.status === "SENT",
  );
  await eventually(
    () => countRows("tenant_id = $1 AND status IN ('QUEUED', 'SENDING')", [tenant.tenantId]),
    (pending) => pending === 0,
  );
}
/** A message's status and attempts, and how many jobs are left for it (0 once its work ended). */
const stateAndJob = async (on: MessagingWorld, id: string) =>
  (
    await on.api.database.ownerPool.query(
      "SELECT m.status, m.attempts, (SELECT count(*)::int FROM jobs j WHERE j.tenant_id = m.tenant_id AND j.id = m.id) AS jobs FROM messages m WHERE m.id = $1",
      [id],
    )
  ).rows[0];
const countRows = async (where: string, values: unknown[]) =>
  (await world.api.database.ownerPool.query(`SELECT count(*)::int AS n FROM messages WHERE ${where}`, values)).rows[0].n as number;

describe("sendMessage", () => {
  it("answers QUEUED at once, then the dispatcher sends it with the tenant's key and records SENT", async () => {
    const result = await send({ to: "14155550101", text: "Your order has shipped" });
    expect(result.errors).toBeUndefined();
    const accepted = result.data!.sendMessage;
    expect(accepted).toMatchObject({
      direction: "OUTBOUND",
      to: "+14155550101",
      from: sender.number,
      text: "Your order has shipped",
      status: "QUEUED",
      attempts: 0,
    });

    const done = await eventually(
      () => messageState(world.api, sender, accepted.id),
      (message) => message.status === "SENT",
    );
    const [received] = world.rapiwa.received();
    expect(received).toMatchObject({ number: "14155550101", message: "Your order has shipped", apiKey: `rapiwa-key-${sender.tenantId}` });
    expect(done).toMatchObject({ attempts: 1, providerMessageId: received!.messageId, error: null });
    expect(done.history.map((entry) => entry.status)).toEqual(["QUEUED", "SENT"]);
  });

  it.each([
    ["an unusable recipient", { to: "12", text: "hi" }, "to"],
    ["empty text", { to: "+14155550101", text: "" }, "text"],
    ["blank text", { to: "+14155550101", text: "   " }, "text"],
    ["text over 4,096 characters", { to: "+14155550101", text: "x".repeat(4_097) }, "text"],
    ["an empty idempotency key", { to: "+14155550101", text: "hi", idempotencyKey: "" }, "idempotencyKey"],
    ["an idempotency key over 255 characters", { to: "+14155550101", text: "hi", idempotencyKey: "k".repeat(256) }, "idempotencyKey"],
  ])("refuses %s and stores nothing", async (_label, input, field) => {
    const before = await countRows("tenant_id = $1", [sender.tenantId]);
    const result = await send(input);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    expect(await countRows("tenant_id = $1", [sender.tenantId])).toBe(before);
  });

  it("counts characters as people do: 4,096 emoji fit", async () => {
    const result = await send({ to: "+14155550101", text: "👍".repeat(4_096) });
    expect(result.data?.sendMessage.status).toBe("QUEUED");
  });

  it("needs a connected number", async () => {
    const owner = await signUp(world.api, "unconnected");
    const key = await createApiKey(world.api, owner, ["MESSAGES_SEND"]);
    const result = await send({ to: "+14155550101", text: "hi" }, key.secret);
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: "CONFLICT" }, message: expect.stringMatching(/Connect a WhatsApp number first/) });
  });

  it("refuses an inactive tenant", async () => {
    const other = await connectedTenant(world, { label: "inactive" });
    await world.api.database.ownerPool.query("UPDATE tenants SET active = false WHERE id = $1", [other.tenantId]);
    const result = await send({ to: "+14155550101", text: "hi" }, other.key);
    expect(errorCode(result)).toBe("FORBIDDEN");
    expect(await countRows("tenant_id = $1 AND direction = 'OUTBOUND'", [other.tenantId])).toBe(0);
  });

  it("needs the MESSAGES_SEND scope", async () => {
    const reader = await createApiKey(world.api, sender, ["MESSAGES_READ"]);
    expect(errorCode(await send({ to: "+14155550101", text: "hi" }, reader.secret))).toBe("FORBIDDEN");
  });
});

describe("idempotency", () => {
  it("replays the original message for the same key and content, and sends once", async () => {
    const input = { to: "+14155550102", text: "Invoice #42", idempotencyKey: `invoice-42-${Date.now()}` };
    const results = await Promise.all([send(input), send(input), send(input)]);
    const ids = new Set(results.map((result) => result.data!.sendMessage.id));
    expect(ids.size).toBe(1);
    const [id] = ids;
    await eventually(
      () => messageState(world.api, sender, id!),
      (message) => message.status === "SENT",
    );
    const later = await send(input);
    expect(later.data!.sendMessage).toMatchObject({ id, status: "SENT" });
    // Sent once, and provably final: one row for the key, claimed once (attempts 1) and SENT, a
    // status nothing claims again; and the dispatcher has since sent a later message of the tenant.
    await dispatcherPassed();
    const { rows } = await world.api.database.ownerPool.query("SELECT id, status, attempts FROM messages WHERE tenant_id = $1 AND idempotency_key = $2", [
      sender.tenantId,
      input.idempotencyKey,
    ]);
    expect(rows).toEqual([{ id, status: "SENT", attempts: 1 }]);
    expect(sentTexts().filter((text) => text === "Invoice #42")).toHaveLength(1);
    expect(world.rapiwa.attempts().filter((attempt) => attempt.message === "Invoice #42")).toHaveLength(1);
  });

  it("answers each of many concurrent requests (accepted together in batches) with its own message", async () => {
    const stamp = Date.now();
    const key = `together-${stamp}`;
    const distinct = Array.from({ length: 30 }, (_, index) => ({ to: "+14155550120", text: `together ${stamp} ${index}` }));
    // Arriving at the same moment as the others: the same key with two different texts. One of the
    // two texts wins the key; every request with the other text is a conflict, not a second message.
    const keyed = Array.from({ length: 6 }, (_, index) => ({ to: "+14155550121", text: index % 2 ? "keyed A" : "keyed B", idempotencyKey: key }));
    const results = await Promise.all([...distinct, ...keyed].map((input) => send(input)));

    const accepted = results.slice(0, distinct.length).map((result) => expectData(result).sendMessage);
    expect(accepted.map((message) => message.text)).toEqual(distinct.map((input) => input.text));
    expect(new Set(accepted.map((message) => message.id)).size).toBe(distinct.length);

    const keyedResults = results.slice(distinct.length);
    const winners = keyedResults.filter((result) => !result.errors).map((result) => result.data!.sendMessage);
    expect(new Set(winners.map((message) => message.id)).size).toBe(1);
    const winningText = winners[0]!.text as string;
    keyedResults.forEach((result, index) => {
      if (keyed[index]!.text === winningText) expect(result.data?.sendMessage.id).toBe(winners[0]!.id);
      else expect(result.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "idempotencyKey" });
    });
    expect(await countRows("tenant_id = $1 AND idempotency_key = $2", [sender.tenantId, key])).toBe(1);
    await eventually(
      () => countRows("tenant_id = $1 AND status = 'SENT' AND body LIKE $2", [sender.tenantId, `together ${stamp} %`]),
      (sent) => sent === 30,
    );
  });

  it("refuses the same key with different content", async () => {
    const key = `reuse-${Date.now()}`;
    expectData(await send({ to: "+14155550102", text: "first", idempotencyKey: key }));
    const other = await send({ to: "+14155550102", text: "second", idempotencyKey: key });
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "idempotencyKey" });
    const otherRecipient = await send({ to: "+14155550103", text: "first", idempotencyKey: key });
    expect(errorCode(otherRecipient)).toBe("CONFLICT");
  });

  it("scopes keys to the tenant: another tenant may use the same key", async () => {
    const key = `shared-${Date.now()}`;
    const other = await connectedTenant(world, { label: "idem-other" });
    const mine = await send({ to: "+14155550104", text: "mine", idempotencyKey: key });
    expect(mine.errors).toBeUndefined();
    const theirs = await send({ to: "+14155550104", text: "theirs", idempotencyKey: key }, other.key);
    expect(theirs.errors).toBeUndefined();
    expect(theirs.data!.sendMessage.id).not.toBe(mine.data!.sendMessage.id);
  });
});

/**
 * Keeps, for every retry the engine schedules, the delay it recorded (the job's new run_at minus the
 * transaction's time, which set it, both at run_at's millisecond precision): exact, whatever the timing.
 * A trigger in this file's own database, owned by the superuser so the app role's update can log.
 */
async function recordRetryDelays() {
  await world.api.database.ownerPool.query(`
    CREATE TABLE IF NOT EXISTS test_retry_delays (message_id uuid, attempts int, delay_ms double precision, logged_at timestamptz DEFAULT clock_timestamp());
    CREATE OR REPLACE FUNCTION test_log_retry_delay() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
    BEGIN
      INSERT INTO test_retry_delays (message_id, attempts, delay_ms)
      VALUES (NEW.id, NEW.attempts, extract(epoch FROM NEW.run_at - now()::timestamptz(3)) * 1000);
      RETURN NEW;
    END $$;
    DROP TRIGGER IF EXISTS test_log_retry_delay ON jobs;
    CREATE TRIGGER test_log_retry_delay AFTER UPDATE ON jobs FOR EACH ROW
      WHEN (OLD.locked_until IS NOT NULL AND NEW.locked_until IS NULL) EXECUTE FUNCTION test_log_retry_delay();`);
}
const retryDelaysOf = async (id: string) =>
  (
    await world.api.database.ownerPool.query<{ attempts: number; delay_ms: number }>(
      "SELECT attempts, delay_ms FROM test_retry_delays WHERE message_id = $1 ORDER BY logged_at",
      [id],
    )
  ).rows;

describe("dispatch outcomes", () => {
  it("retries retryable failures with backoff, then succeeds", async () => {
    await recordRetryDelays();
    world.rapiwa.configure({ failNext: { count: 2, status: 503 } });
    const accepted = expectData(await send({ to: "+14155550105", text: "retry me" })).sendMessage;
    const done = await eventually(
      () => messageState(world.api, sender, accepted.id),
      (message) => message.status === "SENT",
    );
    expect(done.attempts).toBe(3);
    // The delays it scheduled grow 4x per attempt, within the jitter (x0.75..x1.25) of a 20 ms base.
    const delays = await retryDelaysOf(accepted.id);
    expect(delays.map((delay) => delay.attempts)).toEqual([1, 2]);
    expect(delays[0]!.delay_ms).toBeGreaterThanOrEqual(15);
    expect(delays[0]!.delay_ms).toBeLessThanOrEqual(25);
    expect(delays[1]!.delay_ms).toBeGreaterThanOrEqual(60);
    expect(delays[1]!.delay_ms).toBeLessThanOrEqual(100);
    expect(done.history.map((entry) => entry.status)).toEqual(["QUEUED", "QUEUED", "QUEUED", "SENT"]);
    expect(done.history[1]!.detail).toMatch(/attempt 1 failed .*retrying in/);
    expect(sentTexts().filter((text) => text === "retry me")).toHaveLength(1);
  });

  it("gives up after the last attempt and says why", async () => {
    world.rapiwa.configure({ failNext: { count: 10, status: 500 } });
    const accepted = expectData(await send({ to: "+14155550106", text: "never arrives" })).sendMessage;
    const done = await eventually(
      () => messageState(world.api, sender, accepted.id),
      (message) => message.status === "FAILED",
    );
    expect(done.attempts).toBe(3);
    expect(done.error).toMatch(/500|Rapiwa/);
  });

  it("records UNKNOWN, never a resend, when Rapiwa takes too long to answer (it may have sent)", async () => {
    world.rapiwa.configure({ latencyMs: 1_500 });
    const accepted = expectData(await send({ to: "+14155550110", text: "slow provider" })).sendMessage;
    const done = await eventually(
      () => messageState(world.api, sender, accepted.id),
      (message) => message.status === "UNKNOWN",
    );
    expect(done).toMatchObject({ attempts: 1, error: expect.stringMatching(/did not answer.*may or may not have sent/) });
    // A resend would need a new claim: let the dispatcher claim and send a later message of the
    // same number, then the slow one must still be UNKNOWN after one provider call.
    world.rapiwa.configure({ latencyMs: 0 });
    await dispatcherPassed();
    expect(world.rapiwa.attempts().filter((attempt) => attempt.message === "slow provider")).toHaveLength(1);
    expect(await stateAndJob(world, accepted.id)).toEqual({ status: "UNKNOWN", attempts: 1, jobs: 0 });
  });

  it("fails at once, without retrying, when Rapiwa refuses the message", async () => {
    world.rapiwa.configure({ invalidNumbers: ["14155550107"] });
    const accepted = expectData(await send({ to: "+14155550107", text: "to nowhere" })).sendMessage;
    const done = await eventually(
      () => messageState(world.api, sender, accepted.id),
      (message) => message.status === "FAILED",
    );
    expect(done.attempts).toBe(1);
    expect(done.error).toMatch(/Invalid WhatsApp number/i);
  });

  it("fails queued messages of a number disconnected before they went out", async () => {
    const quiet = await startMessagingWorld({ DISPATCH_ENABLED: "false" });
    try {
      const tenant = await connectedTenant(quiet, { label: "disconnected" });
      const accepted = expectData(await quiet.api.graphql(SEND, { input: { to: "+14155550108", text: "too late" } }, { token: tenant.key })).sendMessage;
      expectData(await quiet.api.graphql(`mutation { disconnectWhatsApp { status } }`, {}, { token: tenant.token }));
      quiet.api.services.engine!.start();
      const done = await eventually(
        () => messageState(quiet.api, tenant, accepted.id),
        (message) => message.status === "FAILED",
      );
      expect(done.error).toMatch(/disconnected/);
      expect(quiet.rapiwa.received().map((received) => received.message)).not.toContain("too late");
    } finally {
      await quiet.close();
    }
  });

  it("turns a SENDING message whose lease expired UNKNOWN, and never calls the provider for it again", async () => {
    const quiet = await startMessagingWorld({ DISPATCH_ENABLED: "false" });
    try {
      const tenant = await connectedTenant(quiet, { label: "lease" });
      const pool = quiet.api.database.ownerPool;
      // What a dispatcher that died mid-call leaves behind: claimed (attempt 1), its lease run out.
      const { rows } = await pool.query(
        `WITH inserted AS (
           INSERT INTO messages (tenant_id, id, connection_id, direction, from_number, to_number, contact_number, body, preview, status, attempts)
           SELECT $1, gen_random_uuid(), c.id, 'OUTBOUND', c.number, '+14155550111', '+14155550111', 'lease ran out', 'lease ran out', 'SENDING', 1
             FROM whatsapp_connections c WHERE c.tenant_id = $1 AND c.status = 'CONNECTED'
           RETURNING tenant_id, id, connection_id
         ), leased AS (
           INSERT INTO jobs (tenant_id, id, queue, pace_key, attempts, locked_until)
           SELECT tenant_id, id, 'send_message', connection_id, 1, now() - interval '1 minute' FROM inserted
         )
         SELECT id FROM inserted`,
        [tenant.tenantId],
      );
      const id = rows[0].id as string;
      // And a message queued after it, so the check waits for a dispatcher that has really worked.
      const later = expectData(await quiet.api.graphql(SEND, { input: { to: "+14155550112", text: "after the lease" } }, { token: tenant.key })).sendMessage;

      quiet.api.services.engine!.start();
      await eventually(
        () => messageState(quiet.api, tenant, later.id),
        (message) => message.status === "SENT",
      );
      const expired = await eventually(
        () => messageState(quiet.api, tenant, id),
        (message) => message.status !== "SENDING",
      );
      expect(expired).toMatchObject({ status: "UNKNOWN", attempts: 1, error: expect.stringMatching(/interrupted.*may or may not/) });
      expect(expired.history.at(-1)).toMatchObject({ status: "UNKNOWN" });
      await eventually(
        () => pool.query("SELECT count(*)::int AS n FROM messages WHERE tenant_id = $1 AND status IN ('QUEUED', 'SENDING')", [tenant.tenantId]),
        (result) => result.rows[0].n === 0,
      );
      expect(quiet.rapiwa.attempts().filter((attempt) => attempt.message === "lease ran out")).toEqual([]);
      expect(await stateAndJob(quiet, id)).toEqual({ status: "UNKNOWN", attempts: 1, jobs: 0 });
    } finally {
      await quiet.close();
    }
  });

  it("paces sends to the connection's rate instead of refusing calls", async () => {
    const slow = await connectedTenant(world, { label: "paced", rate: 4, number: "+8801612345678" });
    world.rapiwa.reset();
    const accepted = await Promise.all(Array.from({ length: 12 }, (_, index) => send({ to: "+14155550109", text: `paced ${index}` }, slow.key)));
    expect(accepted.every((result) => result.data?.sendMessage.status === "QUEUED")).toBe(true);
    const received = await eventually(
      async () => world.rapiwa.received(),
      (list) => list.length === 12,
      15_000,
    );
    // A token bucket (burst = one second's worth): in any stretch of d ms at most rate + rate * d / 1000
    // sends start. Checked on every pair of arrival times (100 ms allowed for the trip to the fake);
    // no upper bound, so a slow machine cannot break it.
    const rate = 4;
    const times = received.map((entry) => entry.receivedAt).sort((x, y) => x - y);
    const tooDense: string[] = [];
    for (let i = 0; i < times.length; i++) {
      for (let j = i + 1; j < times.length; j++) {
        const allowed = rate + (rate * (times[j]! - times[i]! + 100)) / 1000;
        if (j - i + 1 > allowed) tooDense.push(`${j - i + 1} sends within ${times[j]! - times[i]!} ms`);
      }
    }
    expect(tooDense).toEqual([]);
  });
});

describe("POST /api/v1/send-message", () => {
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${world.api.url}/api/v1/send-message`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${sender.key}`, ...headers },
      body: JSON.stringify(body),
    }).then(async (response) => ({ status: response.status, body: (await response.json()) as Record<string, any> }));

  it("queues through the same path and answers the id and status", async () => {
    const response = await post({ number: "8801512345678", message: "from the REST API" });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ success: true, status: "QUEUED", to: "+8801512345678", id: expect.any(String) });
    await eventually(
      () => messageState(world.api, sender, response.body.id),
      (message) => message.status === "SENT",
    );
  });

  it("honours Idempotency-Key", async () => {
    const key = `rest-${Date.now()}`;
    const first = await post({ number: "+8801512345678", message: "once" }, { "idempotency-key": key });
    const second = await post({ number: "+8801512345678", message: "once" }, { "idempotency-key": key });
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    const reused = await post({ number: "+8801512345678", message: "twice" }, { "idempotency-key": key });
    expect(reused.status).toBe(409);
    expect(reused.body).toEqual({
      error: {
        code: "CONFLICT",
        field: "Idempotency-Key",
        message: "This idempotency key was already used for a different message (other recipient or text).",
      },
    });
  });

  it.each([
    [
      "no API key",
      { number: "+8801512345678", message: "x" },
      { authorization: "" },
      401,
      { code: "UNAUTHENTICATED", message: "Log in, or send an API key as `Authorization: Bearer swb_...`." },
    ],
    [
      "a bad number",
      { number: "12", message: "x" },
      {},
      400,
      { code: "BAD_USER_INPUT", field: "number", message: '"12" is not a phone number: use international format, e.g. +8801712345678.' },
    ],
    ["a missing message", { number: "+8801512345678" }, {}, 400, { code: "BAD_USER_INPUT", field: "message", message: 'Send "message" too.' }],
    [
      "text that is too long",
      { number: "+8801512345678", message: "x".repeat(5_000) },
      {},
      400,
      { code: "BAD_USER_INPUT", field: "message", message: "The text is 5000 characters; WhatsApp allows at most 4096." },
    ],
  ])("answers %s with a JSON error saying what is wrong", async (_label, body, headers, status, error) => {
    const response = await post(body, headers as Record<string, string>);
    expect(response.status).toBe(status);
    expect(response.body).toEqual({ error });
  });

  it("needs the MESSAGES_SEND scope", async () => {
    const reader = await createApiKey(world.api, sender, ["MESSAGES_READ"]);
    const response = await post({ number: "+8801512345678", message: "x" }, { authorization: `Bearer ${reader.secret}` });
    expect(response.status).toBe(403);
    expect(response.body).toEqual({ error: { code: "FORBIDDEN", message: "This API key lacks the scope for this (needs one of: MESSAGES_SEND)." } });
  });
});
