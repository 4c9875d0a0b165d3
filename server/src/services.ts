import type { Config } from "./config.ts";
import type { Database } from "./db/database.ts";
import type { Logger } from "./logger.ts";
import { createDispatcher } from "./modules/messages/dispatcher.ts";
import { createProviders } from "./providers/providers.ts";
import { createSandboxReceipts } from "./providers/sandbox/sandbox-receipts.ts";
import { deriveServerKeys } from "./security/secrets.ts";

/** The long-lived parts the HTTP layer and the workers share, wired once per process. */
export function createServices(config: Config, db: Database, logger: Logger) {
  const keys = deriveServerKeys(config.secret);
  const providers = createProviders({
    rapiwaBaseUrl: config.rapiwaBaseUrl,
    timeoutMs: config.dispatch.providerTimeoutMs,
    sandboxEnabled: config.sandboxEnabled,
  });
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
    keys,
    providers,
    dispatcher,
    whatsapp: { db, providers, keys, publicUrl: config.publicUrl },
    /** Starts the background workers (unless DISPATCH_ENABLED=false). */
    start() {
      if (config.dispatch.enabled) dispatcher.start();
    },
    async stop() {
      await dispatcher.stop();
      sandboxReceipts.stop();
    },
  };
}

export type Services = ReturnType<typeof createServices>;
