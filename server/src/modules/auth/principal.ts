import type { ApiKeyScope, MembershipRole } from "../../generated/prisma/enums.ts";
import type { AppError } from "../../errors.ts";

/** A dashboard user, through a session, acting in one of their tenants (if they have any). */
export type UserPrincipal = {
  kind: "user";
  userId: string;
  sessionId: string;
  tenantId: string | null;
  role: MembershipRole | null;
  tenantActive: boolean;
};

/** An integrator's API key: always one tenant, with the scopes the key was given. */
export type ApiKeyPrincipal = {
  kind: "apiKey";
  apiKeyId: string;
  tenantId: string;
  scopes: ApiKeyScope[];
  tenantActive: boolean;
};

export type Principal = UserPrincipal | ApiKeyPrincipal;

/** Who is calling; `failure` says why credentials that were sent did not count. */
export type Authentication = { principal: Principal | null; failure?: AppError };

/** How an action is attributed in the audit log. */
export const actorOf = (principal: Principal) =>
  principal.kind === "user" ? `user:${principal.userId}` : `api_key:${principal.apiKeyId}`;
