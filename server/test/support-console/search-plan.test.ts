import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

/**
 * The plans of the statements support_search_messages (and a tenant's text search) runs, on a table with enough rows (analyzed),
 * as the role that runs them: each kind of search reaches messages through an index, never by reading
 * every tenant's messages. The statement is the function's own (message_search_sql), not a copy.
 */

let database: TestDatabase;
const TENANTS = 40;
const MESSAGES_PER_TENANT = 1_500;
let someTenant: string;

type PlanNode = { "Node Type": string; "Relation Name"?: string; "Index Name"?: string; Plans?: PlanNode[] };
const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

/** EXPLAIN of the search statement for `filter`, with the parameters the function passes. */
async function planOf(filter: Record<string, unknown>, pattern: string | null = null, step: "window" | "older" | null = null): Promise<PlanNode[]> {
  const client = await database.ownerPool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SET LOCAL ROLE switchboard_support");
    const sql = (await client.query<{ sql: string }>("SELECT message_search_sql($1, $2) AS sql", [filter, step])).rows[0]!.sql;
    await client.query(`PREPARE support_search (jsonb, integer, timestamptz, uuid, text) AS ${sql}`);
    const literal = (value: string | null) => (value === null ? "NULL" : client.escapeLiteral(value));
    const { rows } = await client.query(
      `EXPLAIN (FORMAT JSON) EXECUTE support_search (${literal(JSON.stringify(filter))}::jsonb, 21, NULL, NULL, ${literal(pattern)})`,
    );
    return nodesOf(rows[0]["QUERY PLAN"][0].Plan);
  } finally {
    await client.query("ROLLBACK");
    await client.query("DEALLOCATE ALL");
    client.release();
  }
}

const scansOfMessages = (nodes: PlanNode[]) => nodes.filter((node) => node["Relation Name"] === "messages").map((node) => node["Node Type"]);

beforeAll(async () => {
  database = await createTestDatabase();
  await database.ownerPool.query(
    `INSERT INTO tenants (id, company_name, slug) SELECT gen_random_uuid(), 'Plan ' || n, 'plan-' || n FROM generate_series(1, $1) AS n`,
    [TENANTS],
  );
  // Bodies of varied text; a few say what the search looks for.
  await database.ownerPool.query(
    `INSERT INTO messages (tenant_id, id, direction, from_number, to_number, contact_number, body, preview, status, created_at, status_changed_at)
     SELECT t.id, gen_random_uuid(), 'OUTBOUND', '+8801712345678', c.contact, c.contact,
            CASE WHEN n % 5000 = 0 THEN 'Sorry, the parcel never arrived at the depot' ELSE 'Order ' || md5(t.id::text || n) || ' is on its way' END,
            'preview', 'SENT', now() - n * interval '1 second', now()
       FROM tenants t CROSS JOIN generate_series(1, $1) AS n
       CROSS JOIN LATERAL (SELECT '+1415555' || lpad((n % 997)::text, 4, '0') AS contact) c`,
    [MESSAGES_PER_TENANT],
  );
  await database.ownerPool.query(
    `WITH sent AS (UPDATE messages SET provider_message_id = 'rapiwa-' || id RETURNING tenant_id, id, provider_message_id)
     INSERT INTO provider_message_refs (tenant_id, provider_message_id, message_id) SELECT tenant_id, provider_message_id, id FROM sent`,
  );
  await database.ownerPool.query("ANALYZE");
  someTenant = (await database.ownerPool.query("SELECT id FROM tenants LIMIT 1")).rows[0].id;
});
afterAll(() => database?.drop());

describe("search plans", () => {
  it("find text among the newest messages first, then through the trigram index, never by reading every message", async () => {
    for (const filter of [{ text: "never arrived" }, { text: "never arrived", tenantId: someTenant, statuses: ["SENT"] }]) {
      const window = await planOf(filter, "%never arrived%", "window");
      expect(scansOfMessages(window), JSON.stringify(filter)).not.toContain("Seq Scan");
      expect(
        window.map((node) => node["Index Name"]),
        JSON.stringify(filter),
      ).toContain(filter.tenantId ? "messages_tenant_id_created_at_id_idx" : "messages_created_at_id_idx");

      const older = await planOf(filter, "%never arrived%", "older");
      expect(scansOfMessages(older), JSON.stringify(filter)).not.toContain("Seq Scan");
      expect(
        older.map((node) => node["Index Name"]),
        JSON.stringify(filter),
      ).toContain("messages_body_trgm_idx");
    }
  });

  it("find text with a number through the number's index", async () => {
    const nodes = await planOf({ text: "never arrived", contact: "+14155550042" }, "%never arrived%");
    expect(scansOfMessages(nodes)).not.toContain("Seq Scan");
    expect(nodes.map((node) => node["Index Name"])).toContain("messages_tenant_id_contact_number_created_at_id_idx");
  });

  it("find a number, a message id, a provider id or a tenant's messages through indexes that lead with the tenant", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ contact: "+14155550042" }, "messages_tenant_id_contact_number_created_at_id_idx"],
      [{ messageId: "00000000-0000-4000-8000-000000000001" }, "messages_pkey"],
      [{ providerMessageId: "rapiwa-123" }, "provider_message_refs_pkey"],
      [{ tenantId: someTenant, createdAfter: new Date(Date.now() - 3_600_000).toISOString() }, "messages_tenant_id_created_at_id_idx"],
      [{ contact: "+14155550042", direction: "OUTBOUND", statuses: ["FAILED", "UNKNOWN"] }, "messages_tenant_id_contact_number_created_at_id_idx"],
    ];
    for (const [filter, index] of cases) {
      const nodes = await planOf(filter);
      const scans = scansOfMessages(nodes);
      expect(scans.length, JSON.stringify(filter)).toBeGreaterThan(0);
      expect(scans, JSON.stringify(filter)).not.toContain("Seq Scan");
      expect(
        nodes.map((node) => node["Index Name"]),
        JSON.stringify(filter),
      ).toContain(index);
    }
  });
});
