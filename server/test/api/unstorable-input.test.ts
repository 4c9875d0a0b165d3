import { randomUUID } from "node:crypto";
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGraphQLSchema } from "../../src/graphql/schema.ts";
import { createApiKey, newAccount, type Caller } from "../support/api.ts";
import { connectedTenant, startMessagingWorld, type MessagingWorld, type Sender } from "../support/messaging.ts";
import { newStaff } from "../support-console/staff.ts";

/**
 * Text PostgreSQL cannot store (NUL; lone UTF-16 surrogates) and values longer than any column,
 * fed to every String/ID argument of every operation, found by walking the schema: an operation
 * added later is covered without touching this file. Whoever calls, the answer is a typed 4xx,
 * never INTERNAL or a 5xx; text that cannot be stored is refused naming its argument.
 */

/** Plausible values by argument or input field name; anything not named gets `PLAIN_TEXT`. */
const HINTS: Record<string, () => string> = {
  to: () => "+8801811111111",
  from: () => "+8801811111112",
  number: () => "+8801712345678",
  contact: () => "+8801811111111",
  email: () => newAccount("fuzz").email,
  password: () => "a long passphrase nobody else uses",
  month: () => "2026-11",
  // A cursor in the format from before cursors named their order: every list still reads it as its default order.
  after: () => Buffer.from(JSON.stringify(["2026-11-01T00:00:00.000Z", randomUUID()])).toString("base64url"),
  apiKey: () => `rapiwa-key-${randomUUID()}`,
  token: () => "A".repeat(43),
};
const PLAIN_TEXT = "plausible text";
const SCALARS: Record<string, () => unknown> = { Int: () => 1, Float: () => 1, Boolean: () => true, DateTimeISO: () => "2026-11-01T00:00:00.000Z" };

const BAD_VALUES: { label: string; unstorable: boolean; make: (plausible: string) => string }[] = [
  { label: "a NUL character", unstorable: true, make: (plausible) => `${plausible}\u0000` },
  { label: "a lone surrogate", unstorable: true, make: (plausible) => `${plausible}\ud800` },
  { label: "70,000 characters", unstorable: false, make: (plausible) => plausible + "9".repeat(70_000) },
];

/** A value with the GraphQL literal that writes it inline (enums are bare names there). */
type Value = { json: unknown; literal: string };
/** One String/ID leaf to poison: its dotted path from the argument and the value it gets. */
type Leaf = { path: string; bad: string };

/**
 * The plausible value of `type`, except at `target` (a dotted path), which gets `bad`. Visits
 * every String/ID leaf through `onLeaf`, so the caller learns which paths exist.
 */
function valueOf(type: GraphQLInputType, name: string, path: string, target: Leaf | undefined, onLeaf: (path: string) => void): Value {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    const item = valueOf(inner.ofType, name, `${path}.0`, target, onLeaf);
    return { json: [item.json], literal: `[${item.literal}]` };
  }
  if (isInputObjectType(inner)) {
    const fields = Object.values(inner.getFields()).map(
      (field) => [field.name, valueOf(field.type, field.name, `${path}.${field.name}`, target, onLeaf)] as const,
    );
    return {
      json: Object.fromEntries(fields.map(([key, value]) => [key, value.json])),
      literal: `{ ${fields.map(([key, value]) => `${key}: ${value.literal}`).join(", ")} }`,
    };
  }
  if (isEnumType(inner)) {
    const first = inner.getValues()[0]!.name;
    return { json: first, literal: first };
  }
  const scalar = getNamedType(inner);
  if (isScalarType(scalar) && (scalar.name === "String" || scalar.name === "ID")) {
    onLeaf(path);
    const plausible = name === "id" || name.endsWith("Id") ? randomUUID() : (HINTS[name]?.() ?? PLAIN_TEXT);
    const text = target?.path === path ? target.bad : plausible;
    // JSON's string escapes are GraphQL's (\uXXXX included), so a JSON string is a GraphQL literal.
    return { json: text, literal: JSON.stringify(text) };
  }
  const make = SCALARS[scalar.name];
  if (!make) throw new Error(`No plausible value for scalar ${scalar.name}: add one to SCALARS.`);
  const json = make();
  return { json, literal: JSON.stringify(json) };
}

type Operation = { kind: "query" | "mutation"; field: GraphQLField<unknown, unknown> };

/** Documents calling `operation` with `target` poisoned: once with variables, once inline. */
function documentsFor({ kind, field }: Operation, target: Leaf) {
  const args = field.args.map((arg: GraphQLArgument) => ({ arg, value: valueOf(arg.type, arg.name, arg.name, target, () => undefined) }));
  const selection = isScalarType(getNamedType(field.type)) || isEnumType(getNamedType(field.type)) ? "" : " { __typename }";
  const declared = args.map(({ arg }) => `$${arg.name}: ${arg.type.toString()}`).join(", ");
  const passed = args.map(({ arg }) => `${arg.name}: $${arg.name}`).join(", ");
  const inline = args.map(({ arg, value }) => `${arg.name}: ${value.literal}`).join(", ");
  return {
    withVariables: {
      query: `${kind} (${declared}) { ${field.name}(${passed})${selection} }`,
      variables: Object.fromEntries(args.map(({ arg, value }) => [arg.name, value.json])),
    },
    inline: { query: `${kind} { ${field.name}(${inline})${selection} }`, variables: {} },
  };
}

/** Every String/ID leaf of every argument of `operation`, as dotted paths (`input.text`). */
function leavesOf({ field }: Operation): string[] {
  const paths: string[] = [];
  for (const arg of field.args) valueOf(arg.type, arg.name, arg.name, undefined, (path) => paths.push(path));
  return paths;
}

/** The support console's operations: staff may call them, tenants' owners may not. */
const STAFF_OPERATIONS = new Set([
  "startSupportSession",
  "endSupportSession",
  "supportSearchMessages",
  "supportMessage",
  "suspendTenant",
  "reactivateTenant",
  "supportTenantStatements",
]);

let world: MessagingWorld;
let owner: Sender;
let callers: [string, Caller][];
let operations: Operation[];
beforeAll(async () => {
  // Each request comes from an address of its own, so per-address sign-up and log-in limits
  // never answer in place of the input check under test.
  world = await startMessagingWorld({ TRUST_PROXY: "true" });
  owner = await connectedTenant(world, { label: "fuzz-owner" });
  const allScopes = await createApiKey(world.api, owner, ["MESSAGES_SEND", "MESSAGES_READ", "USAGE_READ", "TENANT_ADMIN"], "all scopes");
  const staff = await newStaff(world.api, "SUPPORT", "fuzz-staff");
  callers = [
    ["an OWNER session", { token: owner.token }],
    ["a staff session", { token: staff.token }],
    ["an API key with every scope", { token: allScopes.secret }],
    ["an anonymous caller", {}],
  ];
  const schema = await buildGraphQLSchema();
  const rootFields = (kind: Operation["kind"], type: GraphQLObjectType | null | undefined) =>
    Object.values(type?.getFields() ?? {}).map((field) => ({ kind, field }));
  operations = [...rootFields("query", schema.getQueryType()), ...rootFields("mutation", schema.getMutationType())];
});
afterAll(() => world?.close());

let address = 0;
async function post(body: { query: string; variables: Record<string, unknown> }, caller: Caller) {
  address += 1;
  const response = await fetch(`${world.api.url}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-forwarded-for": `10.9.${Math.floor(address / 250) % 250}.${(address % 250) + 1}`,
      ...(caller.token ? { authorization: `Bearer ${caller.token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as { errors?: { extensions?: { code?: string; field?: string } }[] } };
}

describe("every argument of every operation, generated from the schema", () => {
  it("finds operations with String or ID arguments to check", () => {
    const names = operations.filter((operation) => leavesOf(operation).length > 0).map(({ field }) => field.name);
    // The walk itself works: these exist today; operations added later join the run on their own.
    expect(names).toEqual(expect.arrayContaining(["sendMessage", "messages", "conversations", "logIn", "createApiKey"]));
  });

  for (const bad of BAD_VALUES) {
    it(`answers ${bad.label} in any String or ID argument with a typed 4xx, never INTERNAL`, async () => {
      const problems: string[] = [];
      for (const operation of operations) {
        for (const path of leavesOf(operation)) {
          // The plausible value at this path, poisoned (a leaf's name is the path's last part).
          const name = path
            .split(".")
            .filter((part) => !/^\d+$/.test(part))
            .at(-1)!;
          const plausible = name === "id" || name.endsWith("Id") ? randomUUID() : (HINTS[name]?.() ?? PLAIN_TEXT);
          const documents = documentsFor(operation, { path, bad: bad.make(plausible) });
          for (const [form, body] of Object.entries(documents)) {
            for (const [who, caller] of callers) {
              const response = await post(body, caller);
              const codes = (response.body.errors ?? []).map((error) => error.extensions?.code);
              const where = `${operation.field.name} ${path} (${form}, ${who}): ${response.status} ${response.text.slice(0, 300)}`;
              if (response.status >= 500 || codes.includes("INTERNAL")) problems.push(where);
              else if (
                bad.unstorable &&
                form === "withVariables" &&
                who === (STAFF_OPERATIONS.has(operation.field.name) ? "a staff session" : "an OWNER session")
              ) {
                // The owner may call everything but the support console, which staff may: the refusal is the input's, naming the argument.
                const first = response.body.errors?.[0]?.extensions;
                if (first?.code !== "BAD_USER_INPUT" || first.field !== path) problems.push(`not refused as ${path}: ${where}`);
              }
            }
          }
        }
      }
      expect(problems).toEqual([]);
    });
  }
});

describe("cursors", () => {
  const cursorOf = (createdAt: string, id: string) => Buffer.from(JSON.stringify([createdAt, id])).toString("base64url");

  it.each([
    ["an id that is not a UUID", cursorOf("2026-11-01T00:00:00.000Z", "-".repeat(36))],
    ["an over-long id", cursorOf("2026-11-01T00:00:00.000Z", "a".repeat(5_000))],
    ["a date before PostgreSQL's range", cursorOf("-010000-01-01T00:00:00.000Z", randomUUID())],
    ["a date after any message", cursorOf("+275000-01-01T00:00:00.000Z", randomUUID())],
  ])("refuses %s as the cursor's field", async (_label, cursor) => {
    for (const query of [
      `query ($after: String) { messages(after: $after) { __typename } }`,
      `query ($after: String) { conversations(after: $after) { __typename } }`,
    ]) {
      const response = await post({ query, variables: { after: cursor } }, { token: owner.token });
      expect(response.status, response.text).toBeLessThan(500);
      expect(response.body.errors?.[0]?.extensions, response.text).toEqual(expect.objectContaining({ code: "BAD_USER_INPUT", field: "after" }));
    }
  });
});
