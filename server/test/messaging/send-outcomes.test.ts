import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGroupCommit } from "../../src/jobs/group-commit.ts";
import { connectedTenant, startMessagingWorld, type MessagingWorld, type Sender } from "../support/messaging.ts";

type SendOutcomeRow = { id: string; status: string; provider_message_id: string | null; error: string | null; retry_in_ms: number; detail: string | null };
const sent = (id: string): SendOutcomeRow => ({ id, status: "SENT", provider_message_id: `p-${id}`, error: null, retry_in_ms: 0, detail: null });

describe("send outcomes, group-committed on the real pool", () => {
  let world: MessagingWorld;
  let a: Sender;
  let b: Sender;
  beforeAll(async () => {
    world = await startMessagingWorld({ DISPATCH_ENABLED: "false" });
    a = await connectedTenant(world, { label: "recorder-a" });
    b = await connectedTenant(world, { label: "recorder-b" });
  });
  afterAll(() => world?.close());

  /** The recorder the send consumer uses: app_record_send_outcomes per tenant, group-committed. */
  const createOutcomeRecorder = () => {
    const pool = world.api.database.db.backgroundPool;
    const commit = createGroupCommit<SendOutcomeRow>(async (tenantId, rows) => {
      await pool.query("SELECT app_record_send_outcomes($1, $2::jsonb)", [tenantId, JSON.stringify(rows)]);
      return [];
    });
    return { record: (tenantId: string, row: SendOutcomeRow) => commit.submit(tenantId, row) };
  };

  /** `count` messages of `tenant` as a claim leaves them before the provider answers: SENDING, attempt 1, job leased. */
  async function sending(tenant: Sender, count: number): Promise<string[]> {
    const { rows } = await world.api.database.ownerPool.query(
      `WITH inserted AS (
         INSERT INTO messages (tenant_id, id, connection_id, direction, from_number, to_number, contact_number, body, preview, status, attempts)
         SELECT $1, gen_random_uuid(), c.id, 'OUTBOUND', c.number, '+14155550141', '+14155550141', 'recorded ' || n, 'recorded ' || n, 'SENDING', 1
           FROM whatsapp_connections c, generate_series(1, $2) AS n WHERE c.tenant_id = $1 AND c.status = 'CONNECTED'
         RETURNING tenant_id, id, connection_id
       ), leased AS (
         INSERT INTO jobs (tenant_id, id, queue, pace_key, attempts, locked_until)
         SELECT tenant_id, id, 'send_message', connection_id, 1, now() + interval '1 minute' FROM inserted
       )
       SELECT id FROM inserted`,
      [tenant.tenantId, count],
    );
    return rows.map((row) => row.id as string);
  }
  /** Each message with its job: none once the work ended; rescheduled and released for a retry. */
  const rowsOf = async (ids: string[]) =>
    (
      await world.api.database.ownerPool.query(
        `SELECT m.id, m.status, m.provider_message_id, m.error, j.id IS NOT NULL AS has_job, j.locked_until, j.run_at > now() AS retry_later,
                (SELECT r.message_id FROM provider_message_refs r WHERE r.tenant_id = m.tenant_id AND r.provider_message_id = m.provider_message_id) AS ref
           FROM messages m LEFT JOIN jobs j ON j.tenant_id = m.tenant_id AND j.id = m.id WHERE m.id = ANY($1::uuid[]) ORDER BY m.id`,
        [ids],
      )
    ).rows;

  it("commits every outcome of two tenants, each before its caller's promise settles", async () => {
    const recorder = createOutcomeRecorder();
    const [aIds, bIds] = [await sending(a, 40), await sending(b, 5)];
    const committedWhenSettled: string[] = [];
    const record = (tenantId: string, row: SendOutcomeRow) =>
      recorder.record(tenantId, row).then(async () => {
        const [stored] = await rowsOf([row.id]);
        if (stored.status === row.status) committedWhenSettled.push(row.id);
      });
    const retry: SendOutcomeRow = {
      id: aIds[0]!,
      status: "QUEUED",
      provider_message_id: null,
      error: null,
      retry_in_ms: 60_000,
      detail: "attempt 1 failed; retrying",
    };
    await Promise.all([
      record(a.tenantId, retry),
      ...aIds.slice(1).map((id) => record(a.tenantId, sent(id))),
      ...bIds.map((id) => record(b.tenantId, sent(id))),
    ]);
    expect(committedWhenSettled.sort()).toEqual([...aIds, ...bIds].sort());
    const stored = await rowsOf([...aIds.slice(1), ...bIds]);
    expect(stored.every((row) => row.status === "SENT" && row.provider_message_id === `p-${row.id}` && row.ref === row.id && !row.has_job)).toBe(true);
    expect(await rowsOf([aIds[0]!])).toMatchObject([{ status: "QUEUED", has_job: true, retry_later: true, locked_until: null }]);
    const history = await world.api.database.ownerPool.query("SELECT count(*)::int AS n FROM message_status_events WHERE message_id = ANY($1::uuid[])", [
      [...aIds, ...bIds],
    ]);
    expect(history.rows[0].n).toBe(aIds.length + bIds.length);
  });

  it("applies an outcome only under its own tenant, and fails only the callers of a failed statement", async () => {
    const recorder = createOutcomeRecorder();
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
