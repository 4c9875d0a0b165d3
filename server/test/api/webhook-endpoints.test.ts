import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptSecret, deriveServerKeys } from "../../src/security/secrets.ts";
import {
  addMember,
  createApiKey,
  CREATE_WEBHOOK_ENDPOINT,
  createWebhookEndpoint,
  errorCode,
  expectData,
  fromManyAddresses,
  sendTestWebhook,
  signUp,
  startTestApi,
  type Caller,
  type SignedUp,
  type TestApi,
} from "../support/api.ts";
import { TEST_SECRET } from "../support/database.ts";

/**
 * The tenant-facing webhook API over real HTTP: endpoints, their signing secrets, and the deliveries
 * log with redelivery. No work engine runs here (DISPATCH_ENABLED=false), so the jobs these calls
 * queue stay as they were written, to be read back.
 */

let rawApi: TestApi;
let api: TestApi;
beforeAll(async () => {
  rawApi = await startTestApi({ environment: { TRUST_PROXY: "true", DISPATCH_ENABLED: "false" } });
  // More sign-ups than one address may make in an hour.
  api = fromManyAddresses(rawApi);
});
afterAll(() => rawApi?.close());

const encryptionKey = deriveServerKeys(TEST_SECRET).encryptionKey;
const ownerPool = () => rawApi.database.ownerPool;
const as = (owner: SignedUp): Caller => ({ token: owner.token, tenantId: owner.tenantId });

const ENDPOINT_FIELDS = `id url description events enabled disabledReason createdAt`;
const LIST = `{ webhookEndpoints { ${ENDPOINT_FIELDS} } }`;
const GET = `query ($id: ID!) { webhookEndpoint(id: $id) { ${ENDPOINT_FIELDS} } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(id: $id, input: $input) { ${ENDPOINT_FIELDS} } }`;
const DELETE = `mutation ($id: ID!) { deleteWebhookEndpoint(id: $id) }`;
const ROTATE = `mutation ($id: ID!) { rotateWebhookSecret(id: $id) { secret endpoint { ${ENDPOINT_FIELDS} } } }`;
const DELIVERY_FIELDS = `id eventId eventType status attempts createdAt lastAttemptAt nextAttemptAt lastResponseStatus lastDurationMs
  lastResponseSnippet lastError payload attemptLog { attemptedAt responseStatus durationMs responseSnippet error }`;
const DELIVERIES = `query ($endpointId: ID!, $filter: WebhookDeliveryFilter, $first: Int, $after: String) {
  webhookDeliveries(endpointId: $endpointId, filter: $filter, first: $first, after: $after) {
    edges { cursor node { ${DELIVERY_FIELDS} } } pageInfo { hasNextPage endCursor } } }`;
const REDELIVER = `mutation ($id: ID!) { redeliverWebhook(id: $id) { ${DELIVERY_FIELDS} } }`;
const RECOVER = `mutation ($endpointId: ID!, $since: DateTimeISO!) { recoverWebhookDeliveries(endpointId: $endpointId, since: $since) }`;
const SEND_TEST = `mutation ($endpointId: ID!) { sendTestWebhook(endpointId: $endpointId) { ${DELIVERY_FIELDS} } }`;

const SECRET_FORMAT = /^whsec_[A-Za-z0-9+/]{43}=$/;

async function endpointRow(id: string) {
  const { rows } = await ownerPool().query(
    `SELECT url, description, event_types, enabled, disabled_reason, failing_since, secret_ciphertext, previous_secret_ciphertext, previous_secret_expires_at
       FROM webhook_endpoints WHERE id = $1`,
    [id],
  );
  return rows[0];
}

/** The endpoint's jobs: whether each is parked (run_at infinity) or due now. */
async function jobsOf(endpointId: string) {
  const { rows } = await ownerPool().query(
    `SELECT id, queue, attempts, run_at = 'infinity' AS parked, run_at <= now() AS due FROM jobs WHERE pace_key = $1 ORDER BY id`,
    [endpointId],
  );
  return rows as { id: string; queue: string; attempts: number; parked: boolean; due: boolean }[];
}

async function auditEntries(tenantId: string) {
  const { rows } = await ownerPool().query(
    `SELECT action, target, details FROM audit_logs WHERE tenant_id = $1 AND action LIKE 'webhook%' ORDER BY created_at, id`,
    [tenantId],
  );
  return rows as { action: string; target: string; details: Record<string, unknown> }[];
}

type AttemptSeed = { at: Date; status?: number | null; durationMs?: number | null; snippet?: string | null; error?: string | null };
type DeliverySeed = {
  eventType?: string;
  status?: "PENDING" | "SUCCEEDED" | "FAILED";
  createdAt?: Date;
  payload?: unknown;
  attempts?: AttemptSeed[];
  nextAttemptAt?: Date | null;
};

/** A `messages` row as an event payload holds it (`to_jsonb` of the row). */
function messageRow(body: string) {
  const at = new Date(Date.now() - 60_000).toISOString();
  return {
    id: randomUUID(),
    direction: "INBOUND",
    from_number: "+14155550100",
    to_number: "+8801711000001",
    contact_number: "+14155550100",
    body,
    preview: body,
    status: "RECEIVED",
    error: null,
    provider_message_id: "rapiwa-1",
    idempotency_key: null,
    request_hash: null,
    attempts: 0,
    created_at: at,
    status_changed_at: at,
  };
}

/** A delivery (with its event and attempts) written as the delivery consumer would leave it. */
async function insertDelivery(tenantId: string, endpointId: string, seed: DeliverySeed = {}): Promise<{ id: string; eventId: string }> {
  const eventId = randomUUID();
  const id = randomUUID();
  const createdAt = seed.createdAt ?? new Date();
  const eventType = seed.eventType ?? "message.sent";
  const payload = seed.payload === undefined ? { message: messageRow("hello") } : seed.payload;
  const attempts = seed.attempts ?? [];
  const last = [...attempts].sort((a, b) => a.at.getTime() - b.at.getTime()).at(-1);
  await ownerPool().query(`INSERT INTO webhook_events (tenant_id, id, type, payload, occurred_at) VALUES ($1, $2, $3, $4, $5)`, [
    tenantId,
    eventId,
    eventType,
    payload === null ? null : JSON.stringify(payload),
    createdAt,
  ]);
  await ownerPool().query(
    `INSERT INTO webhook_deliveries (tenant_id, id, endpoint_id, event_id, event_type, status, attempts, next_attempt_at, last_attempt_at,
                                     last_response_status, last_duration_ms, last_response_snippet, last_error, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [
      tenantId,
      id,
      endpointId,
      eventId,
      eventType,
      seed.status ?? "FAILED",
      attempts.length,
      seed.nextAttemptAt ?? null,
      last?.at ?? null,
      last?.status ?? null,
      last?.durationMs ?? null,
      last?.snippet ?? null,
      last?.error ?? null,
      createdAt,
    ],
  );
  for (const attempt of attempts) {
    await ownerPool().query(
      `INSERT INTO webhook_delivery_attempts (tenant_id, id, delivery_id, attempted_at, response_status, duration_ms, response_snippet, error)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [tenantId, randomUUID(), id, attempt.at, attempt.status ?? null, attempt.durationMs ?? null, attempt.snippet ?? null, attempt.error ?? null],
    );
  }
  return { id, eventId };
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

describe("webhook endpoints", () => {
  it("are created with a whsec_ secret shown once, stored encrypted, and never readable afterwards", async () => {
    const owner = await signUp(api, "hooks-create");
    const created = await api.graphql(
      CREATE_WEBHOOK_ENDPOINT,
      { input: { url: "https://receiver.example.invalid/hooks", events: ["MESSAGE_RECEIVED", "MESSAGE_FAILED"], description: "  CRM sync  " } },
      as(owner),
    );
    const { secret, endpoint } = expectData(created).createWebhookEndpoint;
    expect(secret).toMatch(SECRET_FORMAT);
    expect(Buffer.from(secret.slice("whsec_".length), "base64")).toHaveLength(32);
    expect(endpoint).toEqual({
      id: expect.any(String),
      url: "https://receiver.example.invalid/hooks",
      description: "CRM sync",
      events: ["MESSAGE_RECEIVED", "MESSAGE_FAILED"],
      enabled: true,
      disabledReason: null,
      createdAt: expect.any(String),
    });

    const row = await endpointRow(endpoint.id);
    expect(row.event_types).toEqual(["message.received", "message.failed"]);
    // Encrypted with the server's key: the row alone does not give the secret away, the key does.
    expect(row.secret_ciphertext).not.toContain(secret.slice("whsec_".length, 20));
    expect(row.secret_ciphertext).toMatch(/^v1\./);
    expect(decryptSecret(encryptionKey, row.secret_ciphertext)).toBe(secret);
    expect(row.previous_secret_ciphertext).toBeNull();

    // Every way of reading the endpoint afterwards: not a trace of the secret.
    const listed = await api.graphql(LIST, {}, as(owner));
    expect(expectData(listed).webhookEndpoints).toEqual([endpoint]);
    const read = await api.graphql(GET, { id: endpoint.id }, as(owner));
    expect(expectData(read).webhookEndpoint).toEqual(endpoint);
    expect(JSON.stringify([listed, read])).not.toContain(secret.slice("whsec_".length));

    const audit = await auditEntries(owner.tenantId);
    expect(audit).toEqual([
      {
        action: "webhook_endpoint.created",
        target: `webhook_endpoint:${endpoint.id}`,
        details: { url: "https://receiver.example.invalid/hooks", events: ["message.received", "message.failed"], description: "CRM sync" },
      },
    ]);
  });

  it("are listed newest first; one is read by id, and another tenant's id or an unknown one reads as null", async () => {
    const owner = await signUp(api, "hooks-list");
    const other = await signUp(api, "hooks-list-other");
    const first = await createWebhookEndpoint(api, owner, { description: "first" });
    const second = await createWebhookEndpoint(api, owner, { description: "second", events: [] });
    const theirs = await createWebhookEndpoint(api, other, { description: "theirs" });

    const listed = expectData(await api.graphql(LIST, {}, as(owner))).webhookEndpoints;
    expect(listed.map((endpoint: { id: string }) => endpoint.id)).toEqual([second.id, first.id]);
    expect(listed[0]).toMatchObject({ description: "second", events: [] });

    expect(expectData(await api.graphql(GET, { id: first.id }, as(owner))).webhookEndpoint).toMatchObject({ id: first.id, description: "first" });
    const foreign = await api.graphql(GET, { id: theirs.id }, as(owner));
    expect(foreign.errors).toBeUndefined();
    expect(foreign.data).toEqual({ webhookEndpoint: null });
    expect((await api.graphql(GET, { id: randomUUID() }, as(owner))).data).toEqual({ webhookEndpoint: null });
    const malformed = await api.graphql(GET, { id: "not-an-id" }, as(owner));
    expect(malformed.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", field: "id" } });
  });

  it("are updated field by field; an empty event list means every event", async () => {
    const owner = await signUp(api, "hooks-update");
    const { id } = await createWebhookEndpoint(api, owner, { url: "https://old.example.invalid/a", events: ["MESSAGE_SENT"], description: "old" });

    const urlOnly = await api.graphql(UPDATE, { id, input: { url: "https://new.example.invalid/b?token=kept-out-of-the-audit" } }, as(owner));
    expect(expectData(urlOnly).updateWebhookEndpoint).toMatchObject({
      url: "https://new.example.invalid/b?token=kept-out-of-the-audit",
      events: ["MESSAGE_SENT"],
      description: "old",
      enabled: true,
    });
    const rest = await api.graphql(UPDATE, { id, input: { events: ["MESSAGE_READ", "CONNECTION_DISCONNECTED"], description: "new" } }, as(owner));
    expect(expectData(rest).updateWebhookEndpoint).toMatchObject({
      url: "https://new.example.invalid/b?token=kept-out-of-the-audit",
      events: ["MESSAGE_READ", "CONNECTION_DISCONNECTED"],
      description: "new",
    });
    expect((await endpointRow(id)).event_types).toEqual(["message.read", "connection.disconnected"]);
    const all = await api.graphql(UPDATE, { id, input: { events: [] } }, as(owner));
    expect(expectData(all).updateWebhookEndpoint.events).toEqual([]);
    expect((await endpointRow(id)).event_types).toEqual([]);

    const audit = await auditEntries(owner.tenantId);
    expect(audit.map((entry) => entry.action)).toEqual([
      "webhook_endpoint.created",
      "webhook_endpoint.updated",
      "webhook_endpoint.updated",
      "webhook_endpoint.updated",
    ]);
    expect(audit[1]!.details).toEqual({ url: "https://new.example.invalid/b" });
    expect(audit[2]!.details).toEqual({ eventTypes: ["message.read", "connection.disconnected"], description: "new" });

    const foreign = await signUp(api, "hooks-update-other");
    const refused = await api.graphql(UPDATE, { id, input: { description: "not yours" } }, as(foreign));
    expect(errorCode(refused)).toBe("NOT_FOUND");
    expect((await endpointRow(id)).description).toBe("new");
  });

  it("are deleted with their deliveries and pending jobs; deleting again is NOT_FOUND", async () => {
    const owner = await signUp(api, "hooks-delete");
    const { id } = await createWebhookEndpoint(api, owner);
    const kept = await createWebhookEndpoint(api, owner);
    await sendTestWebhook(api, owner, id);
    await sendTestWebhook(api, owner, kept.id);
    await api.graphql(UPDATE, { id, input: { enabled: false } }, as(owner));
    expect(await jobsOf(id)).toEqual([expect.objectContaining({ parked: true })]);

    expect(expectData(await api.graphql(DELETE, { id }, as(owner)))).toEqual({ deleteWebhookEndpoint: true });
    expect(expectData(await api.graphql(GET, { id }, as(owner)))).toEqual({ webhookEndpoint: null });
    expect(await jobsOf(id)).toEqual([]);
    const { rows } = await ownerPool().query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1`, [id]);
    expect(rows[0].n).toBe(0);
    // The other endpoint keeps its delivery and job.
    expect(await jobsOf(kept.id)).toHaveLength(1);
    expect(errorCode(await api.graphql(DELETE, { id }, as(owner)))).toBe("NOT_FOUND");
    expect((await auditEntries(owner.tenantId)).at(-1)).toMatchObject({ action: "webhook_endpoint.deleted", target: `webhook_endpoint:${id}` });
  });

  it("rotate their secret: a new one shown once, the previous one kept beside it for 24 hours", async () => {
    const owner = await signUp(api, "hooks-rotate");
    const { id, secret: original } = await createWebhookEndpoint(api, owner);

    const before = Date.now();
    const rotated = expectData(await api.graphql(ROTATE, { id }, as(owner))).rotateWebhookSecret;
    const after = Date.now();
    expect(rotated.secret).toMatch(SECRET_FORMAT);
    expect(rotated.secret).not.toBe(original);
    expect(rotated.endpoint).toMatchObject({ id, enabled: true });
    const row = await endpointRow(id);
    expect(decryptSecret(encryptionKey, row.secret_ciphertext)).toBe(rotated.secret);
    expect(decryptSecret(encryptionKey, row.previous_secret_ciphertext)).toBe(original);
    const day = 24 * 60 * 60 * 1000;
    expect(row.previous_secret_expires_at.getTime()).toBeGreaterThanOrEqual(before + day - 1);
    expect(row.previous_secret_expires_at.getTime()).toBeLessThanOrEqual(after + day + 1);

    // Rotating again: the secret just replaced is the previous one now; the original stops at once.
    const again = expectData(await api.graphql(ROTATE, { id }, as(owner))).rotateWebhookSecret;
    const next = await endpointRow(id);
    expect(decryptSecret(encryptionKey, next.secret_ciphertext)).toBe(again.secret);
    expect(decryptSecret(encryptionKey, next.previous_secret_ciphertext)).toBe(rotated.secret);

    const audit = await auditEntries(owner.tenantId);
    expect(audit.map((entry) => entry.action)).toEqual(["webhook_endpoint.created", "webhook_endpoint.secret_rotated", "webhook_endpoint.secret_rotated"]);
    for (const value of [original, rotated.secret, again.secret]) expect(JSON.stringify(audit)).not.toContain(value.slice("whsec_".length));
    const foreign = await signUp(api, "hooks-rotate-other");
    expect(errorCode(await api.graphql(ROTATE, { id }, as(foreign)))).toBe("NOT_FOUND");
  });

  it("disabling parks the endpoint's jobs; enabling brings them back due now and clears why it was disabled", async () => {
    const owner = await signUp(api, "hooks-park");
    const { id } = await createWebhookEndpoint(api, owner);
    const other = await createWebhookEndpoint(api, owner);
    await sendTestWebhook(api, owner, id);
    await sendTestWebhook(api, owner, other.id);
    expect(await jobsOf(id)).toEqual([expect.objectContaining({ queue: "deliver_webhook", parked: false, due: true })]);

    const disabled = await api.graphql(UPDATE, { id, input: { enabled: false } }, as(owner));
    expect(expectData(disabled).updateWebhookEndpoint).toMatchObject({ enabled: false, disabledReason: null });
    expect(await jobsOf(id)).toEqual([expect.objectContaining({ parked: true })]);
    expect(await jobsOf(other.id)).toEqual([expect.objectContaining({ parked: false, due: true })]);

    // As the delivery consumer leaves an endpoint it gave up on: disabled with a reason, failing for days.
    const reason = "Every delivery failed for 5 days; fix the endpoint, then enable it again to deliver what is pending.";
    await ownerPool().query(`UPDATE webhook_endpoints SET disabled_reason = $2, failing_since = now() - interval '6 days' WHERE id = $1`, [id, reason]);
    await ownerPool().query(`INSERT INTO jobs (tenant_id, id, queue, pace_key, run_at) VALUES ($1, $2, 'deliver_webhook', $3, 'infinity')`, [
      owner.tenantId,
      randomUUID(),
      id,
    ]);
    expect(expectData(await api.graphql(GET, { id }, as(owner))).webhookEndpoint).toMatchObject({ enabled: false, disabledReason: reason });

    const enabled = await api.graphql(UPDATE, { id, input: { enabled: true } }, as(owner));
    expect(expectData(enabled).updateWebhookEndpoint).toMatchObject({ enabled: true, disabledReason: null });
    expect(await jobsOf(id)).toEqual([expect.objectContaining({ parked: false, due: true }), expect.objectContaining({ parked: false, due: true })]);
    const row = await endpointRow(id);
    expect(row).toMatchObject({ enabled: true, disabled_reason: null, failing_since: null });

    // Enabling an endpoint that is enabled changes nothing: a retry scheduled for later stays later.
    await ownerPool().query(`UPDATE jobs SET run_at = now() + interval '1 hour' WHERE pace_key = $1`, [id]);
    await api.graphql(UPDATE, { id, input: { enabled: true, description: "still on" } }, as(owner));
    expect(await jobsOf(id)).toEqual([expect.objectContaining({ parked: false, due: false }), expect.objectContaining({ parked: false, due: false })]);

    expect((await auditEntries(owner.tenantId)).filter((entry) => entry.action === "webhook_endpoint.updated").map((entry) => entry.details)).toEqual([
      { enabled: false },
      { enabled: true },
      { description: "still on" },
    ]);
  });

  it("refuse invalid input, naming the field, and save nothing", async () => {
    const owner = await signUp(api, "hooks-invalid");
    const create = (input: Record<string, unknown>) =>
      api.graphql(CREATE_WEBHOOK_ENDPOINT, { input: { url: "https://ok.example.invalid/", ...input } }, as(owner));
    const cases: [Record<string, unknown>, string][] = [
      [{ url: "ftp://files.example.invalid/hook" }, "url"],
      [{ url: "not a url" }, "url"],
      [{ url: "https://user:password@receiver.example.invalid/hook" }, "url"],
      [{ url: `https://receiver.example.invalid/${"a".repeat(2048)}` }, "url"],
      [{ url: "http://127.0.0.1:8080/hook" }, "url"],
      [{ url: "http://localhost/hook" }, "url"],
      [{ description: "d".repeat(501) }, "description"],
      [{ events: ["MESSAGE_SENT", "MESSAGE_READ", "MESSAGE_SENT"] }, "events"],
    ];
    for (const [input, field] of cases) {
      const result = await create(input);
      const error = result.errors?.[0];
      expect(error?.extensions, JSON.stringify(input).slice(0, 80)).toMatchObject({ code: "BAD_USER_INPUT", field });
      expect(error?.message.length).toBeGreaterThan(10);
    }
    const { rows } = await ownerPool().query(`SELECT count(*)::int AS n FROM webhook_endpoints WHERE tenant_id = $1`, [owner.tenantId]);
    expect(rows[0].n).toBe(0);
    // 500 characters is allowed.
    expect(errorCode(await create({ description: "d".repeat(500) }))).toBe("none");

    const { id } = await createWebhookEndpoint(api, owner, { url: "https://kept.example.invalid/" });
    const refused = await api.graphql(UPDATE, { id, input: { url: "javascript:alert(1)", description: "not saved" } }, as(owner));
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "url" });
    expect(await endpointRow(id)).toMatchObject({ url: "https://kept.example.invalid/", description: "" });
    const badId = await api.graphql(UPDATE, { id: "42", input: { description: "x" } }, as(owner));
    expect(badId.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "id" });
  });

  it("are at most 20 per tenant, also when created at once", async () => {
    const owner = await signUp(api, "hooks-limit");
    const ids: string[] = [];
    for (let index = 0; index < 18; index += 1) ids.push((await createWebhookEndpoint(api, owner)).id);
    // Ten at once for the last two places: exactly two get one.
    const racing = await Promise.all(
      Array.from({ length: 10 }, (_, index) => api.graphql(CREATE_WEBHOOK_ENDPOINT, { input: { url: `https://race.example.invalid/${index}` } }, as(owner))),
    );
    expect(racing.map(errorCode).sort()).toEqual([...Array(8).fill("CONFLICT"), "none", "none"]);
    const refused = racing.find((result) => errorCode(result) === "CONFLICT")!;
    expect(refused.errors![0]!.message).toMatch(/at most 20 webhook endpoints/);
    const { rows } = await ownerPool().query(`SELECT count(*)::int AS n FROM webhook_endpoints WHERE tenant_id = $1`, [owner.tenantId]);
    expect(rows[0].n).toBe(20);

    // Another tenant is not counted against this one, and a freed place can be taken.
    await createWebhookEndpoint(api, await signUp(api, "hooks-limit-other"));
    await api.graphql(DELETE, { id: ids[0] }, as(owner));
    expect(errorCode(await api.graphql(CREATE_WEBHOOK_ENDPOINT, { input: { url: "https://again.example.invalid/" } }, as(owner)))).toBe("none");
  });

  it("are managed by owners, admins and TENANT_ADMIN keys; members and other keys are FORBIDDEN", async () => {
    const owner = await signUp(api, "hooks-roles");
    const member = await addMember(api, owner, await signUp(api, "hooks-roles-member"), "MEMBER");
    const admin = await addMember(api, owner, await signUp(api, "hooks-roles-admin"), "ADMIN");
    const tenantAdmin = await createApiKey(api, owner, ["TENANT_ADMIN"]);
    const { id } = await createWebhookEndpoint(api, owner);
    const deliveryId = await sendTestWebhook(api, owner, id);

    const operations: [string, Record<string, unknown>][] = [
      [LIST, {}],
      [GET, { id }],
      [DELIVERIES, { endpointId: id }],
      [CREATE_WEBHOOK_ENDPOINT, { input: { url: "https://refused.example.invalid/" } }],
      [UPDATE, { id, input: { enabled: false } }],
      [ROTATE, { id }],
      [REDELIVER, { id: deliveryId }],
      [RECOVER, { endpointId: id, since: minutesAgo(60).toISOString() }],
      [SEND_TEST, { endpointId: id }],
      [DELETE, { id }],
    ];
    const refusedCallers: [string, Caller][] = [
      ["MEMBER", as(member)],
      ...(await Promise.all(
        (["MESSAGES_SEND", "MESSAGES_READ", "USAGE_READ"] as const).map(async (scope): Promise<[string, Caller]> => [
          `key: ${scope}`,
          { token: (await createApiKey(api, owner, [scope], scope)).secret },
        ]),
      )),
    ];
    for (const [who, caller] of refusedCallers) {
      for (const [query, variables] of operations) {
        const result = await api.graphql(query, variables, caller);
        expect(errorCode(result), `${who}: ${query.slice(0, 60)}`).toBe("FORBIDDEN");
        expect(JSON.stringify(result.data ?? null)).not.toContain(id);
      }
    }
    expect(await endpointRow(id)).toMatchObject({ enabled: true, previous_secret_ciphertext: null });

    for (const caller of [as(admin), { token: tenantAdmin.secret }]) {
      expect(errorCode(await api.graphql(LIST, {}, caller))).toBe("none");
      expect(errorCode(await api.graphql(CREATE_WEBHOOK_ENDPOINT, { input: { url: "https://allowed.example.invalid/" } }, caller))).toBe("none");
    }
    expect((await auditEntries(owner.tenantId)).filter((entry) => entry.action === "webhook_endpoint.created").map((entry) => entry.target)).toHaveLength(3);
  });
});

describe("webhook deliveries", () => {
  it("are listed newest first with their attempts, payload and last answer", async () => {
    const owner = await signUp(api, "deliveries-list");
    const { id: endpointId } = await createWebhookEndpoint(api, owner);
    const elsewhere = await createWebhookEndpoint(api, owner);
    const row = messageRow("a delivered message");
    const payload = { message: row };
    const [olderAt, firstTry, secondTry] = [minutesAgo(30), minutesAgo(29), minutesAgo(20)];
    const older = await insertDelivery(owner.tenantId, endpointId, {
      eventType: "message.received",
      status: "FAILED",
      createdAt: olderAt,
      payload,
      // Written out of order: the log is ordered by when each attempt was made.
      attempts: [
        { at: secondTry, status: null, durationMs: 10_000, error: "timed out after 10 s" },
        { at: firstTry, status: 503, durationMs: 120, snippet: "busy" },
      ],
    });
    const newer = await insertDelivery(owner.tenantId, endpointId, {
      eventType: "message.read",
      status: "SUCCEEDED",
      createdAt: minutesAgo(10),
      attempts: [{ at: minutesAgo(9), status: 204, durationMs: 35, snippet: "" }],
    });
    const expired = await insertDelivery(owner.tenantId, endpointId, { status: "SUCCEEDED", createdAt: minutesAgo(40), payload: null });
    await insertDelivery(owner.tenantId, elsewhere.id, { createdAt: minutesAgo(1) });

    const page = expectData(await api.graphql(DELIVERIES, { endpointId }, as(owner))).webhookDeliveries;
    expect(page.pageInfo).toEqual({ hasNextPage: false, endCursor: page.edges[2].cursor });
    expect(page.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([newer.id, older.id, expired.id]);
    expect(page.edges[1].node).toEqual({
      id: older.id,
      eventId: older.eventId,
      eventType: "message.received",
      status: "FAILED",
      attempts: 2,
      createdAt: olderAt.toISOString(),
      lastAttemptAt: secondTry.toISOString(),
      nextAttemptAt: null,
      lastResponseStatus: null,
      lastDurationMs: 10_000,
      lastResponseSnippet: null,
      lastError: "timed out after 10 s",
      // The body the endpoint is sent: the message as the API shows it, not the stored row.
      payload: {
        type: "message.received",
        timestamp: olderAt.toISOString(),
        data: {
          tenantId: owner.tenantId,
          message: {
            id: row.id,
            direction: "INBOUND",
            from: "+14155550100",
            to: "+8801711000001",
            text: "a delivered message",
            status: "RECEIVED",
            error: null,
            providerMessageId: "rapiwa-1",
            idempotencyKey: null,
            attempts: 0,
            createdAt: row.created_at,
            statusChangedAt: row.status_changed_at,
          },
        },
      },
      attemptLog: [
        { attemptedAt: firstTry.toISOString(), responseStatus: 503, durationMs: 120, responseSnippet: "busy", error: null },
        { attemptedAt: secondTry.toISOString(), responseStatus: null, durationMs: 10_000, responseSnippet: null, error: "timed out after 10 s" },
      ],
    });
    expect(page.edges[0].node).toMatchObject({ status: "SUCCEEDED", lastResponseStatus: 204, attemptLog: [{ responseStatus: 204, responseSnippet: "" }] });
    expect(page.edges[2].node).toMatchObject({ payload: null, attempts: 0, attemptLog: [] });
  });

  it("are filtered by status and event type, and paginated by cursor without gaps or repeats", async () => {
    const owner = await signUp(api, "deliveries-pages");
    const { id: endpointId } = await createWebhookEndpoint(api, owner);
    const sameMoment = minutesAgo(5);
    const seeds: DeliverySeed[] = [
      { eventType: "message.sent", status: "FAILED", createdAt: minutesAgo(50) },
      { eventType: "message.sent", status: "SUCCEEDED", createdAt: minutesAgo(40) },
      { eventType: "message.failed", status: "FAILED", createdAt: minutesAgo(30) },
      { eventType: "message.sent", status: "PENDING", createdAt: sameMoment, nextAttemptAt: new Date(Date.now() + 60_000) },
      { eventType: "message.sent", status: "FAILED", createdAt: sameMoment },
    ];
    const inserted: { id: string; createdAt: Date }[] = [];
    for (const seed of seeds) inserted.push({ id: (await insertDelivery(owner.tenantId, endpointId, seed)).id, createdAt: seed.createdAt! });
    const newestFirst = [...inserted].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1)).map((entry) => entry.id);

    const ids = async (variables: Record<string, unknown>) => {
      const result = expectData(await api.graphql(DELIVERIES, { endpointId, ...variables }, as(owner))).webhookDeliveries;
      return { ids: result.edges.map((edge: { node: { id: string } }) => edge.node.id) as string[], pageInfo: result.pageInfo };
    };
    const walked: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof ids>> = await ids({ first: 2, after });
      walked.push(...page.ids);
      pages += 1;
      expect(page.pageInfo.hasNextPage).toBe(pages < 3);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(walked).toEqual(newestFirst);
    expect(pages).toBe(3);

    const failed = await ids({ filter: { status: "FAILED" } });
    expect(failed.ids).toEqual(newestFirst.filter((id) => [inserted[0]!.id, inserted[2]!.id, inserted[4]!.id].includes(id)));
    const sent = await ids({ filter: { eventType: "message.sent" } });
    expect(sent.ids).toEqual(newestFirst.filter((id) => id !== inserted[2]!.id));
    const failedSends = await ids({ filter: { status: "FAILED", eventType: "message.sent" }, first: 1 });
    expect(failedSends.ids).toEqual([inserted[4]!.id]);
    expect((await ids({ filter: { status: "FAILED", eventType: "message.sent" }, after: failedSends.pageInfo.endCursor })).ids).toEqual([inserted[0]!.id]);
    expect((await ids({ filter: { eventType: "test" } })).ids).toEqual([]);

    const refusals: [Record<string, unknown>, string][] = [
      [{ filter: { eventType: "MESSAGE_SENT" } }, "filter.eventType"],
      [{ after: "not-a-cursor" }, "after"],
      [{ first: 0 }, "first"],
      [{ first: 101 }, "first"],
      [{ endpointId: "nope" }, "endpointId"],
    ];
    for (const [variables, field] of refusals) {
      const result = await api.graphql(DELIVERIES, { endpointId, ...variables }, as(owner));
      expect(result.errors?.[0]?.extensions, JSON.stringify(variables)).toMatchObject({ code: "BAD_USER_INPUT", field });
    }
    expect(errorCode(await api.graphql(DELIVERIES, { endpointId: randomUUID() }, as(owner)))).toBe("NOT_FOUND");
  });

  it("redeliverWebhook queues the same event again, due now, whatever the delivery's status", async () => {
    const owner = await signUp(api, "deliveries-redeliver");
    const { id: endpointId } = await createWebhookEndpoint(api, owner);
    const failed = await insertDelivery(owner.tenantId, endpointId, {
      status: "FAILED",
      createdAt: minutesAgo(90),
      attempts: [{ at: minutesAgo(80), status: 500, durationMs: 12, snippet: "oops" }],
    });
    expect(await jobsOf(endpointId)).toEqual([]);

    const redelivered = expectData(await api.graphql(REDELIVER, { id: failed.id }, as(owner))).redeliverWebhook;
    expect(redelivered).toMatchObject({ id: failed.id, eventId: failed.eventId, status: "PENDING", attempts: 1, lastResponseStatus: 500 });
    expect(Date.parse(redelivered.nextAttemptAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(await jobsOf(endpointId)).toEqual([{ id: failed.id, queue: "deliver_webhook", attempts: 0, parked: false, due: true }]);

    const succeeded = await insertDelivery(owner.tenantId, endpointId, { status: "SUCCEEDED", createdAt: minutesAgo(70) });
    expect(expectData(await api.graphql(REDELIVER, { id: succeeded.id }, as(owner))).redeliverWebhook.status).toBe("PENDING");
    expect((await jobsOf(endpointId)).map((job) => job.id).sort()).toEqual([failed.id, succeeded.id].sort());

    const gone = await insertDelivery(owner.tenantId, endpointId, { status: "FAILED", payload: null });
    const refused = await api.graphql(REDELIVER, { id: gone.id }, as(owner));
    expect(errorCode(refused)).toBe("CONFLICT");
    expect(refused.errors![0]!.message).toMatch(/retention/);
    expect(await jobsOf(endpointId)).toHaveLength(2);
    expect(errorCode(await api.graphql(REDELIVER, { id: randomUUID() }, as(owner)))).toBe("NOT_FOUND");

    expect((await auditEntries(owner.tenantId)).filter((entry) => entry.action === "webhook_delivery.redelivered").map((entry) => entry.target)).toEqual([
      `webhook_delivery:${failed.id}`,
      `webhook_delivery:${succeeded.id}`,
    ]);
  });

  it("recoverWebhookDeliveries queues the endpoint's FAILED deliveries since a time, and says how many", async () => {
    const owner = await signUp(api, "deliveries-recover");
    const { id: endpointId } = await createWebhookEndpoint(api, owner);
    const other = await createWebhookEndpoint(api, owner);
    const since = minutesAgo(60);
    const recent = [
      await insertDelivery(owner.tenantId, endpointId, { status: "FAILED", createdAt: minutesAgo(50) }),
      await insertDelivery(owner.tenantId, endpointId, { status: "FAILED", createdAt: minutesAgo(5) }),
    ];
    const tooOld = await insertDelivery(owner.tenantId, endpointId, { status: "FAILED", createdAt: minutesAgo(120) });
    const succeeded = await insertDelivery(owner.tenantId, endpointId, { status: "SUCCEEDED", createdAt: minutesAgo(10) });
    const otherEndpoint = await insertDelivery(owner.tenantId, other.id, { status: "FAILED", createdAt: minutesAgo(10) });

    const result = await api.graphql(RECOVER, { endpointId, since: since.toISOString() }, as(owner));
    expect(expectData(result)).toEqual({ recoverWebhookDeliveries: 2 });
    expect((await jobsOf(endpointId)).map((job) => job.id).sort()).toEqual(recent.map((delivery) => delivery.id).sort());
    expect(await jobsOf(other.id)).toEqual([]);
    const { rows } = await ownerPool().query(`SELECT id, status FROM webhook_deliveries WHERE tenant_id = $1`, [owner.tenantId]);
    const statusOf = Object.fromEntries(rows.map((row) => [row.id, row.status]));
    expect(statusOf).toEqual({
      [recent[0]!.id]: "PENDING",
      [recent[1]!.id]: "PENDING",
      [tooOld.id]: "FAILED",
      [succeeded.id]: "SUCCEEDED",
      [otherEndpoint.id]: "FAILED",
    });
    // Nothing FAILED is left since then.
    expect(expectData(await api.graphql(RECOVER, { endpointId, since: since.toISOString() }, as(owner)))).toEqual({ recoverWebhookDeliveries: 0 });
    expect(errorCode(await api.graphql(RECOVER, { endpointId: randomUUID(), since: since.toISOString() }, as(owner)))).toBe("NOT_FOUND");
    expect(
      (await auditEntries(owner.tenantId)).filter((entry) => entry.action === "webhook_endpoint.deliveries_recovered").map((entry) => entry.details),
    ).toEqual([
      { since: since.toISOString(), queued: 2 },
      { since: since.toISOString(), queued: 0 },
    ]);
  });

  it("sendTestWebhook queues a `test` event to the endpoint whatever it subscribed to; a disabled endpoint is refused", async () => {
    const owner = await signUp(api, "deliveries-test");
    const { id: endpointId } = await createWebhookEndpoint(api, owner, { events: ["MESSAGE_READ"] });

    const delivery = expectData(await api.graphql(SEND_TEST, { endpointId }, as(owner))).sendTestWebhook;
    expect(delivery).toMatchObject({ eventType: "test", status: "PENDING", attempts: 0, payload: {}, attemptLog: [], lastAttemptAt: null });
    expect(await jobsOf(endpointId)).toEqual([{ id: delivery.id, queue: "deliver_webhook", attempts: 0, parked: false, due: true }]);
    const { rows } = await ownerPool().query(`SELECT type FROM webhook_events WHERE tenant_id = $1 AND id = $2`, [owner.tenantId, delivery.eventId]);
    expect(rows).toEqual([{ type: "test" }]);
    const listed = expectData(await api.graphql(DELIVERIES, { endpointId, filter: { eventType: "test" } }, as(owner))).webhookDeliveries;
    expect(listed.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([delivery.id]);

    await api.graphql(UPDATE, { id: endpointId, input: { enabled: false } }, as(owner));
    const refused = await api.graphql(SEND_TEST, { endpointId }, as(owner));
    expect(errorCode(refused)).toBe("CONFLICT");
    expect(refused.errors![0]!.message).toMatch(/disabled/);
    expect(await jobsOf(endpointId)).toHaveLength(1);
    expect(errorCode(await api.graphql(SEND_TEST, { endpointId: randomUUID() }, as(owner)))).toBe("NOT_FOUND");
    expect((await auditEntries(owner.tenantId)).filter((entry) => entry.action === "webhook_endpoint.test_sent")).toEqual([
      { action: "webhook_endpoint.test_sent", target: `webhook_endpoint:${endpointId}`, details: { deliveryId: delivery.id } },
    ]);
  });
});

describe("WEBHOOK_ALLOW_PRIVATE_URLS", () => {
  it("lets endpoints point at private addresses when true (development and tests only)", async () => {
    const open = await startTestApi({ environment: { WEBHOOK_ALLOW_PRIVATE_URLS: "true", DISPATCH_ENABLED: "false" } });
    try {
      const owner = await signUp(open, "hooks-private");
      const created = await open.graphql(CREATE_WEBHOOK_ENDPOINT, { input: { url: "http://127.0.0.1:8080/hook" } }, as(owner));
      expect(expectData(created).createWebhookEndpoint.endpoint.url).toBe("http://127.0.0.1:8080/hook");
      // Still only http(s), without credentials.
      const refused = await open.graphql(CREATE_WEBHOOK_ENDPOINT, { input: { url: "http://user:pw@127.0.0.1/hook" } }, as(owner));
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "url" });
    } finally {
      await open.close();
    }
  });
});
