import type { DatabaseOutage } from "../db/availability.ts";
import type { Database } from "../db/database.ts";
import { forbidden, unauthenticated } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { RateLimits } from "../modules/auth/rate-limits.ts";
import type { ApiKeyPrincipal, Authentication, Principal, UserPrincipal } from "../modules/auth/principal.ts";
import type { ServerKeys } from "../security/secrets.ts";
import type { WhatsAppDependencies } from "../modules/whatsapp/whatsapp.service.ts";
import type { Outbox } from "../modules/messages/send-message.ts";

/** Everything a resolver may use; built once per request. */
export type GraphQLContext = {
  db: Database;
  keys: ServerKeys;
  limits: RateLimits;
  whatsapp: WhatsAppDependencies;
  /** Drops a revoked API key from this process's cache. */
  forgetApiKey(prefix: string): void;
  /** Wakes the dispatcher after a message was queued. */
  outbox: Outbox;
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

export function principalOf(context: Pick<GraphQLContext, "auth">): Principal {
  const { principal, failure } = context.auth;
  if (!principal) throw failure ?? unauthenticated();
  return principal;
}

export type TenantPrincipal = (UserPrincipal & { tenantId: string }) | ApiKeyPrincipal;

/** The caller and the tenant it acts for; FORBIDDEN for a user who belongs to no (such) tenant. */
export function tenantPrincipalOf(context: Pick<GraphQLContext, "auth">): TenantPrincipal {
  const principal = principalOf(context);
  if (!principal.tenantId) throw forbidden("You are not a member of this tenant (check the X-Tenant-Id header).");
  return principal as TenantPrincipal;
}

export function userPrincipalOf(context: Pick<GraphQLContext, "auth">): UserPrincipal {
  const principal = principalOf(context);
  if (principal.kind !== "user") throw forbidden("API keys act for a tenant, not a person: log in to the dashboard for this.");
  return principal;
}
