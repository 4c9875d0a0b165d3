import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectData, signUp, startTestApi, type TestApi } from "../support/api.ts";
import { connectedTenant, eventually, SEND, startMessagingWorld, type MessagingWorld, type Sender } from "../support/messaging.ts";

/**
 * Idempotency keys are kept at least 24 hours (IDEMPOTENCY_KEY_RETENTION_HOURS), then the hourly
 * housekeeping forgets them: the message stays, the same key sends a new message. Time is driven by
 * ageing messages as the database owner, then running the job as the server does.
 */

let world: MessagingWorld;
let sender: Sender;
beforeAll(async () => {
  world = await startMessagingWorld();
  sender = await connectedTenant(world, { label: "idem-retention" });
});
afterAll(() => world?.close());

const MESSAGE = `query ($id: ID!) { message(id: $id) { id text status idempotencyKey } }`;
const send = (input: Record<string, unknown>, token = sender.key) => world.api.graphql(SEND, { input }, { token });
const forgetOldKeys = (api: TestApi = world.api) => api.services.housekeeping!.run("idempotency-keys");
const ownerQuery = (sql: string, values: unknown[] = [], api: TestApi = world.api) => api.database.ownerPool.query(sql, values);
/** Moves a message's creation `minutes` into the past, as if it had been sent then. */
const age = (id: string, minutes: number, api: TestApi = world.api) =>
  ownerQuery("UPDATE messages SET created_at = now() - make_interval(mins => $2) WHERE id = $1", [id, minutes], api);
const HOUR = 60;

/** A keyed outbound message written straight into the table, `minutes` old; returns its id. */
async function insertKeyed(tenantId: string, key: string | null, minutes: number, api: TestApi = world.api): Promise<string> {
  const id = randomUUID();
  await ownerQuery(
    `INSERT INTO messages (tenant_id, id, direction, from_number, to_number, contact_number, body, preview, status, idempotency_key, request_hash, created_at)
     VALUES ($1, $2, 'OUTBOUND', '+8801712345678', '+14155550160', '+14155550160', 'kept text', 'kept text', 'SENT', $3, $4, now() - make_interval(mins => $5))`,
    [tenantId, id, key, key === null ? null : "f".repeat(64), minutes],
    api,
  );
  return id;
}
type StoredMessage = { id: string; idempotency_key: string | null; request_hash: string | null; body: string; status: string };
/** The messages as stored, by id (throws for one that is gone). */
const storedMessages = async (ids: string[], api: TestApi = world.api) => {
  const { rows } = await ownerQuery("SELECT id, idempotency_key, request_hash, body, status FROM messages WHERE id = ANY($1::uuid[])", [ids], api);
  const byId = new Map((rows as StoredMessage[]).map((row) => [row.id, row]));
  if (byId.size !== ids.length) throw new Error(`${ids.length - byId.size} of the messages are gone`);
  return (id: string) => byId.get(id)!;
};

describe("idempotency keys over time", () => {
  it("replays the first message for a retry within the window, after the job has run", async () => {
    const input = { to: "+14155550150", text: "Invoice 7", idempotencyKey: `within-${randomUUID()}` };
    const first = expectData(await send(input)).sendMessage;
    await age(first.id, 24 * HOUR - 1);
    await forgetOldKeys();

    const again = expectData(await send(input)).sendMessage;
    expect(again).toMatchObject({ id: first.id, idempotencyKey: input.idempotencyKey });
    const other = await send({ ...input, text: "Invoice 8" });
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", field: "idempotencyKey" });
  });

  it("forgets the key after the window: the message stays, the same key sends a new message", async () => {
    const input = { to: "+14155550151", text: `Reminder ${randomUUID()}`, idempotencyKey: `after-${randomUUID()}` };
    const first = expectData(await send(input)).sendMessage;
    await eventually(
      () => world.api.graphql(MESSAGE, { id: first.id }, { token: sender.key }),
      (result) => result.data?.message?.status === "SENT",
    );
    await age(first.id, 24 * HOUR + 1);
    expect(await forgetOldKeys()).toBe(1);

    // The message is still in the log, without its key.
    const kept = expectData(await world.api.graphql(MESSAGE, { id: first.id }, { token: sender.key })).message;
    expect(kept).toEqual({ id: first.id, text: input.text, status: "SENT", idempotencyKey: null });

    const second = expectData(await send(input)).sendMessage;
    expect(second.id).not.toBe(first.id);
    expect(second).toMatchObject({ status: "QUEUED", idempotencyKey: input.idempotencyKey });
    // The key now belongs to the new message: a retry replays it, and it is sent (twice in all).
    expect(expectData(await send(input)).sendMessage.id).toBe(second.id);
    await eventually(
      async () => world.rapiwa.received().filter((received) => received.message === input.text).length,
      (sent) => sent === 2,
    );
  });

  it("forgets only keys older than the window, in each tenant by itself, touching nothing else", async () => {
    const other = await signUp(world.api, "idem-retention-other");
    const shared = `shared-${randomUUID()}`;
    const mine = {
      fresh: await insertKeyed(sender.tenantId, `fresh-${randomUUID()}`, 5),
      almost: await insertKeyed(sender.tenantId, shared, 24 * HOUR - 1),
      past: await insertKeyed(sender.tenantId, `past-${randomUUID()}`, 24 * HOUR + 1),
      ancient: await insertKeyed(sender.tenantId, `ancient-${randomUUID()}`, 30 * 24 * HOUR),
      keyless: await insertKeyed(sender.tenantId, null, 30 * 24 * HOUR),
    };
    // The same key in the other tenant, past the window there: forgotten there, kept here.
    const theirs = {
      past: await insertKeyed(other.tenantId, shared, 24 * HOUR + 1),
      almost: await insertKeyed(other.tenantId, `t-${randomUUID()}`, 24 * HOUR - 1),
    };

    expect(await forgetOldKeys()).toBe(3);

    const all = [...Object.values(mine), ...Object.values(theirs)];
    const after = await storedMessages(all);
    const forgotten = (id: string) => after(id).idempotency_key === null && after(id).request_hash === null;
    expect({
      fresh: forgotten(mine.fresh),
      almost: forgotten(mine.almost),
      past: forgotten(mine.past),
      ancient: forgotten(mine.ancient),
      theirsPast: forgotten(theirs.past),
      theirsAlmost: forgotten(theirs.almost),
    }).toEqual({ fresh: false, almost: false, past: true, ancient: true, theirsPast: true, theirsAlmost: false });
    expect(after(mine.almost).idempotency_key).toBe(shared);
    // Every message is still there, as it was but for the key.
    expect(all.map((id) => [after(id).body, after(id).status])).toEqual(Array(all.length).fill(["kept text", "SENT"]));
    expect(await forgetOldKeys()).toBe(0);
  });

  it("forgets in batches until none is left", async () => {
    const { rows } = await ownerQuery(
      `INSERT INTO messages (tenant_id, id, direction, from_number, to_number, contact_number, body, preview, status, idempotency_key, request_hash, created_at)
       SELECT $1, gen_random_uuid(), 'OUTBOUND', '+8801712345678', '+14155550161', '+14155550161', 'bulk', 'bulk', 'SENT', $2 || n, 'h', now() - interval '2 days'
         FROM generate_series(1, 2500) AS n RETURNING id`,
      [sender.tenantId, `bulk-${randomUUID()}-`],
    );
    expect(await forgetOldKeys()).toBe(2_500);
    const { rows: left } = await ownerQuery("SELECT count(*)::int AS n FROM messages WHERE id = ANY($1::uuid[]) AND idempotency_key IS NOT NULL", [
      rows.map((row) => row.id),
    ]);
    expect(left[0].n).toBe(0);
  });

  it("keeps keys for IDEMPOTENCY_KEY_RETENTION_HOURS when that is longer", async () => {
    const api = await startTestApi({ environment: { IDEMPOTENCY_KEY_RETENTION_HOURS: "48" } });
    try {
      const owner = await signUp(api, "idem-48h");
      const kept = await insertKeyed(owner.tenantId, `k-${randomUUID()}`, 48 * HOUR - 1, api);
      const gone = await insertKeyed(owner.tenantId, `g-${randomUUID()}`, 48 * HOUR + 1, api);
      expect(await forgetOldKeys(api)).toBe(1);
      const after = await storedMessages([kept, gone], api);
      expect([after(kept).idempotency_key === null, after(gone).idempotency_key === null]).toEqual([false, true]);
    } finally {
      await api.close();
    }
  });
});

describe("the path past row-level security", () => {
  it("lets the app role forget only keys past 24 hours, through the function alone", async () => {
    const young = await insertKeyed(sender.tenantId, `young-${randomUUID()}`, 24 * HOUR - 1);
    const app = world.api.database.db.backgroundPool;
    for (const [hours, limit] of [
      [23, 100],
      [0, 100],
      [-1, 100],
      [24, 0],
      [24, 10_001],
    ]) {
      await expect(app.query("SELECT messages_forget_idempotency_keys($1, $2)", [hours, limit])).rejects.toThrow(/at least 24 hours|a batch is 1 to 10000/);
    }
    await expect(app.query("SET ROLE switchboard_dispatch")).rejects.toThrow(/permission denied/);
    // Without the function, the app role outside a tenant's scope reaches no message at all.
    expect((await app.query("UPDATE messages SET idempotency_key = NULL WHERE id = $1", [young])).rowCount).toBe(0);
    expect((await storedMessages([young]))(young).idempotency_key).not.toBeNull();
  });

  it("gives the function's owner role nothing but old keys: no text, no younger key, no other change", async () => {
    const young = await insertKeyed(sender.tenantId, `young2-${randomUUID()}`, 24 * HOUR - 1);
    const old = await insertKeyed(sender.tenantId, `old2-${randomUUID()}`, 24 * HOUR + 1);
    const client = await world.api.database.ownerPool.connect();
    try {
      await client.query("BEGIN; SET LOCAL ROLE switchboard_dispatch");
      const attempt = async (sql: string, values: unknown[] = []) => {
        await client.query("SAVEPOINT attempt");
        try {
          const result = await client.query(sql, values);
          await client.query("RELEASE SAVEPOINT attempt");
          return result.rows;
        } catch (error) {
          await client.query("ROLLBACK TO SAVEPOINT attempt");
          return (error as Error).message;
        }
      };
      expect(await attempt("SELECT id FROM messages WHERE id = ANY($1::uuid[])", [[young, old]])).toEqual([{ id: old }]);
      expect(await attempt("SELECT body FROM messages WHERE id = $1", [old])).toMatch(/permission denied/);
      expect(await attempt("SELECT request_hash FROM messages WHERE id = $1", [old])).toMatch(/permission denied/);
      expect(await attempt("UPDATE messages SET status = 'FAILED' WHERE id = $1", [old])).toMatch(/permission denied/);
      expect(await attempt("UPDATE messages SET idempotency_key = 'stolen' WHERE id = $1", [old])).toMatch(/row-level security/);
      expect(await attempt("DELETE FROM messages WHERE id = $1", [old])).toMatch(/permission denied/);
      expect(await attempt("UPDATE messages SET idempotency_key = NULL, request_hash = NULL WHERE id = ANY($1::uuid[]) RETURNING id", [[young, old]])).toEqual([
        { id: old },
      ]);
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  });
});
