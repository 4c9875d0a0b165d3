import { ApiKeyScope, MembershipRole } from "../../generated/prisma/enums.ts";
import { forbidden } from "../../errors.ts";
import { principalOf, tenantPrincipalOf, userPrincipalOf, type Authentication } from "./principal.ts";

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

/** Which member roles and which API key scopes grant each tenant permission. */
const GRANTS: Record<Exclude<Permission, Permission.ACCOUNT>, { roles: MembershipRole[]; scopes: ApiKeyScope[] }> = {
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
    const grant = GRANTS[permission];
    if (principal.kind === "user" && !grant.roles.includes(principal.role!)) {
      throw forbidden(`Your role (${principal.role}) cannot do this; ask an owner or admin of the tenant.`);
    }
    if (principal.kind === "apiKey" && !principal.scopes.some((scope) => grant.scopes.includes(scope))) {
      throw forbidden(`This API key lacks the scope for this (needs one of: ${grant.scopes.join(", ")}).`);
    }
  }
  return true;
}
