import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.ts";
import { buildGraphQLSchema } from "../../src/graphql/schema.ts";
import type { Principal } from "../../src/modules/auth/principal.ts";

/**
 * The schema documents itself: every element has a description, and every operation says who may
 * call it, in words that match what its resolver enforces (tried here for every kind of caller).
 */

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildGraphQLSchema();
});

const described = (element: { description?: string | null }) => Boolean(element.description?.trim());

/** Every type, field, argument, input field and enum value of the schema without a description. */
function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    if (!described(type)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!described(field)) missing.push(`${type.name}.${field.name}`);
        for (const arg of field.args) if (!described(arg)) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    }
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) if (!described(field)) missing.push(`${type.name}.${field.name}`);
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) if (!described(value)) missing.push(`${type.name}.${value.name}`);
    }
  }
  return missing;
}

describe("the schema's descriptions", () => {
  it("describe every type, field, argument, input field and enum value", () => {
    expect(undescribed(schema)).toEqual([]);
  });
});

// ------------------------------------------------------------ who may call what, as the resolver enforces it

const ROLES = ["OWNER", "ADMIN", "MEMBER"] as const;
const SCOPES = ["MESSAGES_SEND", "MESSAGES_READ", "USAGE_READ", "TENANT_ADMIN"] as const;
const CALLERS = [...ROLES, ...SCOPES.map((scope) => `key: ${scope}` as const), "nobody"] as const;
type Caller = (typeof CALLERS)[number];
/** What happens to a caller: let through, FORBIDDEN, or UNAUTHENTICATED. */
type Outcome = "yes" | "no" | "unauth";

const TENANT = "00000000-0000-4000-8000-000000000001";
function principalOf(caller: Caller): Principal | null {
  if (caller === "nobody") return null;
  if (caller.startsWith("key: ")) {
    const scope = caller.slice("key: ".length) as (typeof SCOPES)[number];
    return { kind: "apiKey", apiKeyId: "00000000-0000-4000-8000-000000000002", tenantId: TENANT, scopes: [scope], tenantActive: true };
  }
  const role = caller as (typeof ROLES)[number];
  return { kind: "user", userId: "00000000-0000-4000-8000-000000000003", sessionId: "s", tenantId: TENANT, role, tenantActive: true, platformRole: null };
}

/** Thrown by the context on anything a resolver reads past its authorization: the call was let through. */
class LetThrough extends Error {}

/** A context with the caller's authentication and nothing else: whatever else is read throws LetThrough. */
const contextFor = (caller: Caller) =>
  new Proxy(
    { auth: { principal: principalOf(caller) } },
    {
      get(target, key) {
        if (key === "auth") return target.auth;
        if (typeof key === "symbol" || key === "then") return undefined;
        throw new LetThrough(`read context.${key}`);
      },
    },
  );

/** Runs the field's resolver (type-graphql's, with its @Authorized check) as the caller, with no arguments. */
async function outcomeOf(type: GraphQLObjectType, field: GraphQLField<unknown, unknown>, caller: Caller): Promise<Outcome> {
  const info = { fieldName: field.name, parentType: type, returnType: field.type, schema } as unknown as GraphQLResolveInfo;
  try {
    await field.resolve!({}, {}, contextFor(caller), info);
    return "yes";
  } catch (error) {
    if (error instanceof AppError && error.code === "UNAUTHENTICATED") return "unauth";
    if (error instanceof AppError && error.code === "FORBIDDEN") return "no";
    // Anything else (reading the context, checking the missing arguments) happens after authorization.
    return "yes";
  }
}

const anyOf = (list: string) => list.split(/, | or /);

/** What the description's `Requires: ...` sentence promises each caller; undefined when it has none. */
function promised(description: string | null | undefined): Record<Caller, Outcome> | undefined {
  const requirement = /Requires: (.*)$/.exec(description ?? "")?.[1];
  if (requirement === undefined) return undefined;
  const table = (roles: readonly string[], scopes: readonly string[], nobody: Outcome) =>
    Object.fromEntries(
      CALLERS.map((caller) => {
        if (caller === "nobody") return [caller, nobody];
        const allowed = caller.startsWith("key: ") ? scopes.includes(caller.slice("key: ".length)) : roles.includes(caller);
        return [caller, allowed ? "yes" : "no"];
      }),
    ) as Record<Caller, Outcome>;
  if (requirement === "no authentication.") return table(ROLES, SCOPES, "yes");
  if (requirement === "a session (any signed-in person); API keys are refused.") return table(ROLES, [], "unauth");
  // Staff only: every tenant role and key is refused (staff sessions are tried in test/support-console/).
  if (requirement === "a Switchboard staff session (platform role SUPPORT or SUPERADMIN); tenant sessions and API keys are refused.") {
    return table([], [], "unauth");
  }
  const match = /^an API key with (any scope|scope (.+?)), or (?:a session with role (.+?)|no session)\.$/.exec(requirement);
  if (!match) throw new Error(`"Requires: ${requirement}" is not in a form this test knows`);
  const [, , scopes, roles] = match;
  return table(roles ? anyOf(roles) : [], scopes ? anyOf(scopes) : SCOPES, "unauth");
}

const fieldsOf = (type: GraphQLObjectType | null | undefined) => (type ? Object.values(type.getFields()).map((field) => ({ type, field })) : []);

describe("the requirement each operation states", () => {
  it("ends the description of every query and mutation", () => {
    const operations = [...fieldsOf(schema.getQueryType()), ...fieldsOf(schema.getMutationType())];
    expect(operations.length).toBeGreaterThan(30);
    const unstated = operations.filter(({ field }) => !/Requires: .+\.$/.test(field.description ?? ""));
    expect(unstated.map(({ type, field }) => `${type.name}.${field.name}`)).toEqual([]);
  });

  it("is what the resolver enforces, for every kind of caller, on every field that checks", async () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || isIntrospectionType(type)) continue;
      for (const { field } of fieldsOf(type)) {
        if (!field.resolve) continue;
        const promise = promised(field.description);
        const actual = Object.fromEntries(await Promise.all(CALLERS.map(async (caller) => [caller, await outcomeOf(type, field, caller)]))) as Record<
          Caller,
          Outcome
        >;
        // A field that refuses someone must say who may call it; one that says so must mean it.
        const expected = promise ?? (Object.fromEntries(CALLERS.map((caller) => [caller, "yes"])) as Record<Caller, Outcome>);
        if (promise) checked++;
        for (const caller of CALLERS) {
          if (actual[caller] !== expected[caller]) {
            mismatches.push(`${type.name}.${field.name} as ${caller}: ${actual[caller]}, the description says ${expected[caller]}`);
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(30);
  });
});
