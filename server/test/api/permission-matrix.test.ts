import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLField,
  type GraphQLInputType,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGraphQLSchema } from "../../src/graphql/schema.ts";
import {
  addMember,
  createApiKey,
  createWebhookEndpoint,
  ensureSandboxWhatsApp,
  fromManyAddresses,
  invite,
  logIn,
  newAccount,
  sendTestWebhook,
  signUp,
  startTestApi,
  type Caller,
  type SignedUp,
  type TestApi,
} from "../support/api.ts";

/**
 * Every operation of the schema and every REST route, tried by every kind of caller, against the
 * written policy in docs/permissions.md: the test parses its tables, so the document is the
 * expectation. Each caller kind gets a tenant of its own (a "world"), and cells that destroy
 * something (a key, a session, a membership, the connection) get fresh objects, so cells can run in
 * any order and alone (`-t "Mutation.logOut as OWNER"`). A cell the policy refuses destroys nothing,
 * so it may aim at the world's standing objects (sign-ups are the slow part); should the refusal be
 * missing, the cell fails whatever the call then does.
 */

const DOC_PATH = new URL("../../../docs/permissions.md", import.meta.url);
const DOC = "docs/permissions.md";

const SCOPES = ["MESSAGES_SEND", "MESSAGES_READ", "USAGE_READ", "TENANT_ADMIN"] as const;
type Scope = (typeof SCOPES)[number];
const ROLES = ["OWNER", "ADMIN", "MEMBER"] as const;
type Role = (typeof ROLES)[number];
const KEY_KINDS = SCOPES.map((scope) => `key: ${scope}` as const);
const OTHER_TENANT = "other tenant's key";
const NOBODY = "nobody";
const CALLER_KINDS = [...ROLES, ...KEY_KINDS, OTHER_TENANT, NOBODY] as const;
type CallerKind = (typeof CALLER_KINDS)[number];
const CELL_VALUES = ["yes", "no", "unauth", "tenant", "-"] as const;
type Cell = (typeof CELL_VALUES)[number];
type Row = { name: string; cells: Record<CallerKind, Cell>; last: string };

const REST_ROUTES = ["POST /api/v1/send-message", "POST /webhooks/rapiwa/:token", "GET /api/v1/messages.csv", "GET /api/v1/statements.csv"];
const SEND_MESSAGE_ROUTE = REST_ROUTES[0]!;
const WEBHOOK_ROUTE = REST_ROUTES[1]!;
/** The CSV downloads, and the header line each answers with. */
const EXPORT_ROUTES: Record<string, string> = {
  [REST_ROUTES[2]!]: "id,created_at,direction,status,contact,from,to,body,error,provider_message_id,status_changed_at",
  [REST_ROUTES[3]!]: "month,messages_sent,messages_received,messages_failed,connected_numbers,tier,plan_price,provider_cost,total,currency,closed_at",
};

// ---------------------------------------------------------------- the policy, from the document

const splitRow = (line: string) =>
  line
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split("|")
    .map((cell) => cell.trim());

/** The markdown tables of the document, header first, without the `---` line. */
function markdownTables(markdown: string): string[][][] {
  const tables: string[][][] = [];
  let current: string[][] | undefined;
  for (const line of markdown.split("\n")) {
    if (!line.trim().startsWith("|")) {
      current = undefined;
      continue;
    }
    const cells = splitRow(line);
    if (cells.every((cell) => /^:?-+:?$/.test(cell))) continue;
    if (!current) tables.push((current = []));
    current.push(cells);
  }
  return tables;
}

function parsePolicy(table: string[][] | undefined, first: string, last: string): Row[] {
  if (!table) throw new Error(`${DOC} has no table whose first column is "${first}"`);
  const [header, ...lines] = table;
  const expected = [first, ...CALLER_KINDS, last];
  if (JSON.stringify(header) !== JSON.stringify(expected)) {
    throw new Error(`${DOC}: the "${first}" table's columns must be ${expected.join(" | ")}; found ${header!.join(" | ")}`);
  }
  return lines.map((line) => {
    const name = line[0]!.replace(/`/g, "");
    if (line.length !== CALLER_KINDS.length + 2) throw new Error(`${DOC}: row ${name} has ${line.length} cells, not ${CALLER_KINDS.length + 2}`);
    const cells = Object.fromEntries(
      CALLER_KINDS.map((kind, index) => {
        const cell = line[index + 1]!;
        if (!(CELL_VALUES as readonly string[]).includes(cell)) {
          throw new Error(`${DOC}: row ${name}, column "${kind}" says "${cell}"; use one of ${CELL_VALUES.join(", ")}`);
        }
        return [kind, cell as Cell];
      }),
    ) as Record<CallerKind, Cell>;
    return { name, cells, last: line.at(-1)! };
  });
}

const tables = markdownTables(readFileSync(DOC_PATH, "utf8"));
const POLICY = parsePolicy(
  tables.find((table) => table[0]?.[0] === "operation"),
  "operation",
  "notes",
);
// The second table, "Rules within operations": argument- and field-level rules, run by RULE_CASES below.
const RULES = parsePolicy(
  tables.find((table) => table[0]?.[0] === "rule"),
  "rule",
  "refusal says",
);
const policyOf = (name: string) => POLICY.find((row) => row.name === name);

const schema = await buildGraphQLSchema();
const rootFields = (root: "Query" | "Mutation") =>
  Object.values((root === "Query" ? schema.getQueryType() : schema.getMutationType())?.getFields() ?? {}).map((field) => `${root}.${field.name}`);
const SCHEMA_OPERATIONS = [...rootFields("Query"), ...rootFields("Mutation")];

// ---------------------------------------------------------------- the callers and their worlds

let rawApi: TestApi;
/** Every GraphQL request from an address of its own: the matrix signs up more than 20 accounts. */
let api: TestApi;

type World = {
  tenantId: string;
  owner: SignedUp;
  people: Record<Role, SignedUp>;
  keys: Record<Scope, { id: string; secret: string }>;
  /** Another tenant's key with every scope. */
  otherTenantKey: string;
  messageId: string;
  /** A MEMBER and a second OWNER for refused cells to aim at (never the owner the set-up relies on). */
  bystander: SignedUp;
  coOwner: SignedUp;
  /** An open invitation of this tenant (to someone else), for refused cells to aim at. */
  openInvitationId: string;
  /** Cells of one world run one at a time; worlds run side by side. */
  queue: Promise<unknown>;
};

const NUMBER = "+8801711000001";
const CONTACT = "+14155550123";
const SEND = `mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id } }`;

async function buildWorld(): Promise<World> {
  const owner = await signUp(api, "matrix-owner");
  // One after another: worlds are built side by side already, and with four sign-ups per world at
  // once (argon2 and a transaction each) the server answered some INTERNAL on a loaded machine.
  const joined: SignedUp[] = [];
  for (const role of ["ADMIN", "MEMBER", "MEMBER", "OWNER"] as const) {
    joined.push(await addMember(api, owner, await signUp(api, `matrix-${role.toLowerCase()}`), role));
  }
  const [admin, member, bystander, coOwner] = joined;
  const keys = Object.fromEntries(await Promise.all(SCOPES.map(async (scope) => [scope, await createApiKey(api, owner, [scope], scope)]))) as World["keys"];
  const other = await signUp(api, "matrix-other-tenant");
  const otherTenantKey = (await createApiKey(api, other, [...SCOPES])).secret;
  await ensureSandboxWhatsApp(api, owner, NUMBER);
  const sent = await api.graphql(SEND, { input: { to: CONTACT, text: "the permission matrix's message" } }, { token: owner.token });
  if (!sent.data?.sendMessage) throw new Error(`sendMessage failed: ${JSON.stringify(sent.errors)}`);
  return {
    tenantId: owner.tenantId,
    owner,
    people: { OWNER: owner, ADMIN: admin!, MEMBER: member! },
    keys,
    otherTenantKey,
    messageId: sent.data.sendMessage.id,
    bystander: bystander!,
    coOwner: coOwner!,
    openInvitationId: await invite(api, owner, freshEmail(), "MEMBER"),
    queue: Promise.resolve(),
  };
}

const worlds = new Map<CallerKind, Promise<World>>();
/** Built on first use, so one cell run alone builds one world. */
function worldOf(kind: CallerKind): Promise<World> {
  if (!worlds.has(kind)) worlds.set(kind, buildWorld());
  return worlds.get(kind)!;
}

async function inWorld<T>(kind: CallerKind, work: (world: World) => Promise<T>): Promise<T> {
  const world = await worldOf(kind);
  const run = world.queue.then(() => work(world));
  world.queue = run.catch(() => undefined);
  return run;
}

const roleOf = (kind: CallerKind) => ((ROLES as readonly string[]).includes(kind) ? (kind as Role) : undefined);
const scopeOf = (kind: CallerKind) => ((KEY_KINDS as readonly string[]).includes(kind) ? (kind.slice("key: ".length) as Scope) : undefined);

/** How `kind` calls in `world`; `person` for sessions. */
function callerIn(world: World, kind: CallerKind): { caller: Caller; person?: SignedUp } {
  const role = roleOf(kind);
  if (role) return { caller: { token: world.people[role].token, tenantId: world.tenantId }, person: world.people[role] };
  const scope = scopeOf(kind);
  if (scope) return { caller: { token: world.keys[scope].secret } };
  if (kind === OTHER_TENANT) return { caller: { token: world.otherTenantKey, tenantId: world.tenantId } };
  return { caller: {} };
}

/** A new person in the world's tenant with `role` (a target to remove, or a session to leave with). */
async function freshPerson(world: World, role: Role): Promise<SignedUp> {
  return addMember(api, world.owner, await signUp(api, `matrix-fresh-${role.toLowerCase()}`), role);
}

const freshEmail = () => newAccount("matrix-invitee").email;

// ---------------------------------------------------------------- how to call each operation

type Self = { caller: Caller; person?: SignedUp };
type Prepared = { variables?: Record<string, unknown>; caller?: Caller };
/**
 * Plausible arguments (real ids) per operation, and fresh fixtures where an allowed cell destroys
 * one; `allowed` is what the policy expects of this cell.
 */
type Hint = (world: World, self: Self, kind: CallerKind, allowed: boolean) => Promise<Prepared>;

const connected =
  (prepared: Prepared = {}): Hint =>
  async (world) => {
    await ensureSandboxWhatsApp(api, world.owner, NUMBER);
    return prepared;
  };

/** An invitation addressed to the caller's own email (any real one for callers that are not people). */
const invitationToSelf: Hint = async (world, self, _kind, allowed) => {
  if (!allowed) return { variables: { id: world.openInvitationId } };
  const inviter = await signUp(api, "matrix-inviter");
  return { variables: { id: await invite(api, inviter, self.person?.email ?? freshEmail(), "MEMBER") } };
};

/** A webhook endpoint of the world's tenant, with one (test) delivery, made on first use: for cells that change nothing. */
const standingEndpoints = new Map<string, Promise<{ endpointId: string; deliveryId: string }>>();
function standingEndpoint(world: World) {
  if (!standingEndpoints.has(world.tenantId)) {
    standingEndpoints.set(
      world.tenantId,
      (async () => {
        const { id } = await createWebhookEndpoint(api, world.owner, { description: "the permission matrix's endpoint" });
        return { endpointId: id, deliveryId: await sendTestWebhook(api, world.owner, id) };
      })(),
    );
  }
  return standingEndpoints.get(world.tenantId)!;
}

const HINTS: Record<string, Hint> = {
  "Query.message": async (world) => ({ variables: { id: world.messageId } }),
  "Mutation.signUp": async () => ({ variables: { input: newAccount("matrix-sign-up") } }),
  "Mutation.logIn": async (world) => ({ variables: { input: { email: world.owner.email, password: world.owner.password } } }),
  // A session of its own to end, so the world's session lives on.
  "Mutation.logOut": async (world, self) => (self.person ? { caller: { token: await logIn(api, self.person), tenantId: world.tenantId } } : {}),
  "Mutation.createApiKey": async () => ({ variables: { input: { name: "matrix key", scopes: ["MESSAGES_READ"] } } }),
  "Mutation.revokeApiKey": async (world) => ({ variables: { id: (await createApiKey(api, world.owner, ["USAGE_READ"], "to revoke")).id } }),
  "Mutation.inviteTeamMember": async () => ({ variables: { input: { email: freshEmail(), role: "MEMBER" } } }),
  "Mutation.revokeTeamInvitation": async (world, _self, _kind, allowed) => ({
    variables: { id: allowed ? await invite(api, world.owner, freshEmail(), "MEMBER") : world.openInvitationId },
  }),
  "Mutation.changeTeamMemberRole": async (world, _self, _kind, allowed) => ({
    variables: { input: { userId: (allowed ? await freshPerson(world, "MEMBER") : world.bystander).userId, role: "ADMIN" } },
  }),
  "Mutation.removeTeamMember": async (world, _self, _kind, allowed) => ({
    variables: { userId: (allowed ? await freshPerson(world, "MEMBER") : world.bystander).userId },
  }),
  "Mutation.acceptInvitation": invitationToSelf,
  "Mutation.declineInvitation": invitationToSelf,
  // A newcomer with the caller's role leaves (an owner can, with the world's owner staying).
  "Mutation.leaveTenant": async (world, _self, kind, allowed) => {
    const role = roleOf(kind);
    return role && allowed ? { caller: { token: (await freshPerson(world, role)).token, tenantId: world.tenantId } } : {};
  },
  "Mutation.sendMessage": async (world) => {
    await ensureSandboxWhatsApp(api, world.owner, NUMBER);
    return { variables: { input: { to: CONTACT, text: "permission matrix", idempotencyKey: randomUUID() } } };
  },
  "Mutation.markConversationRead": async () => ({ variables: { contact: CONTACT } }),
  "Mutation.simulateInboundMessage": connected({ variables: { from: CONTACT, text: "a reply in the sandbox" } }),
  "Mutation.connectWhatsApp": async () => ({ variables: { input: { apiKey: "sandbox_permission_matrix", number: NUMBER } } }),
  "Mutation.disconnectWhatsApp": connected(),
  "Mutation.rotateInboundWebhookToken": connected(),
  "Query.webhookEndpoint": async (world) => ({ variables: { id: (await standingEndpoint(world)).endpointId } }),
  "Query.webhookDeliveries": async (world) => ({ variables: { endpointId: (await standingEndpoint(world)).endpointId } }),
  "Mutation.createWebhookEndpoint": async () => ({ variables: { input: { url: "https://hooks.example.invalid/matrix", events: ["MESSAGE_RECEIVED"] } } }),
  "Mutation.updateWebhookEndpoint": async (world) => ({ variables: { id: (await standingEndpoint(world)).endpointId, input: { description: "updated" } } }),
  "Mutation.deleteWebhookEndpoint": async (world, _self, _kind, allowed) => ({
    variables: { id: allowed ? (await createWebhookEndpoint(api, world.owner)).id : (await standingEndpoint(world)).endpointId },
  }),
  "Mutation.rotateWebhookSecret": async (world) => ({ variables: { id: (await standingEndpoint(world)).endpointId } }),
  "Mutation.redeliverWebhook": async (world) => ({ variables: { id: (await standingEndpoint(world)).deliveryId } }),
  "Mutation.recoverWebhookDeliveries": async (world) => ({
    variables: { endpointId: (await standingEndpoint(world)).endpointId, since: new Date(Date.now() - 3_600_000).toISOString() },
  }),
  "Mutation.sendTestWebhook": async (world) => ({ variables: { endpointId: (await standingEndpoint(world)).endpointId } }),
};

/** A value of `type` for operations without a hint: they still run (and may fail for business reasons). */
function sampleValue(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType);
  if (isListType(type)) return [sampleValue(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (isInputObjectType(type)) {
    return Object.fromEntries(Object.values(type.getFields()).flatMap((field) => (isNonNullType(field.type) ? [[field.name, sampleValue(field.type)]] : [])));
  }
  const samples: Record<string, unknown> = { Int: 1, Float: 1, Boolean: true, ID: randomUUID(), DateTimeISO: new Date().toISOString() };
  return samples[type.name] ?? "permission matrix";
}

function fieldOf(operation: string): { root: "Query" | "Mutation"; field: GraphQLField<unknown, unknown> } {
  const [root, name] = operation.split(".") as ["Query" | "Mutation", string];
  const field = (root === "Query" ? schema.getQueryType() : schema.getMutationType())?.getFields()[name!];
  if (!field) throw new Error(`${operation} is not in the schema`);
  return { root, field };
}

/** `mutation ($a: T!) { op(a: $a) { __typename } }`, generated from the field's arguments. */
function documentFor(operation: string): string {
  const { root, field } = fieldOf(operation);
  const definitions = field.args.map((arg) => `$${arg.name}: ${arg.type.toString()}`).join(", ");
  const passed = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(", ");
  const named = getNamedType(field.type);
  const selection = isObjectType(named) || isInterfaceType(named) || isUnionType(named) ? " { __typename }" : "";
  return `${root === "Query" ? "query" : "mutation"} PermissionMatrix${definitions ? `(${definitions})` : ""} { ${field.name}${passed ? `(${passed})` : ""}${selection} }`;
}

function variablesFor(operation: string, given: Record<string, unknown> = {}): Record<string, unknown> {
  const { field } = fieldOf(operation);
  return Object.fromEntries(
    field.args.flatMap((arg) => (arg.name in given ? [[arg.name, given[arg.name]]] : isNonNullType(arg.type) ? [[arg.name, sampleValue(arg.type)]] : [])),
  );
}

// ---------------------------------------------------------------- what came back, as a cell

type Outcome = { code: string; message?: string; field?: string; status?: number; errors?: unknown; data?: unknown };
const REFUSALS = ["UNAUTHENTICATED", "FORBIDDEN"];
const BUSINESS_FAILURES = ["NOT_FOUND", "CONFLICT", "BAD_USER_INPUT", "RATE_LIMITED", "PROVIDER_ERROR"];

/**
 * The cell the outcome amounts to. `strict`: the operation ran with real arguments (a hint, or none
 * needed), so an allowed call must succeed outright; operations filled in generically may fail for a
 * business reason and still count as allowed.
 */
function cellOf(outcome: Outcome, strict: boolean): string {
  if (outcome.code === "UNAUTHENTICATED") return "unauth";
  if (outcome.code === "FORBIDDEN") return "no";
  if (outcome.code === "BAD_USER_INPUT" && outcome.field === "X-Tenant-Id") return "tenant";
  if (outcome.code === "none") return "yes";
  if (!strict && BUSINESS_FAILURES.includes(outcome.code)) return "yes";
  return `failed with ${outcome.code}`;
}

const sessionKind = (kind: CallerKind) => roleOf(kind) !== undefined;

/** What a FORBIDDEN must say for `kind`, given the row it was refused by (see the legend in the document). */
function expectRefusalNamesWhatIsMissing(outcome: Outcome, row: Row, kind: CallerKind, context: string) {
  const message = outcome.message ?? "";
  if (sessionKind(kind)) {
    expect(message, context).toContain(`Your role (${kind})`);
    return;
  }
  const granting = KEY_KINDS.filter((key) => row.cells[key] === "yes").map((key) => scopeOf(key)!);
  if (granting.length === 0) {
    expect(message, context).toContain("API keys act for a tenant, not a person");
    return;
  }
  const listed = message.match(/needs one of: ([A-Z_, ]+)\)/)?.[1]?.split(", ") ?? [];
  expect(`needs one of: ${listed.sort().join(", ")}`, context).toBe(`needs one of: ${granting.sort().join(", ")}`);
}

/** Asserts `outcome` is what `cell` says; `refusal` checks a FORBIDDEN's message. */
function expectCell(cell: Cell, outcome: Outcome, strict: boolean, context: string, refusal: () => void) {
  const detail = `${context}\n${JSON.stringify(outcome.errors ?? outcome, null, 1)}`;
  expect(cellOf(outcome, strict), detail).toBe(cell);
  if (cell === "no") refusal();
}

async function callGraphQL(operation: string, kind: CallerKind, cell: Cell, world: World): Promise<{ outcome: Outcome; strict: boolean }> {
  const self = callerIn(world, kind);
  const hint = HINTS[operation];
  const prepared = hint ? await hint(world, self, kind, cell === "yes") : {};
  const result = await api.graphql(documentFor(operation), variablesFor(operation, prepared.variables), prepared.caller ?? self.caller);
  const error = result.errors?.[0];
  const { field } = fieldOf(operation);
  const data = result.data?.[field.name];
  if (error && REFUSALS.includes(error.extensions?.code ?? "")) expect(data ?? null, `a refused ${operation} answers no data`).toBeNull();
  return {
    outcome: { code: error?.extensions?.code ?? "none", message: error?.message, field: error?.extensions?.field, errors: result.errors, data },
    strict: hint !== undefined || field.args.length === 0,
  };
}

async function callSendMessageRoute(kind: CallerKind, world: World): Promise<Outcome> {
  await ensureSandboxWhatsApp(api, world.owner, NUMBER);
  const { caller } = callerIn(world, kind);
  const response = await fetch(`${api.url}/api/v1/send-message`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "idempotency-key": randomUUID(),
      ...(caller.token ? { authorization: `Bearer ${caller.token}` } : {}),
      ...(caller.tenantId ? { "x-tenant-id": caller.tenantId } : {}),
    },
    body: JSON.stringify({ number: CONTACT, message: "permission matrix over REST" }),
  });
  const body = (await response.json()) as { success?: boolean; error?: { code: string; message: string; field?: string } };
  const expectedStatus: Record<string, number> = { none: 202, UNAUTHENTICATED: 401, FORBIDDEN: 403, BAD_USER_INPUT: 400 };
  const code = body.error?.code ?? (body.success ? "none" : `HTTP ${response.status}`);
  expect(response.status, `HTTP status for ${code}`).toBe(expectedStatus[code] ?? response.status);
  return { code, message: body.error?.message, field: body.error?.field, status: response.status, errors: body };
}

async function callExportRoute(route: string, kind: CallerKind, world: World): Promise<Outcome> {
  const { caller } = callerIn(world, kind);
  const response = await fetch(`${api.url}${route.replace(/^GET /, "")}`, {
    headers: {
      ...(caller.token ? { authorization: `Bearer ${caller.token}` } : {}),
      ...(caller.tenantId ? { "x-tenant-id": caller.tenantId } : {}),
    },
  });
  const text = await response.text();
  if (response.status === 200) {
    expect(text.split("\n")[0]).toBe(EXPORT_ROUTES[route]);
    return { code: "none", status: 200 };
  }
  const body = JSON.parse(text) as { error?: { code: string; message: string; field?: string } };
  const expectedStatus: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, BAD_USER_INPUT: 400 };
  const code = body.error?.code ?? `HTTP ${response.status}`;
  expect(response.status, `HTTP status for ${code}`).toBe(expectedStatus[code] ?? response.status);
  return { code, message: body.error?.message, field: body.error?.field, status: response.status, errors: body };
}

// ---------------------------------------------------------------- rules within operations

const INVITE = `mutation ($input: InviteTeamMemberInput!) { inviteTeamMember(input: $input) { id } }`;
const CHANGE_ROLE = `mutation ($input: ChangeTeamMemberRoleInput!) { changeTeamMemberRole(input: $input) { role } }`;
const REMOVE = `mutation ($userId: ID!) { removeTeamMember(userId: $userId) }`;
const INBOUND_URL = `{ tenant { id whatsapp { number inboundWebhookUrl } } }`;

const toOutcome = (result: Awaited<ReturnType<TestApi["graphql"]>>): Outcome => {
  const error = result.errors?.[0];
  return { code: error?.extensions?.code ?? "none", message: error?.message, field: error?.extensions?.field, errors: result.errors, data: result.data };
};

/** Each rule of the document's second table, as one call. The key names the operation it refines, if any. */
const RULE_CASES: Record<string, { operation?: string; run(world: World, self: Self, allowed: boolean): Promise<Outcome> }> = {
  "inviteTeamMember(role: OWNER)": {
    operation: "Mutation.inviteTeamMember",
    run: async (_world, self) => toOutcome(await api.graphql(INVITE, { input: { email: freshEmail(), role: "OWNER" } }, self.caller)),
  },
  "changeTeamMemberRole(role: OWNER)": {
    operation: "Mutation.changeTeamMemberRole",
    run: async (world, self, allowed) => {
      const target = allowed ? await freshPerson(world, "MEMBER") : world.bystander;
      return toOutcome(await api.graphql(CHANGE_ROLE, { input: { userId: target.userId, role: "OWNER" } }, self.caller));
    },
  },
  "removeTeamMember(userId: an OWNER)": {
    operation: "Mutation.removeTeamMember",
    run: async (world, self, allowed) =>
      toOutcome(await api.graphql(REMOVE, { userId: (allowed ? await freshPerson(world, "OWNER") : world.coOwner).userId }, self.caller)),
  },
  "WhatsAppConnection.inboundWebhookUrl": {
    run: async (world, self) => {
      await ensureSandboxWhatsApp(api, world.owner, NUMBER);
      const result = await api.graphql(INBOUND_URL, {}, self.caller);
      const outcome = toOutcome(result);
      const whatsapp = result.data?.tenant?.whatsapp;
      if (outcome.code === "none") expect(whatsapp?.inboundWebhookUrl, "the URL itself").toMatch(/\/webhooks\/rapiwa\/[A-Za-z0-9_-]{16,}$/);
      if (outcome.code === "FORBIDDEN") {
        // Refused on that field alone: the rest of the answer is there.
        expect(result.errors, "one error").toHaveLength(1);
        expect(result.errors![0]!.path, "the refused field").toEqual(["tenant", "whatsapp", "inboundWebhookUrl"]);
        expect(result.data?.tenant?.id).toBe(world.tenantId);
        expect(whatsapp).toEqual({ number: NUMBER, inboundWebhookUrl: null });
      }
      return outcome;
    },
  },
};

// ---------------------------------------------------------------- the tests

beforeAll(async () => {
  rawApi = await startTestApi({ environment: { TRUST_PROXY: "true" } });
  api = fromManyAddresses(rawApi);
});
afterAll(() => rawApi?.close());

describe(`${DOC} covers the schema`, () => {
  it("has a row for every operation of the schema and every REST route", () => {
    const missing = [...SCHEMA_OPERATIONS, ...REST_ROUTES].filter((name) => !policyOf(name));
    expect(missing.map((name) => `add a row for ${name} to ${DOC}`)).toEqual([]);
  });

  it("has no row for an operation that no longer exists", () => {
    const stale = POLICY.map((row) => row.name).filter((name) => !SCHEMA_OPERATIONS.includes(name) && !REST_ROUTES.includes(name));
    expect(stale.map((name) => `${DOC} has a row for ${name}, which the schema no longer has: remove it`)).toEqual([]);
  });

  it("has rules this test knows how to try, each refining an operation that refuses no more than it", () => {
    expect(RULES.map((rule) => rule.name).sort(), `rules in ${DOC} vs RULE_CASES in this test`).toEqual(Object.keys(RULE_CASES).sort());
    for (const rule of RULES) {
      const operation = RULE_CASES[rule.name]?.operation;
      const row = operation && policyOf(operation);
      if (!row) continue;
      for (const kind of CALLER_KINDS) {
        if (row.cells[kind] !== "yes") expect(rule.cells[kind], `${rule.name} as ${kind}: the operation says ${row.cells[kind]}`).toBe(row.cells[kind]);
      }
    }
  });

  it("uses '-' only for routes that do not consult credentials", () => {
    for (const row of POLICY) {
      const dashes = CALLER_KINDS.filter((kind) => row.cells[kind] === "-");
      expect(dashes.length === 0 || (row.name === WEBHOOK_ROUTE && dashes.length === CALLER_KINDS.length), `${row.name}: ${dashes.join(", ")}`).toBe(true);
    }
  });
});

/** One case per cell, titled "<row> as <caller>: <cell>" (plain text, for `-t`). */
const cases = (rows: Row[]) =>
  rows.flatMap((row) =>
    CALLER_KINDS.map((kind) => [`${row.name} as ${kind}: ${row.cells[kind]}`, { name: row.name, kind, cell: row.cells[kind], row }] as const),
  );

describe.concurrent("permission matrix (docs/permissions.md)", () => {
  const operations = cases(POLICY).filter(([, { name }]) => SCHEMA_OPERATIONS.includes(name));
  it.each(operations)("%s", async (_title, { name, kind, cell, row }) => {
    await inWorld(kind, async (world) => {
      const { outcome, strict } = await callGraphQL(name, kind, cell, world);
      expectCell(cell, outcome, strict, `${name} as ${kind}`, () => expectRefusalNamesWhatIsMissing(outcome, row, kind, `${name} as ${kind}`));
    });
  });

  const restSends = cases(POLICY).filter(([, { name }]) => name === SEND_MESSAGE_ROUTE);
  it.each(restSends)("%s", async (_title, { name, kind, cell, row }) => {
    await inWorld(kind, async (world) => {
      const outcome = await callSendMessageRoute(kind, world);
      expectCell(cell, outcome, true, `${name} as ${kind}`, () => expectRefusalNamesWhatIsMissing(outcome, row, kind, `${name} as ${kind}`));
    });
  });

  const exports = cases(POLICY).filter(([, { name }]) => name in EXPORT_ROUTES);
  it.each(exports)("%s", async (_title, { name, kind, cell, row }) => {
    await inWorld(kind, async (world) => {
      const outcome = await callExportRoute(name, kind, world);
      expectCell(cell, outcome, true, `${name} as ${kind}`, () => expectRefusalNamesWhatIsMissing(outcome, row, kind, `${name} as ${kind}`));
    });
  });

  // Rapiwa calls without our credentials: the token in the path is the credential, whatever else is sent.
  const callbacks = cases(POLICY).filter(([, { name }]) => name === WEBHOOK_ROUTE);
  it.each(callbacks)("%s", async (_title, { kind, cell }) => {
    expect(cell, "credentials are not consulted here").toBe("-");
    await inWorld(kind, async (world) => {
      await ensureSandboxWhatsApp(api, world.owner, NUMBER);
      const read = await api.graphql(INBOUND_URL, {}, { token: world.owner.token });
      const path = new URL(read.data!.tenant.whatsapp.inboundWebhookUrl).pathname;
      const { caller } = callerIn(world, kind);
      const post = (to: string) =>
        fetch(`${api.url}${to}`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(caller.token ? { authorization: `Bearer ${caller.token}` } : {}),
            ...(caller.tenantId ? { "x-tenant-id": caller.tenantId } : {}),
          },
          body: JSON.stringify({ data: { from: CONTACT, message: "a reply through the callback", messageId: randomUUID() } }),
        });
      expect((await post(path)).status, "the connection's own URL").toBe(200);
      expect((await post(`/webhooks/rapiwa/${randomBytes(24).toString("base64url")}`)).status, "an unknown token").toBe(404);
    });
  });
});

describe.concurrent("rules within operations (docs/permissions.md)", () => {
  it.each(cases(RULES))("%s", async (_title, { name, kind, cell, row }) => {
    const ruleCase = RULE_CASES[name];
    if (!ruleCase) throw new Error(`no way to try the rule "${name}": add it to RULE_CASES`);
    await inWorld(kind, async (world) => {
      const outcome = await ruleCase.run(world, callerIn(world, kind), cell === "yes");
      const operationRow = ruleCase.operation ? policyOf(ruleCase.operation) : undefined;
      expectCell(cell, outcome, true, `${name} as ${kind}`, () => {
        // Refused by the operation itself: its refusal. Refused by the rule: the rule's words, if it has any.
        if (operationRow && operationRow.cells[kind] === "no") return expectRefusalNamesWhatIsMissing(outcome, operationRow, kind, name);
        if (row.last) return expect(outcome.message, `${name} as ${kind}`).toContain(row.last);
        expectRefusalNamesWhatIsMissing(outcome, row, kind, `${name} as ${kind}`);
      });
    });
  });
});
