import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";
import { assertRestrictedRole, enableAppRoleLogin } from "./app-role.ts";
import { connectDatabase, type Database } from "./database.ts";
import { startEmbeddedPostgres } from "./embedded-postgres.ts";
import { applyMigrations } from "./migrations.ts";

export type RunningDatabase = {
  db: Database;
  /** The restricted app role's URL (for the dispatcher thread's own pools). */
  appUrl: string;
  close(): Promise<void>;
};

/**
 * Everything between configuration and a usable database: the embedded PostgreSQL when no
 * DATABASE_URL is given, pending migrations (as the owner), then a pool as the restricted app role.
 */
export async function openDatabase(config: Config, logger: Logger): Promise<RunningDatabase> {
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres({ dataDir: config.dataDir, logger });
  try {
    const ownerUrl = config.databaseUrl ?? embedded!.url;
    const { applied } = await applyMigrations(ownerUrl, { logger });
    logger.info({ applied: applied.length }, applied.length ? "migrations applied" : "database schema up to date");

    const appUrl = config.databaseAppUrl ?? (await enableAppRoleLogin(ownerUrl, config.secret));
    const db = connectDatabase(appUrl, { maxConnections: config.databasePoolSize, support: config.support });
    await assertRestrictedRole(db.pool).catch(async (error) => {
      await db.close();
      throw error;
    });
    return {
      db,
      appUrl,
      async close() {
        await db.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}
