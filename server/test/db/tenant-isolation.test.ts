import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { assertRestrictedRole } from "../../src/db/app-role.ts";
import type { TenantTransaction } from "../../src/db/database.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { seedTenant, type TenantFixture } from "../support/two-tenants.ts";

/** Every table that holds one tenant's data, with the column its policy checks. */
const TENANT_TABLES = [
  { table: "tenants", model: "tenant", column: "id", field: "id" },
  { table: "memberships", model: "membership", column: "tenant_id", field: "tenantId" },
  { table: "api_keys", model: "apiKey", column: "tenant_id", field: "tenantId" },
  { table: "whatsapp_connections", model: "whatsAppConnection", column: "tenant_id", field: "tenantId" },
  { table: "webhook_endpoints", model: "webhookEndpoint", column: "tenant_id", field: "tenantId" },
  { table: "messages", model: "message", column: "tenant_id", field: "tenantId" },
  { table: "message_status_events", model: "messageStatusEvent", column: "tenant_id", field: "tenantId" },
  { table: "provider_events", model: "providerEvent", column: "tenant_id", field: "tenantId" },
  { table: "webhook_deliveries", model: "webhookDelivery", column: "tenant_id", field: "tenantId" },
  { table: "audit_logs", model: "auditLog", column: "tenant_id", field: "tenantId" },
  { table: "team_invitations", model: "teamInvitation", column: "tenant_id", field: "tenantId" },
  { table: "jobs", model: "job", column: "tenant_id", field: "tenantId" },
  { table: "job_pace", model: "jobPace", column: "tenant_id", field: "tenantId" },
  { table: "provider_message_refs", model: "providerMessageRef", column: "tenant_id", field: "tenantId" },
  { table: "webhook_events", model: "webhookEvent", column: "tenant_id", field: "tenantId" },
  { table: "webhook_delivery_attempts", model: "webhookDeliveryAttempt", column: "tenant_id", field: "tenantId" },
  { table: "monthly_statements", model: "monthlyStatement", column: "tenant_id", field: "tenantId" },
  { table: "conversation_reads", model: "conversationRead", column: "tenant_id", field: "tenantId" },
] as const;

/** Tables owned by a user rather than a tenant. */
const USER_TABLES = [
  { table: "users", column: "id" },
  { table: "sessions", column: "user_id" },
] as const;

/**
 * The support console's tables (migration 20261202000000_support_console): RLS with policies for its
 * NOLOGIN role, and the app role may only read its own tenant's access log. Tried in depth, rows and
 * privileges, by test/support-console/database-access.test.ts.
 */
const SUPPORT_TABLES = [{ table: "platform_staff" }, { table: "support_access_log" }, { table: "support_sessions" }] as const;

/**
 * Tables that hold no tenant's or user's data, so no policy: only the brute-force counters (key,
 * points, expiry), used before anyone is authenticated. Adding a table here needs a reason.
 */
const UNSCOPED_TABLES = [{ table: "rate_limits", columns: ["expire", "key", "points"] }] as const;

type Row = Record<string, unknown>;
type Delegate = {
  findMany(args?: object): Promise<Row[]>;
  findFirst(args?: object): Promise<Row | null>;
  updateMany(args: object): Promise<{ count: number }>;
  deleteMany(args: object): Promise<{ count: number }>;
  create(args: object): Promise<Row>;
};
const delegate = (client: unknown, model: string) => (client as Record<string, Delegate>)[model]!;

const RLS_VIOLATION = /row-level security/i;

/**
 * How many rows a write touched; "denied" where the app role holds no such privilege at all
 * (the audit trail is append-only, tenants are never deleted): either way nothing changed.
 */
async function rowsChanged(write: Promise<{ count?: number; rowCount?: number | null }>): Promise<number | "denied"> {
  try {
    const result = await write;
    return result.count ?? result.rowCount ?? 0;
  } catch (error) {
    if (/permission denied|42501/.test(String((error as Error).message))) return "denied";
    throw error;
  }
}
const NOTHING_CHANGED = [0, "denied"];

let database: TestDatabase;
let tenantA: TenantFixture;
let tenantB: TenantFixture;

beforeAll(async () => {
  database = await createTestDatabase();
  tenantA = await seedTenant(database.owner, "A");
  tenantB = await seedTenant(database.owner, "B");
});
afterAll(() => database?.drop());

/** What is really stored for a tenant, read past RLS by the owner. */
async function ownerRows(table: string, column: string, tenantId: string): Promise<Row[]> {
  const { rows } = await database.ownerPool.query(`SELECT * FROM ${table} WHERE ${column} = $1 ORDER BY 1, 2`, [tenantId]);
  return rows;
}

/** A copy of one of B's rows under a new id: the payload of every insert attempt. */
async function rowLike(table: string, column: string, tenantId: string): Promise<Row> {
  const [row] = await ownerRows(table, column, tenantId);
  expect(row, `fixture row in ${table}`).toBeDefined();
  return { ...row, ...("id" in row! && column !== "id" ? { id: crypto.randomUUID() } : {}) };
}

/** Raw SQL on a connection of the restricted role, acting for `tenantId` (or nobody). */
async function asTenantRaw<T>(tenantId: string | null, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await database.db.pool.connect();
  try {
    await client.query("BEGIN");
    if (tenantId) await client.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
    const result = await work(client);
    await client.query("ROLLBACK");
    return result;
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}

const insertFromJson = (table: string) => `INSERT INTO ${table} SELECT (jsonb_populate_record(NULL::${table}, $1::jsonb)).*`;

describe.each(TENANT_TABLES)("$table: tenant A against tenant B", ({ table, model, column, field }) => {
  const asA = <T>(work: (tx: TenantTransaction) => Promise<T>) => database.db.withTenant(tenantA.tenantId, work);

  it("through Prisma, A reads its own rows and none of B's", async () => {
    const rows = await asA((tx) => delegate(tx, model).findMany());
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row[field] === tenantA.tenantId)).toBe(true);
    await expect(asA((tx) => delegate(tx, model).findMany({ where: { [field]: tenantB.tenantId } }))).resolves.toEqual([]);
    await expect(asA((tx) => delegate(tx, model).findFirst({ where: { [field]: tenantB.tenantId } }))).resolves.toBeNull();
  });

  it("through Prisma, A cannot update or delete B's rows", async () => {
    const before = await ownerRows(table, column, tenantB.tenantId);
    const updated = await rowsChanged(
      asA((tx) => delegate(tx, model).updateMany({ where: { [field]: tenantB.tenantId }, data: { [field]: tenantA.tenantId } })),
    );
    const deleted = await rowsChanged(asA((tx) => delegate(tx, model).deleteMany({ where: { [field]: tenantB.tenantId } })));
    expect(NOTHING_CHANGED).toContain(updated);
    expect(NOTHING_CHANGED).toContain(deleted);
    expect(await ownerRows(table, column, tenantB.tenantId)).toEqual(before);
  });

  it("through Prisma, A cannot insert a row for B", async () => {
    const existing = await delegate(database.owner, model).findFirst({ where: { [field]: tenantB.tenantId } });
    expect(existing).not.toBeNull();
    const data = { ...existing, ...(field === "tenantId" && "id" in existing! ? { id: crypto.randomUUID() } : {}) };
    await expect(asA((tx) => delegate(tx, model).create({ data }))).rejects.toThrow(RLS_VIOLATION);
  });

  it("through raw SQL, A reads only its own rows and cannot change B's", async () => {
    const before = await ownerRows(table, column, tenantB.tenantId);
    const ownCount = (await ownerRows(table, column, tenantA.tenantId)).length;
    const read = await asTenantRaw(tenantA.tenantId, async (client) => ({
      visible: Number((await client.query(`SELECT count(*) FROM ${table}`)).rows[0].count),
      ofB: (await client.query(`SELECT * FROM ${table} WHERE ${column} = $1`, [tenantB.tenantId])).rowCount,
    }));
    expect(read).toEqual({ visible: ownCount, ofB: 0 });
    const updated = await rowsChanged(
      asTenantRaw(tenantA.tenantId, (client) => client.query(`UPDATE ${table} SET ${column} = ${column} WHERE ${column} = $1`, [tenantB.tenantId])),
    );
    const deleted = await rowsChanged(asTenantRaw(tenantA.tenantId, (client) => client.query(`DELETE FROM ${table} WHERE ${column} = $1`, [tenantB.tenantId])));
    expect(NOTHING_CHANGED).toContain(updated);
    expect(NOTHING_CHANGED).toContain(deleted);
    expect(ownCount).toBeGreaterThan(0);
    expect(await ownerRows(table, column, tenantB.tenantId)).toEqual(before);
  });

  it("through raw SQL in A's Prisma transaction, B's rows stay invisible", async () => {
    const counts = await asA((tx) =>
      tx.$queryRawUnsafe<{ mine: bigint; theirs: bigint }[]>(
        `SELECT count(*) FILTER (WHERE ${column} = $1::uuid) AS mine, count(*) FILTER (WHERE ${column} = $2::uuid) AS theirs FROM ${table}`,
        tenantA.tenantId,
        tenantB.tenantId,
      ),
    );
    expect(Number(counts[0]!.mine)).toBeGreaterThan(0);
    expect(Number(counts[0]!.theirs)).toBe(0);
  });

  it("through raw SQL, A cannot insert a row for B", async () => {
    const row = await rowLike(table, column, tenantB.tenantId);
    await expect(asTenantRaw(tenantA.tenantId, (client) => client.query(insertFromJson(table), [JSON.stringify(row)]))).rejects.toThrow(RLS_VIOLATION);
  });

  it("with no tenant set, nothing is visible and nothing can be inserted", async () => {
    const visible = await asTenantRaw(null, async (client) => Number((await client.query(`SELECT count(*) FROM ${table}`)).rows[0].count));
    expect(visible).toBe(0);
    const row = await rowLike(table, column, tenantA.tenantId);
    await expect(asTenantRaw(null, (client) => client.query(insertFromJson(table), [JSON.stringify(row)]))).rejects.toThrow(RLS_VIOLATION);
    // A stale setting from an earlier transaction on the same pooled connection does not linger.
    await database.db.withTenant(tenantA.tenantId, (tx) => delegate(tx, model).findMany());
    const afterwards = await asTenantRaw(null, async (client) => Number((await client.query(`SELECT count(*) FROM ${table}`)).rows[0].count));
    expect(afterwards).toBe(0);
  });
});

describe.each(USER_TABLES)("$table: user A against user B", ({ table, column }) => {
  async function asUserRaw<T>(userId: string | null, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await database.db.pool.connect();
    try {
      await client.query("BEGIN");
      if (userId) await client.query("SELECT set_config('app.user_id', $1, true)", [userId]);
      return await work(client);
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  }

  it("a user reads and changes only their own rows", async () => {
    const outcome = await asUserRaw(tenantA.userId, async (client) => ({
      own: (await client.query(`SELECT * FROM ${table} WHERE ${column} = $1`, [tenantA.userId])).rowCount,
      ofB: (await client.query(`SELECT * FROM ${table} WHERE ${column} = $1`, [tenantB.userId])).rowCount,
      updated: (await client.query(`UPDATE ${table} SET ${column} = ${column} WHERE ${column} = $1`, [tenantB.userId])).rowCount,
      deleted: (await client.query(`DELETE FROM ${table} WHERE ${column} = $1`, [tenantB.userId])).rowCount,
    }));
    expect(outcome).toEqual({ own: 1, ofB: 0, updated: 0, deleted: 0 });
  });

  it("nobody set means nothing visible and no insert", async () => {
    expect(await asUserRaw(null, async (client) => (await client.query(`SELECT * FROM ${table}`)).rowCount)).toBe(0);
    const [row] = (await database.ownerPool.query(`SELECT * FROM ${table} WHERE ${column} = $1`, [tenantB.userId])).rows;
    await expect(
      asUserRaw(tenantA.userId, (client) => client.query(insertFromJson(table), [JSON.stringify({ ...row, id: crypto.randomUUID() })])),
    ).rejects.toThrow(RLS_VIOLATION);
  });
});

describe("cross-table policies", () => {
  it("acting for a tenant shows its members' user rows and no one else's", async () => {
    const emails = await asTenantRaw(tenantA.tenantId, async (client) => (await client.query("SELECT id FROM users")).rows.map((row) => row.id));
    expect(emails).toEqual([tenantA.userId]);
  });

  it("acting as a user shows that user's memberships and tenants only", async () => {
    const client = await database.db.pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT set_config('app.user_id', $1, true)", [tenantA.userId]);
      const memberships = (await client.query("SELECT tenant_id FROM memberships")).rows.map((row) => row.tenant_id);
      const tenants = (await client.query("SELECT id FROM tenants")).rows.map((row) => row.id);
      expect({ memberships, tenants }).toEqual({ memberships: [tenantA.tenantId], tenants: [tenantA.tenantId] });
      // The application may not update tenants at all (a suspension is lifted only by Switchboard's function).
      await expect(client.query("UPDATE tenants SET active = false WHERE id = $1", [tenantA.tenantId])).rejects.toThrow(/permission denied/);
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  });
  it("acting as a user shows the invitations to that user's email, and the inviting tenant while one is open; no writes", async () => {
    const {
      rows: [owner],
    } = await database.ownerPool.query("SELECT email FROM users WHERE id = $1", [tenantB.userId]);
    const invitation = await database.owner.teamInvitation.create({
      data: { tenantId: tenantA.tenantId, email: owner.email, role: "ADMIN", invitedBy: `user:${tenantA.userId}`, expiresAt: new Date(Date.now() + 60_000) },
    });
    const asB = async (work: (client: pg.PoolClient) => Promise<unknown>) => {
      const client = await database.db.pool.connect();
      try {
        await client.query("BEGIN");
        await client.query("SELECT set_config('app.user_id', $1, true)", [tenantB.userId]);
        return await work(client);
      } finally {
        await client.query("ROLLBACK");
        client.release();
      }
    };
    try {
      const seen = await asB(async (client) => ({
        invitations: (await client.query("SELECT id FROM team_invitations")).rows.map((row) => row.id),
        tenants: (await client.query("SELECT id FROM tenants ORDER BY id")).rows.map((row) => row.id),
        updated: (await client.query("UPDATE team_invitations SET role = 'OWNER'")).rowCount,
        auditOfA: (await client.query("SELECT id FROM audit_logs")).rowCount,
      }));
      expect(seen).toEqual({ invitations: [invitation.id], tenants: [tenantA.tenantId, tenantB.tenantId].sort(), updated: 0, auditOfA: 0 });
      // Once answered, the inviting tenant is hidden again.
      await database.ownerPool.query("UPDATE team_invitations SET declined_at = now() WHERE id = $1", [invitation.id]);
      const tenants = await asB(async (client) => (await client.query("SELECT id FROM tenants")).rows.map((row) => row.id));
      expect(tenants).toEqual([tenantB.tenantId]);
    } finally {
      await database.ownerPool.query("DELETE FROM team_invitations WHERE id = $1", [invitation.id]);
    }
  });
});

describe("the policies themselves", () => {
  it("cover every table: RLS enabled and forced, with a policy, on each (so a new table cannot be forgotten)", async () => {
    const { rows } = await database.ownerPool.query<{ table: string; enabled: boolean; forced: boolean; policies: number }>(
      `SELECT c.relname AS table, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
              (SELECT count(*)::int FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname) AS policies
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> '_prisma_migrations'
        ORDER BY c.relname`,
    );
    const unscoped = new Set<string>(UNSCOPED_TABLES.map((entry) => entry.table));
    const covered = [...TENANT_TABLES, ...USER_TABLES, ...SUPPORT_TABLES].map((entry) => entry.table).sort();
    const scoped = rows.filter((row) => !unscoped.has(row.table));
    expect(scoped.map((row) => row.table)).toEqual(covered);
    for (const row of scoped) expect(row, row.table).toMatchObject({ enabled: true, forced: true, policies: expect.any(Number) });
    expect(scoped.every((row) => row.policies > 0)).toBe(true);
  });

  it("leave out only tables that hold no tenant or user data (the rate-limit counters)", async () => {
    for (const { table, columns } of UNSCOPED_TABLES) {
      const { rows } = await database.ownerPool.query<{ column: string }>(
        "SELECT column_name AS column FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY column_name",
        [table],
      );
      expect(
        rows.map((row) => row.column),
        table,
      ).toEqual(columns);
    }
  });

  it("have an index led by every policy column", async () => {
    const { rows } = await database.ownerPool.query<{ table: string; leading: string[] }>(
      `SELECT t.relname AS table, array_agg(a.attname) AS leading
         FROM pg_index i
         JOIN pg_class t ON t.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0]
        WHERE n.nspname = 'public'
        GROUP BY t.relname`,
    );
    const leadingByTable = new Map(rows.map((row) => [row.table, row.leading]));
    for (const { table, column } of [...TENANT_TABLES, ...USER_TABLES]) {
      expect(leadingByTable.get(table), `${table}.${column}`).toContain(column);
    }
  });

  it("are not bypassed by the server's role, which owns nothing and is no superuser", async () => {
    await expect(assertRestrictedRole(database.db.pool)).resolves.toBeUndefined();
    await expect(assertRestrictedRole(database.ownerPool)).rejects.toThrow(/DATABASE_APP_URL/);
  });
});
