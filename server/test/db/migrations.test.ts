import { cp, mkdtemp, rm, writeFile, appendFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { applyMigrations, defaultMigrationsDir, readMigrationFiles } from "../../src/db/migrations.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

// Each test gets its own empty database and its own copy of the migrations (which it may edit),
// removed after it even when it failed, so any test runs alone and in any order.
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function emptyDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase({ migrated: false });
  cleanups.push(() => database.drop());
  return database;
}

/** A private copy of the migrations that a test may edit. */
async function migrationsCopy(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "switchboard-migrations-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await cp(defaultMigrationsDir, dir, { recursive: true });
  return dir;
}

/** An empty database and a migrations copy, with every migration applied (set-up; checked). */
async function migratedCopy(): Promise<{ database: TestDatabase; migrationsDir: string }> {
  const database = await emptyDatabase();
  const migrationsDir = await migrationsCopy();
  const { applied } = await applyMigrations(database.ownerUrl, { migrationsDir });
  if (applied.length === 0) throw new Error("set-up applied no migration");
  return { database, migrationsDir };
}

async function recorded(database: TestDatabase) {
  const { rows } = await database.ownerPool.query(
    `SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at FROM "_prisma_migrations" ORDER BY migration_name`,
  );
  return rows;
}

describe("migration runner", () => {
  it("applies every migration to an empty database and records each as Prisma Migrate does", async () => {
    const database = await emptyDatabase();
    const migrationsDir = await migrationsCopy();
    const files = await readMigrationFiles(migrationsDir);
    const { applied } = await applyMigrations(database.ownerUrl, { migrationsDir });
    expect(applied).toEqual(files.map((file) => file.name));
    const rows = await recorded(database);
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
    const { database, migrationsDir } = await migratedCopy();
    const before = await recorded(database);
    await expect(applyMigrations(database.ownerUrl, { migrationsDir })).resolves.toEqual({ applied: [] });
    expect(await recorded(database)).toEqual(before);
  });

  it("applies a new migration on top, and only that one", async () => {
    const { database, migrationsDir } = await migratedCopy();
    const name = "29990101000000_add_probe";
    await mkdir(path.join(migrationsDir, name));
    await writeFile(path.join(migrationsDir, name, "migration.sql"), "CREATE TABLE probe (id int);\n");
    await expect(applyMigrations(database.ownerUrl, { migrationsDir })).resolves.toEqual({ applied: [name] });
    const probe = await database.ownerPool.query("SELECT to_regclass('probe') IS NOT NULL AS present");
    expect(probe.rows[0].present).toBe(true);
    expect((await recorded(database)).at(-1)).toMatchObject({ migration_name: name, rolled_back_at: null });
  });

  it("refuses to run when an applied migration's file was edited", async () => {
    const { database, migrationsDir } = await migratedCopy();
    const [first] = await readMigrationFiles(migrationsDir);
    await appendFile(path.join(migrationsDir, first!.name, "migration.sql"), "\n-- an innocent-looking edit\n");
    await expect(applyMigrations(database.ownerUrl, { migrationsDir })).rejects.toThrow(/was edited after it was applied/);
  });

  it("rolls back a failing migration whole and records nothing for it", async () => {
    const scratch = await emptyDatabase();
    const dir = await mkdtemp(path.join(tmpdir(), "switchboard-migrations-bad-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await mkdir(path.join(dir, "20000101000000_broken"));
    await writeFile(path.join(dir, "20000101000000_broken", "migration.sql"), "CREATE TABLE half (id int);\nSELECT no_such_function();\n");
    await expect(applyMigrations(scratch.ownerUrl, { migrationsDir: dir })).rejects.toThrow(/20000101000000_broken failed and was rolled back/);
    const client = new pg.Client({ connectionString: scratch.ownerUrl });
    await client.connect();
    const state = await client.query(`SELECT to_regclass('half') AS half, (SELECT count(*)::int FROM "_prisma_migrations") AS records`);
    await client.end();
    expect(state.rows[0]).toEqual({ half: null, records: 0 });
  });

  it("lets concurrent starters take turns instead of applying twice", async () => {
    const scratch = await emptyDatabase();
    const results = await Promise.all([applyMigrations(scratch.ownerUrl), applyMigrations(scratch.ownerUrl), applyMigrations(scratch.ownerUrl)]);
    const files = await readMigrationFiles();
    expect(results.map((result) => result.applied.length).sort()).toEqual([0, 0, files.length]);
  });
});
