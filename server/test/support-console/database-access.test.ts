import { randomUUID } from "node:crypto";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grantStaffRole } from "../../src/modules/support/staff.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { seedTenant, type TenantFixture } from "../support/two-tenants.ts";

/**
 * The database's side of the support console: staff reads exist only as the support functions, which
 * check the session and write the audit rows themselves; the app role cannot reach the tables, the
 * helpers, or another tenant's access log by any other way.
 */

let database: TestDatabase;
let tenantA: TenantFixture;
let tenantB: TenantFixture;
let staffId: string;
let sessionId: string;
const CONTACT = "+14155550123";

/** A statement on the restricted app role's pool, in a transaction acting for `tenantId` (or nobody), rolled back. */
async function asApp<T>(tenantId: string | null, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await database.db.pool.connect();
  try {
    await client.query("BEGIN");
    if (tenantId) await client.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
    return await work(client);
  } finally {
    await client.query("ROLLBACK");
    client.release();
  }
}

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "succeeded",
    (error: { code?: string }) => error.code ?? String(error),
  );

async function auditCount(): Promise<number> {
  return Number((await database.ownerPool.query("SELECT count(*) FROM support_access_log")).rows[0].count);
}

beforeAll(async () => {
  database = await createTestDatabase();
  tenantA = await seedTenant(database.owner, "A");
  tenantB = await seedTenant(database.owner, "B");
  for (const tenant of [tenantA, tenantB]) {
    await database.ownerPool.query(
      `INSERT INTO messages (tenant_id, id, direction, from_number, to_number, contact_number, body, preview, status)
       VALUES ($1, gen_random_uuid(), 'OUTBOUND', '+8801712345678', $2, $2, 'hello from the database test', 'hello', 'SENT')`,
      [tenant.tenantId, CONTACT],
    );
  }
  const client = await database.ownerPool.connect();
  try {
    staffId = (await grantStaffRole(client, { email: "staff@switchboard.test", role: "SUPPORT", password: async () => "a long staff passphrase 1" })).userId;
  } finally {
    client.release();
  }
  sessionId = (await database.db.support.startSession(staffId, "Ticket 1: checking the database path")).sessionId;
  // One search shows both tenants: an audit row for each.
  await database.db.support.searchMessages(staffId, sessionId, { contact: CONTACT }, 10, null);
});
afterAll(() => database?.drop());

describe("the app role", () => {
  it("cannot read or write the staff and session tables at all", async () => {
    for (const sql of [
      "SELECT * FROM platform_staff",
      "SELECT * FROM support_sessions",
      `INSERT INTO platform_staff (user_id, role) VALUES ('${tenantA.userId}', 'SUPERADMIN')`,
      `INSERT INTO support_sessions (id, staff_user_id, reason, expires_at) VALUES (gen_random_uuid(), '${staffId}', 'a reason of mine', now() + interval '1 hour')`,
      `UPDATE support_sessions SET expires_at = now() + interval '1 day'`,
    ]) {
      expect(await failureOf(asApp(tenantA.tenantId, (client) => client.query(sql))), sql).toBe("42501");
    }
  });

  it("reads its own tenant's access log only, and can neither write nor change it", async () => {
    const seen = await asApp(tenantA.tenantId, async (client) =>
      (await client.query("SELECT tenant_id FROM support_access_log")).rows.map((row) => row.tenant_id),
    );
    expect(seen).toEqual([tenantA.tenantId]);
    expect(await asApp(null, async (client) => (await client.query("SELECT * FROM support_access_log")).rowCount)).toBe(0);
    const before = await auditCount();
    for (const sql of [
      `INSERT INTO support_access_log (tenant_id, id, support_session_id, staff_user_id, staff_email, reason, action, query)
       VALUES ('${tenantA.tenantId}', gen_random_uuid(), '${sessionId}', '${staffId}', 'x@y', 'made up', 'SEARCH', '{}')`,
      "DELETE FROM support_access_log",
      "UPDATE support_access_log SET reason = 'nothing happened'",
    ]) {
      expect(await failureOf(asApp(tenantA.tenantId, (client) => client.query(sql))), sql).toBe("42501");
    }
    expect(await auditCount()).toBe(before);
  });

  it("sees no message of another tenant, even the ones support read", async () => {
    const ofB = await asApp(
      tenantA.tenantId,
      async (client) => (await client.query("SELECT * FROM messages WHERE tenant_id = $1", [tenantB.tenantId])).rowCount,
    );
    expect(ofB).toBe(0);
  });

  it("cannot call the helpers that read without a session or write the audit", async () => {
    for (const sql of [
      "SELECT message_search_sql('{}', NULL)",
      "SELECT message_search_keys('{}', 1, NULL, NULL)",
      `SELECT * FROM support_message_details('[{"tenantId": "${tenantB.tenantId}", "id": "${randomUUID()}"}]')`,
      `SELECT support_session_of('${sessionId}', '${staffId}')`,
      `SELECT support_record_access(s, ARRAY['${tenantB.tenantId}'::uuid], 'SEARCH', '{}', NULL) FROM (SELECT NULL::support_sessions AS s) x`,
    ]) {
      expect(await failureOf(asApp(null, (client) => client.query(sql))), sql).toBe("42501");
    }
  });
});

describe("a tenant's text search", () => {
  it("returns the ids of the transaction's tenant only, whatever the filter names, and nothing without a tenant", async () => {
    const messageOf = async (tenantId: string) =>
      (await database.ownerPool.query("SELECT id FROM messages WHERE tenant_id = $1 AND body LIKE 'hello%'", [tenantId])).rows[0].id as string;
    const search = (tenantId: string | null, filter: Record<string, unknown>) =>
      asApp(tenantId, async (client) =>
        (await client.query("SELECT id FROM tenant_search_message_ids($1, 10, NULL, NULL) AS id", [filter])).rows.map((row) => row.id),
      );
    const messageA = await messageOf(tenantA.tenantId);
    expect(await search(tenantA.tenantId, { text: "from the database" })).toEqual([messageA]);
    expect(await search(tenantA.tenantId, { text: "from the database", tenantId: tenantB.tenantId })).toEqual([messageA]);
    expect(await search(tenantA.tenantId, { text: "from the database", messageId: await messageOf(tenantB.tenantId) })).toEqual([messageA]);
    expect(await failureOf(search(null, { text: "from the database" }))).toBe("42501");
  });
});

describe("the support functions", () => {
  it("refuse a session that is not the caller's, does not exist or has expired, recording nothing", async () => {
    const before = await auditCount();
    const search = (session: string, staff: string) =>
      failureOf(
        asApp(null, (client) => client.query("SELECT * FROM support_search_messages($1, $2, $3, 10, NULL, NULL)", [session, staff, { contact: CONTACT }])),
      );
    const open = (session: string, staff: string) =>
      failureOf(asApp(null, (client) => client.query("SELECT * FROM support_open_message($1, $2, $3)", [session, staff, randomUUID()])));
    for (const [session, staff] of [
      [sessionId, tenantA.userId],
      [randomUUID(), staffId],
    ] as const) {
      expect(await search(session, staff)).toBe("SB101");
      expect(await open(session, staff)).toBe("SB101");
    }
    await database.ownerPool.query("UPDATE support_sessions SET expires_at = now() WHERE id = $1", [sessionId]);
    try {
      expect(await search(sessionId, staffId)).toBe("SB101");
    } finally {
      await database.ownerPool.query("UPDATE support_sessions SET expires_at = now() + interval '30 minutes' WHERE id = $1", [sessionId]);
    }
    expect(await auditCount()).toBe(before);
  });

  it("refuse to start a session for someone who is not staff, or without a reason", async () => {
    const start = (user: string, reason: string) =>
      failureOf(asApp(null, (client) => client.query("SELECT * FROM support_start_session($1, $2)", [user, reason])));
    expect(await start(tenantA.userId, "Ticket 1: I am not staff")).toBe("SB102");
    expect(await start(staffId, "short")).toBe("SB103");
  });

  it("wrote one audit row per tenant the search showed, in the search's own statement", async () => {
    const { rows } = await database.ownerPool.query(
      "SELECT tenant_id, action, query FROM support_access_log WHERE support_session_id = $1 ORDER BY tenant_id",
      [sessionId],
    );
    expect(rows).toEqual(
      [tenantA.tenantId, tenantB.tenantId].sort().map((tenantId) => ({ tenant_id: tenantId, action: "SEARCH", query: { contact: CONTACT } })),
    );
  });

  it("run as a NOLOGIN role that bypasses nothing and owns no table", async () => {
    const { rows } = await database.ownerPool.query(
      `SELECT r.rolcanlogin, r.rolsuper, r.rolbypassrls, (SELECT count(*)::int FROM pg_class c WHERE c.relowner = r.oid AND c.relkind IN ('r', 'p')) AS tables,
              (SELECT array_agg(p.proname ORDER BY p.proname) FROM pg_proc p WHERE p.proowner = r.oid AND p.prosecdef
                 AND has_function_privilege('switchboard_app', p.oid, 'EXECUTE'))::text[] AS callable
         FROM pg_roles r WHERE r.rolname = 'switchboard_support'`,
    );
    expect(rows[0]).toEqual({
      rolcanlogin: false,
      rolsuper: false,
      rolbypassrls: false,
      tables: 0,
      callable: [
        "support_end_session",
        "support_open_message",
        "support_search_messages",
        "support_set_tenant_suspension",
        "support_start_session",
        "support_tenant_statements",
        "tenant_message_text_contacts",
        "tenant_search_message_ids",
      ],
    });
  });
});
