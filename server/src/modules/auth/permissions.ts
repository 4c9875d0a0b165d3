import { ApiKeyScope, MembershipRole } from "../../generated/prisma/enums.ts";
import { forbidden } from "../../errors.ts";
import { principalOf, tenantPrincipalOf, userPrincipalOf, type Authentication, type TenantPrincipal } from "./principal.ts";

/** What an operation needs; declared on resolvers with `@Authorized(Permission.X)`. */
export enum Permission {
  /** The caller's own account (sessions only). */
  ACCOUNT = "ACCOUNT",
  TENANT_READ = "TENANT_READ",
  /** Who is in the team (names and emails): every member, but of keys only TENANT_ADMIN ones. */
  TEAM_READ = "TEAM_READ",
  TEAM_MANAGE = "TEAM_MANAGE",
  API_KEYS_MANAGE = "API_KEYS_MANAGE",
  WHATSAPP_MANAGE = "WHATSAPP_MANAGE",
  /** Webhook endpoints (their signing secrets) and their deliveries. */
  WEBHOOKS_MANAGE = "WEBHOOKS_MANAGE",
  MESSAGES_SEND = "MESSAGES_SEND",
  MESSAGES_READ = "MESSAGES_READ",
  USAGE_READ = "USAGE_READ",
}

const { OWNER, ADMIN, MEMBER } = MembershipRole;
const ANY_ROLE = [OWNER, ADMIN, MEMBER];
const ANY_SCOPE = Object.values(ApiKeyScope);

/** A permission within a tenant (every one but ACCOUNT). */
export type TenantPermission = Exclude<Permission, Permission.ACCOUNT>;

/** Which member roles and which API key scopes grant each tenant permission. */
const GRANTS: Record<TenantPermission, { roles: MembershipRole[]; scopes: ApiKeyScope[] }> = {
  TENANT_READ: { roles: ANY_ROLE, scopes: ANY_SCOPE },
  TEAM_READ: { roles: ANY_ROLE, scopes: [ApiKeyScope.TENANT_ADMIN] },
  TEAM_MANAGE: { roles: [OWNER, ADMIN], scopes: [ApiKeyScope.TENANT_ADMIN] },
  API_KEYS_MANAGE: { roles: [OWNER, ADMIN], scopes: [ApiKeyScope.TENANT_ADMIN] },
  WHATSAPP_MANAGE: { roles: [OWNER, ADMIN], scopes: [ApiKeyScope.TENANT_ADMIN] },
  WEBHOOKS_MANAGE: { roles: [OWNER, ADMIN], scopes: [ApiKeyScope.TENANT_ADMIN] },
  MESSAGES_SEND: { roles: ANY_ROLE, scopes: [ApiKeyScope.MESSAGES_SEND] },
  MESSAGES_READ: { roles: ANY_ROLE, scopes: [ApiKeyScope.MESSAGES_READ, ApiKeyScope.MESSAGES_SEND] },
  USAGE_READ: { roles: ANY_ROLE, scopes: [ApiKeyScope.USAGE_READ] },
};

/**
 * Whether a caller acting for a tenant holds the permission: for answers that leave out what the
 * caller may not see (`node`, `nodes`) instead of refusing the whole request.
 */
export function holdsPermission(principal: TenantPrincipal, permission: TenantPermission): boolean {
  const grant = GRANTS[permission];
  return principal.kind === "user" ? grant.roles.includes(principal.role!) : principal.scopes.some((scope) => grant.scopes.includes(scope));
}

/**
 * Throws UNAUTHENTICATED or FORBIDDEN, with the reason, unless the caller holds every permission.
 * GraphQL runs it for `@Authorized` (graphql/auth-checker.ts); the REST endpoint calls it itself.
 */
export function assertPermissions(context: { auth: Authentication }, permissions: Permission[]): true {
  principalOf(context);
  for (const permission of permissions) {
    if (permission === Permission.ACCOUNT) {
      userPrincipalOf(context);
      continue;
    }
    const principal = tenantPrincipalOf(context);
    if (holdsPermission(principal, permission)) continue;
    if (principal.kind === "user") throw forbidden(`Your role (${principal.role}) cannot do this; ask an owner or admin of the tenant.`);
    throw forbidden(`This API key lacks the scope for this (needs one of: ${GRANTS[permission].scopes.join(", ")}).`);
  }
  return true;
}
