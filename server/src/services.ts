import type { Config } from "./config.ts";
import type { Database } from "./db/database.ts";
import { systemClock } from "./jobs/clock.ts";
import { createWorkEngine, type JobKey } from "./jobs/engine.ts";
import { startPeriodicTasks, type PeriodicTasks } from "./jobs/periodic.ts";
import { startEngineThread, type EngineThread } from "./jobs/engine-thread.ts";
import { createRemoteWakeUps, listenForWakeUps } from "./jobs/wake-ups.ts";
import type { Logger } from "./logger.ts";
import { idempotencyKeyRetention } from "./modules/sending/idempotency-retention.ts";
import { statementClosing } from "./modules/usage/statements.ts";
import { createSendConsumer } from "./modules/sending/send-consumer.ts";
import { createDeliveryConsumer } from "./modules/webhooks/delivery-consumer.ts";
import { webhookPayloadRetention } from "./modules/webhooks/retention.ts";
import { postWebhook } from "./webhooks/guarded-http.ts";
import { createOutbox } from "./modules/sending/send-message.ts";
import { createInbox } from "./modules/messages/inbox.ts";
import { createProviders } from "./providers/providers.ts";
import { createSandboxReceipts } from "./providers/sandbox/sandbox-receipts.ts";
import { deriveServerKeys } from "./security/secrets.ts";

function providersFor(config: Config) {
  return createProviders({ rapiwaBaseUrl: config.rapiwaBaseUrl, timeoutMs: config.dispatch.providerTimeoutMs, sandboxEnabled: config.sandboxEnabled });
}

/**
 * The background work: the work engine with its consumers (sending messages), and the sandbox's
 * delivery receipts after its sends. The provider clients and keys are the process's own, or made
 * here on the engine's thread.
 */
export function createBackgroundWork(
  config: Config,
  db: Database,
  logger: Logger,
  { providers, keys } = { providers: providersFor(config), keys: deriveServerKeys(config.secret) },
) {
  const sandboxReceipts = createSandboxReceipts({ db, logger });
  const sending = createSendConsumer({
    db,
    providers,
    keys,
    logger,
    retryBaseMs: config.dispatch.retryBaseMs,
    maxAttempts: config.dispatch.maxAttempts,
    onSent: ({ tenantId, messageId, provider }) => {
      if (provider === "SANDBOX") sandboxReceipts.messageSent(tenantId, messageId);
    },
  });
  const engine = createWorkEngine({
    directory: db.jobs,
    consumers: [sending],
    clock: systemClock,
    logger: logger.child({ component: "work-engine", queue: "send_message" }),
    concurrency: config.dispatch.concurrency,
    leaseMs: config.dispatch.leaseMs,
    pollMs: config.dispatch.pollMs,
  });
  // Webhook deliveries on an engine of their own, with their own slots: slow receivers never hold up sends.
  const delivering = createDeliveryConsumer({
    db,
    keys,
    logger,
    retryScheduleSeconds: config.webhooks.retryScheduleSeconds,
    allowPrivateUrls: config.webhooks.allowPrivateUrls,
    post: postWebhook,
    timeoutMs: config.webhooks.timeoutMs,
  });
  const webhookEngine = createWorkEngine({
    directory: db.jobs,
    consumers: [delivering],
    clock: systemClock,
    logger: logger.child({ component: "work-engine", queue: "deliver_webhook" }),
    concurrency: config.webhooks.concurrency,
    // Well past the time a receiver gets, with room for recording: a delivery whose worker died is due again after it.
    leaseMs: config.webhooks.timeoutMs * 4,
    pollMs: config.dispatch.pollMs,
  });
  const notify = (key?: JobKey) => {
    engine.notify(key);
    webhookEngine.notify(key);
  };
  let wakeUps: ReturnType<typeof listenForWakeUps> | undefined;
  let housekeeping: PeriodicTasks | undefined;
  return {
    engine,
    webhookEngine,
    /** The hourly clean-up (webhook payloads, idempotency keys), while started. */
    get housekeeping() {
      return housekeeping;
    },
    /** New work for `key` (each engine takes its own queue's keys). */
    notify,
    start() {
      engine.start();
      webhookEngine.start();
      // Work accepted by other processes (API processes that do not dispatch).
      wakeUps ??= listenForWakeUps(db, notify);
      housekeeping ??= startPeriodicTasks({
        tasks: [webhookPayloadRetention(db), idempotencyKeyRetention(db, config.idempotencyKeyRetentionHours), statementClosing(db)],
        logger: logger.child({ component: "housekeeping" }),
      });
    },
    async stop() {
      await wakeUps?.close();
      wakeUps = undefined;
      await housekeeping?.stop();
      housekeeping = undefined;
      await Promise.all([engine.stop(), webhookEngine.stop()]);
      sandboxReceipts.stop();
    },
  };
}

/**
 * Where the work engine runs: "thread" (the server: a worker thread of its own, see
 * engine-thread.ts; needs the app role's URL to connect) or "in-process" (tests drive it directly).
 */
export type EnginePlacement = { engineIn: "in-process" } | { engineIn: "thread"; appUrl: string };

/** The long-lived parts the HTTP layer and the workers share, wired once per process. */
export function createServices(config: Config, db: Database, logger: Logger, placement: EnginePlacement = { engineIn: "in-process" }) {
  const keys = deriveServerKeys(config.secret);
  const providers = providersFor(config);
  const local = placement.engineIn === "in-process" ? createBackgroundWork(config, db, logger, { providers, keys }) : undefined;
  let thread: EngineThread | undefined;
  // Work accepted here goes to this process's engine; with dispatching off here, to other processes'.
  const remote = config.dispatch.enabled ? undefined : createRemoteWakeUps(db.pool, logger);
  const wake = (key: JobKey) => (remote ? remote(key) : local ? local.notify(key) : thread?.notify(key));
  return {
    keys,
    providers,
    /** The in-process work engines (sends, webhook deliveries); undefined when they run on their thread. */
    engine: local?.engine,
    webhookEngine: local?.webhookEngine,
    /** The hourly clean-up of the in-process background work (`run("idempotency-keys")`), once started. */
    get housekeeping() {
      return local?.housekeeping;
    },
    /** Accepts messages (batched) and wakes the engine for them. */
    outbox: createOutbox(db.pool, wake),
    /** Stores what providers call back with (batched per connection). */
    inbox: createInbox(db.pool, wake),
    whatsapp: { db, providers, keys, publicUrl: config.publicUrl },
    /** Starts the background work (unless DISPATCH_ENABLED=false). */
    start() {
      if (!config.dispatch.enabled) return;
      if (local) local.start();
      else if (placement.engineIn === "thread" && !thread) thread = startEngineThread({ config, appUrl: placement.appUrl, logger });
    },
    async stop() {
      await local?.stop();
      await thread?.stop();
    },
  };
}

export type Services = ReturnType<typeof createServices>;
