import { cp, mkdtemp, rm, writeFile, appendFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, defaultMigrationsDir, readMigrationFiles } from "../../src/db/migrations.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

let database: TestDatabase;
let migrationsDir: string;

beforeAll(async () => {
  database = await createTestDatabase({ migrated: false });
  // A private copy of the migrations that these tests may edit.
  migrationsDir = await mkdtemp(path.join(tmpdir(), "switchboard-migrations-"));
  await cp(defaultMigrationsDir, migrationsDir, { recursive: true });
});
afterAll(async () => {
  await database?.drop();
  await rm(migrationsDir, { recursive: true, force: true });
});

async function recorded() {
  const { rows } = await database.ownerPool.query(
    `SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at FROM "_prisma_migrations" ORDER BY migration_name`,
  );
  return rows;
}

describe("migration runner", () => {
  it("applies every migration to an empty database and records each as Prisma Migrate does", async () => {
    const files = await readMigrationFiles(migrationsDir);
    const { applied } = await applyMigrations(database.ownerUrl, { migrationsDir });
    expect(applied).toEqual(files.map((file) => file.name));
    const rows = await recorded();
    expect(rows).toEqual(
      files.map((file) => ({
        migration_name: file.name,
        checksum: file.checksum,
        finished_at: expect.any(Date),
        applied_steps_count: 1,
        rolled_back_at: null,
      })),
    );
    expect(rows[0]!.checksum).toMatch(/^[0-9a-f]{64}$/);
    const tables = await database.ownerPool.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename = 'messages'");
    expect(tables.rows[0].n).toBe(1);
  });

  it("is idempotent: a second run applies nothing and changes no record", async () => {
    const before = await recorded();
    await expect(applyMigrations(database.ownerUrl, { migrationsDir })).resolves.toEqual({ applied: [] });
    expect(await recorded()).toEqual(before);
  });

  it("applies a new migration on top, and only that one", async () => {
    const name = "29990101000000_add_probe";
    await mkdir(path.join(migrationsDir, name));
    await writeFile(path.join(migrationsDir, name, "migration.sql"), "CREATE TABLE probe (id int);\n");
    await expect(applyMigrations(database.ownerUrl, { migrationsDir })).resolves.toEqual({ applied: [name] });
  });

  it("refuses to run when an applied migration's file was edited", async () => {
    const [first] = await readMigrationFiles(migrationsDir);
    await appendFile(path.join(migrationsDir, first!.name, "migration.sql"), "\n-- an innocent-looking edit\n");
    await expect(applyMigrations(database.ownerUrl, { migrationsDir })).rejects.toThrow(/was edited after it was applied/);
  });

  it("rolls back a failing migration whole and records nothing for it", async () => {
    const scratch = await createTestDatabase({ migrated: false });
    const dir = await mkdtemp(path.join(tmpdir(), "switchboard-migrations-bad-"));
    try {
      await mkdir(path.join(dir, "20000101000000_broken"));
      await writeFile(path.join(dir, "20000101000000_broken", "migration.sql"), "CREATE TABLE half (id int);\nSELECT no_such_function();\n");
      await expect(applyMigrations(scratch.ownerUrl, { migrationsDir: dir })).rejects.toThrow(/20000101000000_broken failed and was rolled back/);
      const client = new pg.Client({ connectionString: scratch.ownerUrl });
      await client.connect();
      const state = await client.query(`SELECT to_regclass('half') AS half, (SELECT count(*)::int FROM "_prisma_migrations") AS records`);
      await client.end();
      expect(state.rows[0]).toEqual({ half: null, records: 0 });
    } finally {
      await scratch.drop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("lets concurrent starters take turns instead of applying twice", async () => {
    const scratch = await createTestDatabase({ migrated: false });
    try {
      const results = await Promise.all([applyMigrations(scratch.ownerUrl), applyMigrations(scratch.ownerUrl), applyMigrations(scratch.ownerUrl)]);
      const files = await readMigrationFiles();
      expect(results.map((result) => result.applied.length).sort()).toEqual([0, 0, files.length]);
    } finally {
      await scratch.drop();
    }
  });
});
