import type { AddressInfo } from "node:net";
import { loadConfig } from "../src/config.ts";
import { assertRestrictedRole, enableAppRoleLogin } from "../src/db/app-role.ts";
import { connectDatabase } from "../src/db/database.ts";
import { buildGraphQLSchema } from "../src/graphql/schema.ts";
import { createApp } from "../src/http/app.ts";
import { createLogger } from "../src/logger.ts";
import { createServices } from "../src/services.ts";

/**
 * The server under load, started by run.mts as a process of its own so it does not share an event
 * loop (and, on a small machine, a core) with autocannon. Wired like src/main.ts in production
 * mode, on the already migrated database in BENCH_DATABASE_URL (owner role). Prints
 * `{"url": ...}` on stdout once listening; stops on SIGTERM/SIGINT or when stdin closes (the
 * bench died without stopping it).
 */
const ownerUrl = process.env.BENCH_DATABASE_URL;
if (!ownerUrl) throw new Error("BENCH_DATABASE_URL is not set; run the bench with `npm run bench`");

// Fixed: the app role's password is derived from it, and nothing here outlives the run.
const BENCH_SECRET = "switchboard-bench-secret-not-for-production-0123456789";

const config = {
  ...loadConfig({ NODE_ENV: "production", DATABASE_URL: ownerUrl, SWITCHBOARD_SECRET: BENCH_SECRET, LOG_LEVEL: "silent" }),
  port: 0,
  host: "127.0.0.1",
  webDistDir: "/nonexistent/switchboard-bench-web",
};
const logger = createLogger(config.logLevel);

const appUrl = await enableAppRoleLogin(ownerUrl, config.secret);
const db = connectDatabase(appUrl, { maxConnections: 20 });
await assertRestrictedRole(db.pool);
const schema = await buildGraphQLSchema();
const services = createServices(config, db, logger);
const app = await createApp({ config, db, logger, schema, services });
await app.listen({ port: config.port, host: config.host });
// The background workers (message dispatcher) run as in production: their polling is part of the cost.
services.start();
process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` })}\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  try {
    await app.close();
    await services.stop();
    await db.close();
    process.exit(0);
  } catch (error) {
    console.error("bench server: unclean shutdown", error);
    process.exit(1);
  }
}
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
process.stdin.on("end", () => void stop());
process.stdin.resume();
