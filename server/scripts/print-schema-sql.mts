import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../src/db/embedded-postgres.ts";
import { applyMigrations } from "../src/db/migrations.ts";
import { printDatabaseSchema, schemaSqlFile } from "../src/db/schema-sql.ts";
import { createLogger } from "../src/logger.ts";

// Writes prisma/schema.sql: migrates a new, throw-away database and prints it from the catalogs.
// On a throw-away embedded PostgreSQL, or on the cluster DATABASE_URL names (superuser; a database
// of its own is created there and dropped). The output is the same either way.
const logger = createLogger(process.env.LOG_LEVEL ?? "warn");
let clusterUrl = process.env.DATABASE_URL;
let stopCluster = async () => {};
if (!clusterUrl) {
  const dataDir = await mkdtemp(path.join(tmpdir(), "switchboard-schema-pg-"));
  const embedded = await startEmbeddedPostgres({ dataDir, logger, ephemeral: true });
  clusterUrl = embedded.url;
  stopCluster = async () => {
    await embedded.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
const urlFor = (database: string) => Object.assign(new URL(clusterUrl), { pathname: `/${database}` }).toString();
const database = `switchboard_schema_${randomBytes(4).toString("hex")}`;
const admin = new pg.Client({ connectionString: urlFor("postgres") });
await admin.connect();
try {
  await admin.query(`CREATE DATABASE ${database}`);
  try {
    await applyMigrations(urlFor(database));
    const client = new pg.Client({ connectionString: urlFor(database) });
    await client.connect();
    try {
      await writeFile(schemaSqlFile, await printDatabaseSchema(client));
    } finally {
      await client.end();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
} finally {
  await admin.end();
  await stopCluster();
}
console.log(`wrote ${schemaSqlFile}`);
