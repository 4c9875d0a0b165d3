import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEY_PREFIX_LENGTH, newApiKeySecret } from "../../src/modules/api-keys/api-key-secret.ts";
import { deriveServerKeys, keyedHash } from "../../src/security/secrets.ts";
import { createApiKey, signUp, startTestApi, type TestApi } from "../support/api.ts";
import { TEST_SECRET } from "../support/database.ts";

/**
 * The schema stays distributable by tenant (Citus: every unique constraint must contain the
 * distribution column): every primary key and unique index of a table holding tenant data leads with
 * tenant_id. `tenants` itself is keyed by its id, the tenant id. Tables without tenant data (users,
 * sessions, staff, rate limits, migrations) would be reference or local tables.
 */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

describe("distribution by tenant", () => {
  it("every primary key and unique index of a table with a tenant_id column leads with tenant_id", async () => {
    const { rows } = await api.database.ownerPool.query<{ table: string; index: string; first_column: string }>(
      `SELECT t.relname AS table, i.relname AS index, a.attname AS first_column
         FROM pg_index x
         JOIN pg_class t ON t.oid = x.indrelid
         JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0]
        WHERE (x.indisunique OR x.indisprimary)
          AND EXISTS (SELECT 1 FROM pg_attribute c WHERE c.attrelid = t.oid AND c.attname = 'tenant_id' AND NOT c.attisdropped)
        ORDER BY 1, 2`,
    );
    // The check must have something to check: the tenant tables' primary keys at least.
    expect(rows.map((row) => row.index)).toEqual(expect.arrayContaining(["messages_pkey", "api_keys_pkey", "monthly_statements_pkey"]));
    expect(rows.filter((row) => row.first_column !== "tenant_id").map((row) => `${row.table}.${row.index} leads with ${row.first_column}`)).toEqual([]);

    const tenants = await api.database.ownerPool.query<{ index: string; columns: string }>(
      `SELECT i.relname AS index, pg_get_indexdef(x.indexrelid) AS columns FROM pg_index x
         JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = 'tenants'::regclass AND x.indisprimary`,
    );
    expect(tenants.rows[0]!.columns).toMatch(/\(id\)$/);
  });

  it("two tenants' API keys that share a prefix (unique per tenant only) both authenticate, each for its own tenant", async () => {
    const first = await signUp(api, "prefix-first");
    const second = await signUp(api, "prefix-second");
    const existing = await createApiKey(api, first, ["MESSAGES_READ"]);
    // A key for the second tenant whose first characters are the same as the first tenant's key.
    const prefix = existing.secret.slice(0, API_KEY_PREFIX_LENGTH);
    const twin = prefix + newApiKeySecret().secret.slice(API_KEY_PREFIX_LENGTH);
    await api.database.ownerPool.query(
      `INSERT INTO api_keys (tenant_id, id, name, prefix, secret_hash, scopes) VALUES ($1, gen_random_uuid(), 'twin', $2, $3, '{MESSAGES_READ}')`,
      [second.tenantId, prefix, keyedHash(deriveServerKeys(TEST_SECRET).apiKeyHashKey, twin)],
    );

    for (const [secret, account] of [
      [existing.secret, first],
      [twin, second],
      [existing.secret, first],
    ] as const) {
      const result = await api.graphql<{ tenant: { id: string } }>("{ tenant { id } }", {}, { token: secret });
      expect(result.errors).toBeUndefined();
      expect(result.data!.tenant.id).toBe(account.tenantId);
    }
    const forged = prefix + newApiKeySecret().secret.slice(API_KEY_PREFIX_LENGTH);
    expect((await api.graphql("{ tenant { id } }", {}, { token: forged })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
