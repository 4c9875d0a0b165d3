import { describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.ts";
import { authChecker } from "../../src/graphql/auth-checker.ts";
import { assertPermissions, Permission } from "../../src/modules/auth/permissions.ts";
import type { Authentication, Principal } from "../../src/modules/auth/principal.ts";
import type { ApiKeyScope, MembershipRole } from "../../src/generated/prisma/enums.ts";

/** Who may do what (README, "Roles and scopes"), checked without a server for every combination. */

const TENANT = "00000000-0000-4000-8000-000000000001";
const user = (role: MembershipRole | null, tenantId: string | null = TENANT): Principal => ({
  kind: "user",
  userId: "u1",
  sessionId: "s1",
  tenantId,
  role,
  tenantActive: true,
  platformRole: null,
});
const apiKey = (...scopes: ApiKeyScope[]): Principal => ({ kind: "apiKey", apiKeyId: "k1", tenantId: TENANT, scopes, tenantActive: true });

function outcome(principal: Principal | null, permissions: Permission[], failure?: AppError): string {
  const auth: Authentication = failure ? { principal, failure } : { principal };
  try {
    assertPermissions({ auth }, permissions);
    return "allowed";
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return `${error.code}: ${error.message}`;
  }
}

const ADMIN_ONLY = [Permission.TEAM_MANAGE, Permission.API_KEYS_MANAGE, Permission.WHATSAPP_MANAGE];
const ANY_MEMBER = [Permission.TENANT_READ, Permission.MESSAGES_SEND, Permission.MESSAGES_READ, Permission.USAGE_READ];

describe("permissions of dashboard users", () => {
  it("lets owners and admins do everything in their tenant", () => {
    for (const role of ["OWNER", "ADMIN"] as const) {
      for (const permission of [...ADMIN_ONLY, ...ANY_MEMBER, Permission.ACCOUNT]) expect(outcome(user(role), [permission])).toBe("allowed");
    }
  });

  it("lets members read, send and see usage, but not manage the team, keys or numbers", () => {
    for (const permission of ANY_MEMBER) expect(outcome(user("MEMBER"), [permission])).toBe("allowed");
    for (const permission of ADMIN_ONLY) {
      expect(outcome(user("MEMBER"), [permission])).toBe("FORBIDDEN: Your role (MEMBER) cannot do this; ask an owner or admin of the tenant.");
    }
  });

  it("needs a tenant for tenant permissions, not for the account", () => {
    expect(outcome(user(null, null), [Permission.ACCOUNT])).toBe("allowed");
    expect(outcome(user(null, null), [Permission.TENANT_READ])).toBe("FORBIDDEN: You are not a member of this tenant (check the X-Tenant-Id header).");
  });

  it("checks every permission asked for, not only the first", () => {
    expect(outcome(user("MEMBER"), [Permission.TENANT_READ, Permission.TEAM_MANAGE])).toMatch(/^FORBIDDEN: Your role \(MEMBER\)/);
    expect(outcome(user("MEMBER"), [Permission.ACCOUNT, Permission.TEAM_MANAGE])).toMatch(/^FORBIDDEN: Your role \(MEMBER\)/);
    expect(outcome(apiKey("TENANT_ADMIN"), [Permission.TENANT_READ, Permission.ACCOUNT])).toMatch(/^FORBIDDEN: API keys act for a tenant/);
  });
});

describe("permissions of API keys", () => {
  const lacks = (needs: string) => `FORBIDDEN: This API key lacks the scope for this (needs one of: ${needs}).`;

  it("grants each permission to exactly the scopes that carry it", () => {
    const expected: Record<string, Record<ApiKeyScope, boolean>> = {
      TENANT_READ: { MESSAGES_SEND: true, MESSAGES_READ: true, USAGE_READ: true, TENANT_ADMIN: true },
      TEAM_MANAGE: { MESSAGES_SEND: false, MESSAGES_READ: false, USAGE_READ: false, TENANT_ADMIN: true },
      API_KEYS_MANAGE: { MESSAGES_SEND: false, MESSAGES_READ: false, USAGE_READ: false, TENANT_ADMIN: true },
      WHATSAPP_MANAGE: { MESSAGES_SEND: false, MESSAGES_READ: false, USAGE_READ: false, TENANT_ADMIN: true },
      MESSAGES_SEND: { MESSAGES_SEND: true, MESSAGES_READ: false, USAGE_READ: false, TENANT_ADMIN: false },
      MESSAGES_READ: { MESSAGES_SEND: true, MESSAGES_READ: true, USAGE_READ: false, TENANT_ADMIN: false },
      USAGE_READ: { MESSAGES_SEND: false, MESSAGES_READ: false, USAGE_READ: true, TENANT_ADMIN: false },
    };
    for (const [permission, byScope] of Object.entries(expected)) {
      for (const [scope, allowed] of Object.entries(byScope)) {
        const result = outcome(apiKey(scope as ApiKeyScope), [permission as Permission]);
        expect({ permission, scope, allowed: result === "allowed" }).toEqual({ permission, scope, allowed });
      }
    }
  });

  it("says which scopes would do, and allows a key holding any one of them", () => {
    expect(outcome(apiKey("USAGE_READ"), [Permission.MESSAGES_READ])).toBe(lacks("MESSAGES_READ, MESSAGES_SEND"));
    expect(outcome(apiKey("USAGE_READ", "MESSAGES_SEND"), [Permission.MESSAGES_READ])).toBe("allowed");
    expect(outcome(apiKey(), [Permission.TENANT_READ])).toBe(lacks("MESSAGES_SEND, MESSAGES_READ, USAGE_READ, TENANT_ADMIN"));
  });

  it("never acts for a person's account", () => {
    expect(outcome(apiKey("TENANT_ADMIN"), [Permission.ACCOUNT])).toBe("FORBIDDEN: API keys act for a tenant, not a person: log in to the dashboard for this.");
  });
});

describe("callers without a principal", () => {
  it("are told why their credentials did not count, or to log in", () => {
    expect(outcome(null, [Permission.TENANT_READ])).toBe("UNAUTHENTICATED: Log in, or send an API key as `Authorization: Bearer swb_...`.");
    expect(outcome(null, [], new AppError("UNAUTHENTICATED", "This API key is not valid or was revoked."))).toBe(
      "UNAUTHENTICATED: This API key is not valid or was revoked.",
    );
  });

  it("go through type-graphql's checker with the same answers", () => {
    // Our checker is the function form of type-graphql's AuthChecker union.
    const check = authChecker as (
      data: { context: { auth: Authentication }; info: { parentType: { name: string }; fieldName: string } },
      permissions: Permission[],
    ) => boolean;
    const context = { auth: { principal: user("MEMBER") } };
    const info = { parentType: { name: "Mutation" }, fieldName: "sendMessage" };
    expect(check({ context, info }, [Permission.MESSAGES_SEND])).toBe(true);
    expect(() => check({ context, info }, [Permission.TEAM_MANAGE])).toThrow(/Your role \(MEMBER\) cannot do this/);
    // The mutation's name reaches the read-only rule of SUPPORT staff.
    const staff = { auth: { principal: { ...user(null, null), platformRole: "SUPPORT" as const } } };
    expect(() => check({ context: staff, info }, [Permission.ACCOUNT])).toThrow(/read-only/);
    expect(check({ context: staff, info: { parentType: { name: "Query" }, fieldName: "me" } }, [Permission.ACCOUNT])).toBe(true);
  });
});

describe("Switchboard staff", () => {
  const staff = (platformRole: "SUPPORT" | "SUPERADMIN"): Principal => ({ ...(user(null, null) as Principal & { kind: "user" }), platformRole });
  const as = (principal: Principal, permissions: Permission[], mutation?: string) => {
    try {
      assertPermissions({ auth: { principal } }, permissions, mutation);
      return "allowed";
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return `${error.code}: ${error.message}`;
    }
  };

  it("alone may use the support console", () => {
    expect(as(staff("SUPPORT"), [Permission.SUPPORT_CONSOLE], "startSupportSession")).toBe("allowed");
    expect(as(staff("SUPERADMIN"), [Permission.SUPPORT_CONSOLE])).toBe("allowed");
    expect(as(user("OWNER"), [Permission.SUPPORT_CONSOLE])).toMatch(/^FORBIDDEN: Your role \(OWNER\) cannot do this/);
    expect(as(apiKey("TENANT_ADMIN"), [Permission.SUPPORT_CONSOLE])).toMatch(/^FORBIDDEN: API keys act for a tenant/);
  });

  it("with the SUPPORT role may call no other mutation but logOut", () => {
    expect(as(staff("SUPPORT"), [Permission.ACCOUNT], "acceptInvitation")).toMatch(/^FORBIDDEN: .*read-only/);
    expect(as(staff("SUPPORT"), [Permission.ACCOUNT], "logOut")).toBe("allowed");
    expect(as(staff("SUPPORT"), [Permission.ACCOUNT])).toBe("allowed");
    expect(as(staff("SUPERADMIN"), [Permission.ACCOUNT], "acceptInvitation")).toBe("allowed");
  });

  it("act in no tenant", () => {
    expect(as(staff("SUPERADMIN"), [Permission.MESSAGES_READ])).toMatch(/^FORBIDDEN: You are not a member of this tenant/);
  });
});
