import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOutcomeRecorder, type SendOutcomeRow } from "../../src/modules/messages/outcome-recorder.ts";
import { connectedTenant, startMessagingWorld, type MessagingWorld, type Sender } from "../support/messaging.ts";

/**
 * A pool whose statements finish only when the test says so, recording what was sent. A controlled
 * double on purpose: group commit is about what arrives *while* a statement is in flight, and only a
 * statement held open by the test makes that interleaving certain. The same recorder is tested
 * against the real PostgreSQL pool below.
 */
function controlledPool() {
  const statements: { tenantId: string; ids: string[]; finish(error?: Error): void }[] = [];
  const pool = {
    query(_sql: string, [tenantId, json]: [string, string]) {
      return new Promise((resolve, reject) => {
        const ids = (JSON.parse(json) as SendOutcomeRow[]).map((row) => row.id);
        statements.push({ tenantId, ids, finish: (error) => (error ? reject(error) : resolve({ rows: [] })) });
      });
    },
  } as unknown as pg.Pool;
  return { pool, statements };
}

const sent = (id: string): SendOutcomeRow => ({ id, status: "SENT", provider_message_id: `p-${id}`, error: null, retry_in_ms: 0, detail: null });
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("outcome recorder (group commit)", () => {
  it("records a lone outcome at once, and what arrives during a commit together in the next one", async () => {
    const { pool, statements } = controlledPool();
    const recorder = createOutcomeRecorder(pool);
    const settled: string[] = [];
    const record = (tenantId: string, id: string) => recorder.record(tenantId, sent(id)).then(() => settled.push(id));

    const first = record("t1", "a");
    await turn();
    expect(statements.map((s) => s.ids)).toEqual([["a"]]);

    // While "a" commits, three more arrive: one statement for all three once "a" is done.
    const rest = [record("t1", "b"), record("t1", "c"), record("t1", "d")];
    await turn();
    expect(statements).toHaveLength(1);
    statements[0]!.finish();
    await first;
    await turn();
    expect(statements.map((s) => s.ids)).toEqual([["a"], ["b", "c", "d"]]);
    expect(settled).toEqual(["a"]);
    statements[1]!.finish();
    await Promise.all(rest);
    expect(settled).toEqual(["a", "b", "c", "d"]);
  });

  it("keeps tenants apart and fails only the callers of a failed statement", async () => {
    const { pool, statements } = controlledPool();
    const recorder = createOutcomeRecorder(pool);
    const one = recorder.record("t1", sent("a"));
    const two = recorder.record("t2", sent("b"));
    await turn();
    expect(statements.map((s) => [s.tenantId, s.ids])).toEqual([
      ["t1", ["a"]],
      ["t2", ["b"]],
    ]);
    statements[0]!.finish(new Error("database down"));
    statements[1]!.finish();
    await expect(one).rejects.toThrow("database down");
    await expect(two).resolves.toBeUndefined();

    // The failed tenant's next outcome goes out normally.
    const again = recorder.record("t1", sent("c"));
    await turn();
    expect(statements[2]!.ids).toEqual(["c"]);
    statements[2]!.finish();
    await expect(again).resolves.toBeUndefined();
  });
});

describe("outcome recorder on the real pool", () => {
  let world: MessagingWorld;
  let a: Sender;
  let b: Sender;
  beforeAll(async () => {
    world = await startMessagingWorld({ DISPATCH_ENABLED: "false" });
    a = await connectedTenant(world, { label: "recorder-a" });
    b = await connectedTenant(world, { label: "recorder-b" });
  });
  afterAll(() => world?.close());

  /** `count` messages of `tenant` as a dispatcher leaves them before the provider answers: SENDING, attempt 1. */
  async function sending(tenant: Sender, count: number): Promise<string[]> {
    const { rows } = await world.api.database.ownerPool.query(
      `INSERT INTO messages (tenant_id, id, connection_id, direction, from_number, to_number, contact_number, body, preview, status, attempts, next_attempt_at, lease_expires_at)
       SELECT $1, gen_random_uuid(), c.id, 'OUTBOUND', c.number, '+14155550141', '+14155550141', 'recorded ' || n, 'recorded ' || n, 'SENDING', 1, NULL, now() + interval '1 minute'
         FROM whatsapp_connections c, generate_series(1, $2) AS n WHERE c.tenant_id = $1 AND c.status = 'CONNECTED'
       RETURNING id`,
      [tenant.tenantId, count],
    );
    return rows.map((row) => row.id as string);
  }
  const rowsOf = async (ids: string[]) =>
    (
      await world.api.database.ownerPool.query(
        "SELECT id, status, provider_message_id, error, lease_expires_at, next_attempt_at > now() AS retry_later FROM messages WHERE id = ANY($1::uuid[]) ORDER BY id",
        [ids],
      )
    ).rows;

  it("commits every outcome of two tenants, each before its caller's promise settles", async () => {
    const recorder = createOutcomeRecorder(world.api.database.db.backgroundPool);
    const [aIds, bIds] = [await sending(a, 40), await sending(b, 5)];
    const committedWhenSettled: string[] = [];
    const record = (tenantId: string, row: SendOutcomeRow) =>
      recorder.record(tenantId, row).then(async () => {
        const [stored] = await rowsOf([row.id]);
        if (stored.status === row.status) committedWhenSettled.push(row.id);
      });
    const retry: SendOutcomeRow = { id: aIds[0]!, status: "QUEUED", provider_message_id: null, error: null, retry_in_ms: 60_000, detail: "attempt 1 failed; retrying" };
    await Promise.all([
      record(a.tenantId, retry),
      ...aIds.slice(1).map((id) => record(a.tenantId, sent(id))),
      ...bIds.map((id) => record(b.tenantId, sent(id))),
    ]);
    expect(committedWhenSettled.sort()).toEqual([...aIds, ...bIds].sort());
    const stored = await rowsOf([...aIds.slice(1), ...bIds]);
    expect(stored.every((row) => row.status === "SENT" && row.provider_message_id === `p-${row.id}` && row.lease_expires_at === null)).toBe(true);
    expect(await rowsOf([aIds[0]!])).toMatchObject([{ status: "QUEUED", retry_later: true, lease_expires_at: null }]);
    const history = await world.api.database.ownerPool.query("SELECT count(*)::int AS n FROM message_status_events WHERE message_id = ANY($1::uuid[])", [[...aIds, ...bIds]]);
    expect(history.rows[0].n).toBe(aIds.length + bIds.length);
  });

  it("applies an outcome only under its own tenant, and fails only the callers of a failed statement", async () => {
    const recorder = createOutcomeRecorder(world.api.database.db.backgroundPool);
    const [aId] = await sending(a, 1);
    const [bId] = await sending(b, 1);
    // A's message named under B's tenant: row-level security and the tenant filter leave it alone.
    await recorder.record(b.tenantId, sent(aId!));
    expect(await rowsOf([aId!])).toMatchObject([{ status: "SENDING" }]);
    // A statement the database refuses (no such status) rejects its callers; B's goes through.
    const bad = recorder.record(a.tenantId, { ...sent(aId!), status: "NOT_A_STATUS" as SendOutcomeRow["status"] });
    const good = recorder.record(b.tenantId, sent(bId!));
    await expect(bad).rejects.toThrow(/invalid input value for enum/);
    await expect(good).resolves.toBeUndefined();
    expect(await rowsOf([aId!, bId!])).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: aId, status: "SENDING" }), expect.objectContaining({ id: bId, status: "SENT" })]),
    );
    // A's next outcome goes out normally.
    await recorder.record(a.tenantId, sent(aId!));
    expect(await rowsOf([aId!])).toMatchObject([{ status: "SENT" }]);
  });
});
