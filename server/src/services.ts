import type { Config } from "./config.ts";
import type { Database } from "./db/database.ts";
import type { Logger } from "./logger.ts";
import { startDispatchThread, type DispatchThread } from "./modules/messages/dispatch-thread.ts";
import { createDispatcher } from "./modules/messages/dispatcher.ts";
import { createProviders } from "./providers/providers.ts";
import { createSandboxReceipts } from "./providers/sandbox/sandbox-receipts.ts";
import { deriveServerKeys } from "./security/secrets.ts";

function providersFor(config: Config) {
  return createProviders({ rapiwaBaseUrl: config.rapiwaBaseUrl, timeoutMs: config.dispatch.providerTimeoutMs, sandboxEnabled: config.sandboxEnabled });
}

/**
 * The background sending: the dispatcher and the sandbox's delivery receipts after its sends. The
 * provider clients and keys are the process's own, or made here on the dispatcher's thread.
 */
export function createDispatchWork(
  config: Config,
  db: Database,
  logger: Logger,
  { providers, keys } = { providers: providersFor(config), keys: deriveServerKeys(config.secret) },
) {
  const sandboxReceipts = createSandboxReceipts({ db, logger });
  const dispatcher = createDispatcher({
    db,
    providers,
    keys,
    logger,
    ...config.dispatch,
    onSent: ({ tenantId, messageId, provider }) => {
      if (provider === "SANDBOX") sandboxReceipts.messageSent(tenantId, messageId);
    },
  });
  return {
    dispatcher,
    start: () => dispatcher.start(),
    async stop() {
      await dispatcher.stop();
      sandboxReceipts.stop();
    },
  };
}

/**
 * Where the dispatcher runs: "thread" (the server: a worker thread of its own, see
 * dispatch-thread.ts; needs the app role's URL to connect) or "in-process" (tests drive it directly).
 */
export type DispatchPlacement = { dispatchIn: "in-process" } | { dispatchIn: "thread"; appUrl: string };

/** The long-lived parts the HTTP layer and the workers share, wired once per process. */
export function createServices(config: Config, db: Database, logger: Logger, placement: DispatchPlacement = { dispatchIn: "in-process" }) {
  const keys = deriveServerKeys(config.secret);
  const providers = providersFor(config);
  const local = placement.dispatchIn === "in-process" ? createDispatchWork(config, db, logger, { providers, keys }) : undefined;
  let thread: DispatchThread | undefined;
  return {
    keys,
    providers,
    /** The in-process dispatcher; undefined when it runs on its thread. */
    dispatcher: local?.dispatcher,
    /** Told when a message was queued, so the dispatcher looks at once. */
    outbox: { notify: () => (local ? local.dispatcher.notify() : thread?.notify()) },
    whatsapp: { db, providers, keys, publicUrl: config.publicUrl },
    /** Starts the background workers (unless DISPATCH_ENABLED=false). */
    start() {
      if (!config.dispatch.enabled) return;
      if (local) local.start();
      else if (placement.dispatchIn === "thread" && !thread) thread = startDispatchThread({ config, appUrl: placement.appUrl, logger });
    },
    async stop() {
      await local?.stop();
      await thread?.stop();
    },
  };
}

export type Services = ReturnType<typeof createServices>;
