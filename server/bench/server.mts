import type { AddressInfo } from "node:net";
import { loadConfig } from "../src/config.ts";
import { assertRestrictedRole, enableAppRoleLogin } from "../src/db/app-role.ts";
import { connectDatabase } from "../src/db/database.ts";
import { buildGraphQLSchema } from "../src/graphql/schema.ts";
import { createApp } from "../src/http/app.ts";
import { createLogger } from "../src/logger.ts";
import { createServices } from "../src/services.ts";
import { BENCH_SECRET } from "./bench-secret.ts";

/**
 * The server under load, started by run.mts as a process of its own so it does not share an event
 * loop (and, on a small machine, a core) with autocannon. Wired like src/main.ts in production
 * mode, on the already migrated database in BENCH_DATABASE_URL (owner role). The provider and
 * dispatcher settings come from this process's environment (run.mts points RAPIWA_BASE_URL at its
 * fake Rapiwa; DISPATCH_CONCURRENCY and PROVIDER_TIMEOUT_MS pass through from the shell). Prints
 * `{"url": ..., "dispatch": ...}` on stdout once listening; stops on SIGTERM/SIGINT or when stdin
 * closes (the bench died without stopping it).
 */
const ownerUrl = process.env.BENCH_DATABASE_URL;
if (!ownerUrl) throw new Error("BENCH_DATABASE_URL is not set; run the bench with `npm run bench`");

const passThrough = ["RAPIWA_BASE_URL", "DISPATCH_CONCURRENCY", "PROVIDER_TIMEOUT_MS", "DISPATCH_ENABLED"] as const;
const config = {
  ...loadConfig({
    NODE_ENV: "production",
    DATABASE_URL: ownerUrl,
    SWITCHBOARD_SECRET: BENCH_SECRET,
    LOG_LEVEL: "silent",
    ...Object.fromEntries(passThrough.filter((name) => process.env[name]).map((name) => [name, process.env[name]])),
  }),
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
const { concurrency, providerTimeoutMs } = config.dispatch;
const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
process.stdout.write(`${JSON.stringify({ url, dispatch: { concurrency, providerTimeoutMs }, rapiwaBaseUrl: config.rapiwaBaseUrl })}\n`);

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
