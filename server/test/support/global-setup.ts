import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { enableAppRoleLogin } from "../../src/db/app-role.ts";
import { startEmbeddedPostgres } from "../../src/db/embedded-postgres.ts";
import { applyMigrations } from "../../src/db/migrations.ts";
import { createLogger } from "../../src/logger.ts";
import { TEST_SECRET, databaseUrlFor } from "./database.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser URL of the cluster the tests run on (any database name; tests swap it). */
    clusterUrl: string;
    /** The migrated database each test file copies. */
    templateDatabase: string;
  }
}

/**
 * One PostgreSQL for the whole run: the embedded one unless DATABASE_URL names another. A migrated
 * template database is made once; each test file copies it (CREATE DATABASE ... TEMPLATE), which
 * is faster than migrating and keeps files from migrating the same database at once.
 */
export default async function setup(project: TestProject) {
  const logger = createLogger(process.env.LOG_LEVEL ?? "warn");
  let dataDir: string | undefined;
  let stopCluster = async () => {};
  let clusterUrl = process.env.DATABASE_URL;
  if (!clusterUrl) {
    dataDir = await mkdtemp(path.join(tmpdir(), "switchboard-test-pg-"));
    const embedded = await startEmbeddedPostgres({ dataDir, logger, ephemeral: true });
    clusterUrl = embedded.url;
    stopCluster = embedded.stop;
  }

  const admin = new pg.Client({ connectionString: databaseUrlFor(clusterUrl, "postgres") });
  await admin.connect();
  const version = (await admin.query<{ server_version: string }>("SHOW server_version")).rows[0]!.server_version;
  // Named per run, so two runs against one shared cluster do not trip over each other.
  const templateDatabase = `switchboard_template_${randomBytes(4).toString("hex")}`;
  await admin.query(`CREATE DATABASE ${templateDatabase}`);
  await admin.end();
  const templateUrl = databaseUrlFor(clusterUrl, templateDatabase);
  await applyMigrations(templateUrl);
  await enableAppRoleLogin(templateUrl, TEST_SECRET);

  project.provide("clusterUrl", clusterUrl);
  project.provide("templateDatabase", templateDatabase);
  console.log(`database suites run on PostgreSQL ${version}${dataDir ? " (embedded)" : ` at ${new URL(clusterUrl).host}`}`);

  return async () => {
    if (!dataDir) {
      const cleanup = new pg.Client({ connectionString: databaseUrlFor(clusterUrl, "postgres") });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${templateDatabase} WITH (FORCE)`);
      await cleanup.end();
    }
    await stopCluster();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}
