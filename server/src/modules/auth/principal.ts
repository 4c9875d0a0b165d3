import type { ApiKeyScope, MembershipRole, PlatformRole } from "../../generated/prisma/enums.ts";
import { forbidden, unauthenticated, type AppError } from "../../errors.ts";

/** A dashboard user, through a session, acting in one of their tenants (if they have any). */
export type UserPrincipal = {
  kind: "user";
  userId: string;
  sessionId: string;
  tenantId: string | null;
  role: MembershipRole | null;
  tenantActive: boolean;
  /**
   * Switchboard staff (SUPPORT, SUPERADMIN), else null. Staff act in no tenant (tenantId and role are
   * null even for a staff member who also belongs to one): they read tenants' data only through the
   * audited support functions.
   */
  platformRole: PlatformRole | null;
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

/** A caller acting for a tenant: a user with a tenant picked (X-Tenant-Id), or an API key. */
export type TenantPrincipal = (UserPrincipal & { tenantId: string }) | ApiKeyPrincipal;

/** Who is calling; `failure` says why credentials that were sent did not count. */
export type Authentication = { principal: Principal | null; failure?: AppError };

/** How an action is attributed in the audit log. */
export const actorOf = (principal: Principal) => (principal.kind === "user" ? `user:${principal.userId}` : `api_key:${principal.apiKeyId}`);

/** Whatever carries a request's authentication: the GraphQL context, or `{ auth }` in REST routes. */
type Authenticated = { auth: Authentication };

/** The caller; UNAUTHENTICATED, with the reason sent credentials did not count, when there is none. */
export function principalOf({ auth }: Authenticated): Principal {
  const { principal, failure } = auth;
  if (!principal) throw failure ?? unauthenticated();
  return principal;
}

/** The caller and the tenant it acts for; FORBIDDEN for a user who belongs to no (such) tenant. */
export function tenantPrincipalOf(request: Authenticated): TenantPrincipal {
  const principal = principalOf(request);
  if (!principal.tenantId) throw forbidden("You are not a member of this tenant (check the X-Tenant-Id header).");
  return principal as TenantPrincipal;
}

/** The person behind a session; FORBIDDEN for an API key. */
export function userPrincipalOf(request: Authenticated): UserPrincipal {
  const principal = principalOf(request);
  if (principal.kind !== "user") throw forbidden("API keys act for a tenant, not a person: log in to the dashboard for this.");
  return principal;
}
