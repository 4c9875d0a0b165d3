import type { DatabaseOutage } from "../db/availability.ts";
import type { Database } from "../db/database.ts";
import type { Logger } from "../logger.ts";
import type { RateLimits } from "../modules/auth/rate-limits.ts";
import type { Authentication } from "../modules/auth/principal.ts";
import type { ServerKeys } from "../security/secrets.ts";
import type { WhatsAppDependencies } from "../modules/whatsapp/whatsapp.service.ts";
import type { Outbox } from "../modules/sending/send-message.ts";
import type { LiveFeeds } from "../modules/live/live-feed.ts";
import type { WebhookDependencies } from "../modules/webhooks/webhooks.service.ts";

/** Everything a resolver may use; built once per request. */
export type GraphQLContext = {
  db: Database;
  keys: ServerKeys;
  limits: RateLimits;
  whatsapp: WhatsAppDependencies;
  webhooks: WebhookDependencies;
  /** Drops a revoked API key from this process's cache. */
  forgetApiKey(prefix: string): void;
  /** Wakes the dispatcher after a message was queued. */
  outbox: Outbox;
  /** This process's live message feeds (subscriptions). */
  live: LiveFeeds;
  logger: Logger;
  requestId: string;
  /** Epoch ms at which the request started. */
  startedAt: number;
  /** Where a request the database could not serve is counted (see db/availability.ts). */
  outage: DatabaseOutage;
  auth: Authentication;
  http: {
    clientIp: string;
    /** Production sends the cookie with `Secure`. */
    setSessionCookie(token: string, expiresAt: Date): void;
    clearSessionCookie(): void;
  };
};
