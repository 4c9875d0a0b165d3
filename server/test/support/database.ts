import { randomBytes } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { inject } from "vitest";
import { appRoleUrl } from "../../src/db/app-role.ts";
import { connectDatabase, type Database } from "../../src/db/database.ts";
import { PrismaClient } from "../../src/generated/prisma/client.ts";

export const TEST_SECRET = "test-secret-for-switchboard-suites-0123456789";

export function databaseUrlFor(clusterUrl: string, database: string): string {
  const url = new URL(clusterUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export type TestDatabase = {
  name: string;
  /** Superuser URL: sees through RLS, for seeding and checking what really is in the tables. */
  ownerUrl: string;
  /** URL of the restricted role the server uses. */
  appUrl: string;
  /** The server's own data access, connected as the restricted role. */
  db: Database;
  /** Prisma as the superuser, for fixtures. */
  owner: PrismaClient;
  ownerPool: pg.Pool;
  drop(): Promise<void>;
};

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrlFor(inject("clusterUrl"), "postgres") });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A database of its own for one test file, empty or copied from the migrated template. */
export async function createTestDatabase({ migrated = true }: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const name = `switchboard_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(migrated ? `CREATE DATABASE ${name} TEMPLATE ${inject("templateDatabase")}` : `CREATE DATABASE ${name}`);
  const ownerUrl = databaseUrlFor(inject("clusterUrl"), name);
  // The template's set-up gave the (cluster-wide) app role its login; copies need nothing more.
  const appUrl = appRoleUrl(ownerUrl, TEST_SECRET);
  const ownerPool = new pg.Pool({ connectionString: ownerUrl, max: 4 });
  // pool.end() does not wait for its clients' sockets to close, so DROP DATABASE ... WITH (FORCE) can
  // reach a client still closing; its FATAL 57P01 comes out as the pool's 'error', which must not crash the run.
  ownerPool.on("error", () => undefined);
  const owner = new PrismaClient({ adapter: new PrismaPg(ownerPool) });
  const db = connectDatabase(appUrl, { maxConnections: 8 });
  return {
    name,
    ownerUrl,
    appUrl,
    db,
    owner,
    ownerPool,
    async drop() {
      await owner.$disconnect();
      await ownerPool.end().catch(() => undefined);
      await db.close().catch(() => undefined);
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
