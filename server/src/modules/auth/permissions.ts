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
  /** Who from Switchboard support read the tenant's data, and why (supportAccessLog). */
  SUPPORT_ACCESS_READ = "SUPPORT_ACCESS_READ",
  /** The support console: Switchboard staff sessions only (platform role), never a tenant's caller. */
  SUPPORT_CONSOLE = "SUPPORT_CONSOLE",
}

const { OWNER, ADMIN, MEMBER } = MembershipRole;
const ANY_ROLE = [OWNER, ADMIN, MEMBER];
const ANY_SCOPE = Object.values(ApiKeyScope);

/** A permission within a tenant (every one but ACCOUNT and SUPPORT_CONSOLE). */
export type TenantPermission = Exclude<Permission, Permission.ACCOUNT | Permission.SUPPORT_CONSOLE>;

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
  SUPPORT_ACCESS_READ: { roles: [OWNER, ADMIN], scopes: [ApiKeyScope.TENANT_ADMIN] },
};

/** The mutations a SUPPORT staff member may call besides the support console's own: ending their session. */
const SUPPORT_STAFF_WRITES = new Set(["logOut"]);

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
 * GraphQL runs it for `@Authorized` (graphql/auth-checker.ts), naming the mutation it guards; the REST
 * endpoint calls it itself. SUPPORT staff are read-only: every mutation but the console's and logOut
 * is refused to them, whatever else they hold.
 */
export function assertPermissions(context: { auth: Authentication }, permissions: Permission[], mutation?: string): true {
  const caller = principalOf(context);
  if (
    mutation !== undefined &&
    caller.kind === "user" &&
    caller.platformRole === "SUPPORT" &&
    !permissions.includes(Permission.SUPPORT_CONSOLE) &&
    !SUPPORT_STAFF_WRITES.has(mutation)
  ) {
    throw forbidden("Switchboard support staff (SUPPORT) have read-only access: they cannot change anything.");
  }
  for (const permission of permissions) {
    if (permission === Permission.ACCOUNT) {
      userPrincipalOf(context);
      continue;
    }
    if (permission === Permission.SUPPORT_CONSOLE) {
      const user = userPrincipalOf(context);
      if (!user.platformRole) throw forbidden(`Your role (${user.role ?? "none"}) cannot do this: the support console is for Switchboard staff only.`);
      continue;
    }
    const principal = tenantPrincipalOf(context);
    if (holdsPermission(principal, permission)) continue;
    if (principal.kind === "user") throw forbidden(`Your role (${principal.role}) cannot do this; ask an owner or admin of the tenant.`);
    throw forbidden(`This API key lacks the scope for this (needs one of: ${GRANTS[permission].scopes.join(", ")}).`);
  }
  return true;
}

/** "A", "A or B", "A, B or C". */
const anyOf = (items: readonly string[]) => (items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`);

/**
 * Who may call an operation that needs these permissions (none: anyone), in the words its schema
 * description ends with (graphql/schema.ts): written from GRANTS, so it says what `assertPermissions` does.
 */
export function requirementOf(permissions: readonly Permission[] = []): string {
  if (permissions.length === 0) return "Requires: no authentication.";
  if (permissions.includes(Permission.SUPPORT_CONSOLE)) {
    return "Requires: a Switchboard staff session (platform role SUPPORT or SUPERADMIN); tenant sessions and API keys are refused.";
  }
  const tenantPermissions = permissions.filter(
    (permission): permission is TenantPermission => permission !== Permission.ACCOUNT && permission !== Permission.SUPPORT_CONSOLE,
  );
  const roles = ANY_ROLE.filter((role) => tenantPermissions.every((permission) => GRANTS[permission].roles.includes(role)));
  const session = tenantPermissions.length === 0 ? "a session (any signed-in person)" : roles.length ? `a session with role ${anyOf(roles)}` : "no session";
  if (permissions.includes(Permission.ACCOUNT)) return `Requires: ${session}; API keys are refused.`;
  const scopes = tenantPermissions.map((permission) => {
    const granting = GRANTS[permission].scopes;
    return granting.length === ANY_SCOPE.length ? "any scope" : `scope ${anyOf(granting)}`;
  });
  return `Requires: an API key with ${scopes.join(" and ")}, or ${session}.`;
}
