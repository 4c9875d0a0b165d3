import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { printDatabaseSchema, schemaSqlFile } from "../../src/db/schema-sql.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

// prisma/schema.sql lets a reader find the current body of every SQL function, policy and grant in
// one file. The printer reads the catalogs, so the file is the same on PostgreSQL 15 and 18.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

async function printed(): Promise<string> {
  const client = await database.ownerPool.connect();
  try {
    return await printDatabaseSchema(client);
  } finally {
    client.release();
  }
}

describe("prisma/schema.sql", () => {
  it("is the printed schema of the migrated database (run `npm run schema:sql -w server` when this fails)", async () => {
    expect(await printed()).toBe(await readFile(schemaSqlFile, "utf8"));
  });

  it("goes stale when a migration changes a function's body, and then shows the new body", async () => {
    await database.ownerPool.query(`
      CREATE OR REPLACE FUNCTION jobs_expired_leases(p_limit integer) RETURNS TABLE (queue text, tenant_id uuid, id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
      AS $$ SELECT NULL::text, NULL::uuid, NULL::uuid WHERE false /* a changed body */ $$`);
    const after = await printed();
    expect(after).not.toBe(await readFile(schemaSqlFile, "utf8"));
    expect(after).toContain("SELECT NULL::text, NULL::uuid, NULL::uuid WHERE false /* a changed body */");
    // Ownership and grants are kept by CREATE OR REPLACE, and still printed with it.
    expect(after).toContain("ALTER FUNCTION jobs_expired_leases(integer) OWNER TO switchboard_dispatch;");
    expect(after).toContain("GRANT EXECUTE ON FUNCTION jobs_expired_leases(integer) TO switchboard_app;");
  });
});
