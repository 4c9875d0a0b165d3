import cluster from "node:cluster";
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
 * fake Rapiwa; DISPATCH_CONCURRENCY, PROVIDER_TIMEOUT_MS and DATABASE_POOL_SIZE pass through from the shell).
 *
 * BENCH_API_PROCESSES=N runs the shape for more than one core: N API processes with
 * DISPATCH_ENABLED=false (node:cluster workers sharing one port) and this process as the one
 * dispatcher, serving no HTTP. Unset, one process serves the API and dispatches.
 *
 * Prints `{"url": ..., "dispatch": ..., "apiProcesses": ...}` on stdout once listening; stops on
 * SIGTERM/SIGINT or when stdin closes (the bench died without stopping it).
 */
const ownerUrl = process.env.BENCH_DATABASE_URL;
if (!ownerUrl) throw new Error("BENCH_DATABASE_URL is not set; run the bench with `npm run bench`");
const apiProcesses = Number(process.env.BENCH_API_PROCESSES ?? "0");
if (!Number.isInteger(apiProcesses) || apiProcesses < 0)
  throw new Error(`BENCH_API_PROCESSES must be a whole number, got "${process.env.BENCH_API_PROCESSES}"`);
const dispatcherOnly = apiProcesses > 0 && cluster.isPrimary;

const passThrough = [
  "RAPIWA_BASE_URL",
  "DISPATCH_CONCURRENCY",
  "PROVIDER_TIMEOUT_MS",
  "DISPATCH_ENABLED",
  "DATABASE_POOL_SIZE",
  "WEBHOOK_CONCURRENCY",
] as const;
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
// The bench's webhook receiver listens on loopback, which production refuses to deliver to (and its
// config refuses WEBHOOK_ALLOW_PRIVATE_URLS): lifted here only, after loadConfig. The address is still
// resolved and checked on every delivery (metadata addresses stay refused), so the check's cost is measured.
config.webhooks = { ...config.webhooks, allowPrivateUrls: true };
const logger = createLogger(config.logLevel);

const appUrl = cluster.isPrimary ? await enableAppRoleLogin(ownerUrl, config.secret) : (process.env.BENCH_APP_URL ?? "");
const db = connectDatabase(appUrl, { maxConnections: config.databasePoolSize });
await assertRestrictedRole(db.pool);
// As src/main.ts: the dispatcher on a thread of its own; in the dispatcher-only process, on its event loop.
const services = createServices(config, db, logger, dispatcherOnly || cluster.isWorker ? { engineIn: "in-process" } : { engineIn: "thread", appUrl });
let app: Awaited<ReturnType<typeof createApp>> | undefined;
let url: string;
const workerPids: number[] = [];

if (dispatcherOnly) {
  // Workers listening on port 0 share the one port the primary picked (node:cluster).
  const ready: Promise<string>[] = [];
  for (let index = 0; index < apiProcesses; index++) {
    const worker = cluster.fork({ DISPATCH_ENABLED: "false", BENCH_APP_URL: appUrl });
    workerPids.push(worker.process.pid!);
    ready.push(
      new Promise((resolve, reject) => {
        worker.once("message", (message: { url: string }) => resolve(message.url));
        worker.once("exit", (code, signal) => reject(new Error(`API process ${index + 1} exited (${signal ?? `code ${code}`}) before listening`)));
      }),
    );
  }
  url = (await Promise.all(ready))[0]!;
  cluster.on("exit", (worker, code, signal) => {
    if (!stopping) {
      console.error(`bench server: API process ${worker.process.pid} exited (${signal ?? `code ${code}`})`);
      void stop(1);
    }
  });
} else {
  const schema = await buildGraphQLSchema();
  app = await createApp({ config, db, logger, schema, services });
  await app.listen({ port: config.port, host: config.host });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}
// The background workers (message dispatcher) run as in production: their polling is part of the cost.
services.start();
const { concurrency, providerTimeoutMs } = config.dispatch;
if (cluster.isPrimary) {
  const poolSize = config.databasePoolSize;
  process.stdout.write(
    `${JSON.stringify({ url, dispatch: { concurrency, providerTimeoutMs }, rapiwaBaseUrl: config.rapiwaBaseUrl, apiProcesses, workerPids, poolSize, webhookConcurrency: config.webhooks.concurrency })}\n`,
  );
} else {
  process.send?.({ url });
}

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  try {
    if (dispatcherOnly) {
      const exited = Object.values(cluster.workers ?? {}).map(
        (worker) => new Promise((resolve) => (worker!.isDead() ? resolve(undefined) : worker!.once("exit", resolve))),
      );
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
      await Promise.all(exited);
    }
    await app?.close();
    await services.stop();
    await db.close();
    process.exit(code);
  } catch (error) {
    console.error("bench server: unclean shutdown", error);
    process.exit(1);
  }
}
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
if (cluster.isPrimary) {
  process.stdin.on("end", () => void stop());
  process.stdin.resume();
} else {
  // The primary is gone (killed without stopping its workers).
  process.on("disconnect", () => void stop());
}
