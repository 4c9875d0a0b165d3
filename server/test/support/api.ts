import type { AddressInfo } from "node:net";
import { loadConfig } from "../../src/config.ts";
import { buildGraphQLSchema } from "../../src/graphql/schema.ts";
import { createApp } from "../../src/http/app.ts";
import { createLogger } from "../../src/logger.ts";
import { createServices, type Services } from "../../src/services.ts";
import { TEST_SECRET, createTestDatabase, type TestDatabase } from "./database.ts";

export type GraphQLResult<T = Record<string, any>> = {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: { code?: string; field?: string; retryAfterSeconds?: number } }[];
  headers: Headers;
};

export type Caller = { token?: string; tenantId?: string; headers?: Record<string, string> };

export type TestApi = {
  url: string;
  database: TestDatabase;
  services: Services;
  /** The server's log lines, when started with `captureLogs`. */
  logs: Record<string, unknown>[];
  /** POSTs one operation to /graphql as `caller`. */
  graphql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, caller?: Caller): Promise<GraphQLResult<T>>;
  close(): Promise<void>;
};

/** The real HTTP server on a free port, on a database of its own. */
export async function startTestApi({
  env = "test",
  environment = {},
  captureLogs = false,
  webDistDir = "/nonexistent",
}: {
  env?: "test" | "production" | "development";
  environment?: Record<string, string>;
  /** Keep the server's JSON log lines (level info) in `logs`. */
  captureLogs?: boolean;
  /** The built dashboard to serve (default: none, API only). */
  webDistDir?: string;
} = {}): Promise<TestApi> {
  const database = await createTestDatabase();
  const config = {
    ...loadConfig({ NODE_ENV: env, SWITCHBOARD_SECRET: TEST_SECRET, DATABASE_URL: database.ownerUrl, LOG_LEVEL: "silent", ...environment }),
    port: 0,
    webDistDir,
  };
  const logs: Record<string, unknown>[] = [];
  const logger = captureLogs
    ? createLogger("info", { write: (line: string) => void logs.push(JSON.parse(line)) })
    : createLogger(process.env.TEST_LOG_LEVEL ?? "silent");
  const services = createServices(config, database.db, logger);
  const app = await createApp({ config, db: database.db, logger, schema: await buildGraphQLSchema(), services });
  await app.listen({ port: 0, host: "127.0.0.1" });
  services.start();
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  return {
    url,
    database,
    services,
    logs,
    async graphql(query, variables, caller = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(caller.token ? { authorization: `Bearer ${caller.token}` } : {}),
          ...(caller.tenantId ? { "x-tenant-id": caller.tenantId } : {}),
          ...caller.headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: any; errors?: any[] };
      return { status: response.status, data: body.data, errors: body.errors, headers: response.headers };
    },
    async close() {
      await app.close();
      await services.stop();
      await database.drop();
    },
  };
}

export const errorCode = (result: GraphQLResult) => result.errors?.[0]?.extensions?.code ?? "none";

/**
 * For set-up calls: the result's data, or an error naming what GraphQL answered, so a failed
 * set-up fails where it happened instead of as a puzzling assertion later.
 */
export function expectData<T = Record<string, any>>(result: GraphQLResult<T>): T {
  if (result.errors?.length || !result.data) throw new Error(`GraphQL call failed (HTTP ${result.status}): ${JSON.stringify(result.errors ?? result.data)}`);
  return result.data;
}

let counter = 0;
/** A fresh, valid sign-up input. */
export function newAccount(label = "user") {
  counter += 1;
  const tag = `${label}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 6)}`;
  return { email: `${tag}@example.com`, password: `correct horse ${tag} battery`, companyName: `Company ${tag}` };
}

const SIGN_UP = `mutation ($input: SignUpInput!) { signUp(input: $input) { token expiresAt user { id email } tenant { id companyName slug } } }`;

export type SignedUp = { token: string; userId: string; tenantId: string; email: string; password: string };

export async function signUp(api: TestApi, label?: string): Promise<SignedUp> {
  const account = newAccount(label);
  const result = await api.graphql(SIGN_UP, { input: account });
  if (!result.data?.signUp) throw new Error(`sign-up failed: ${JSON.stringify(result.errors)}`);
  return { token: result.data.signUp.token, userId: result.data.signUp.user.id, tenantId: result.data.signUp.tenant.id, ...account };
}

export async function createApiKey(api: TestApi, owner: SignedUp, scopes: string[], name = "test key"): Promise<{ id: string; secret: string }> {
  const result = await api.graphql(
    `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }`,
    { input: { name, scopes } },
    { token: owner.token },
  );
  if (!result.data?.createApiKey) throw new Error(`createApiKey failed: ${JSON.stringify(result.errors)}`);
  return { id: result.data.createApiKey.apiKey.id, secret: result.data.createApiKey.secret };
}

export const INVITE_MEMBER = `mutation ($input: InviteTeamMemberInput!) { inviteTeamMember(input: $input) { id email role status } }`;
export const ACCEPT_INVITATION = `mutation ($id: ID!) { acceptInvitation(id: $id) { role tenant { id } } }`;

/**
 * Set-up: `inviter` (a session or a TENANT_ADMIN key, acting for `tenantId`) invites `member`, who
 * accepts. Throws unless both calls succeed as expected. Returns the member acting for that tenant.
 */
export async function addMember(
  api: TestApi,
  inviter: { token: string; tenantId: string },
  member: SignedUp,
  role: "OWNER" | "ADMIN" | "MEMBER",
): Promise<SignedUp & { invitationId: string }> {
  const invitationId = await invite(api, inviter, member.email, role);
  const accepted = await api.graphql(ACCEPT_INVITATION, { id: invitationId }, { token: member.token });
  const membership = accepted.data?.acceptInvitation;
  if (!membership || membership.role !== role || membership.tenant.id !== inviter.tenantId) {
    throw new Error(`acceptInvitation failed: ${JSON.stringify(accepted)}`);
  }
  return { ...member, tenantId: inviter.tenantId, invitationId };
}

export { SIGN_UP };

/**
 * `api` whose every GraphQL request comes from an address of its own (`X-Forwarded-For`; start the
 * server with `TRUST_PROXY=true`): for suites that sign up more accounts than one address may.
 */
export function fromManyAddresses(api: TestApi): TestApi {
  let next = 0;
  return {
    ...api,
    graphql(query, variables, caller = {}) {
      next += 1;
      const address = `198.18.${(next >> 8) & 255}.${next & 255}`;
      return api.graphql(query, variables, { ...caller, headers: { "x-forwarded-for": address, ...caller.headers } });
    },
  };
}

/** Set-up: a new session for an existing account. Throws unless the log-in succeeds. */
export async function logIn(api: TestApi, account: { email: string; password: string }): Promise<string> {
  const result = await api.graphql(`mutation ($input: LogInInput!) { logIn(input: $input) { token } }`, {
    input: { email: account.email, password: account.password },
  });
  if (!result.data?.logIn) throw new Error(`logIn failed: ${JSON.stringify(result.errors)}`);
  return result.data.logIn.token;
}

/** Set-up: `inviter` invites `email` as `role`; returns the pending invitation's id. Throws otherwise. */
export async function invite(api: TestApi, inviter: { token: string; tenantId: string }, email: string, role: "OWNER" | "ADMIN" | "MEMBER"): Promise<string> {
  const invited = await api.graphql(INVITE_MEMBER, { input: { email, role } }, { token: inviter.token, tenantId: inviter.tenantId });
  const invitation = invited.data?.inviteTeamMember;
  if (!invitation || invitation.status !== "PENDING" || invitation.role !== role) throw new Error(`inviteTeamMember failed: ${JSON.stringify(invited)}`);
  return invitation.id;
}

/** Set-up: connects a sandbox number (test and development only) unless one is connected. Throws on failure. */
export async function ensureSandboxWhatsApp(api: TestApi, owner: { token: string; tenantId: string }, number = "+8801711000001"): Promise<void> {
  const caller = { token: owner.token, tenantId: owner.tenantId };
  const current = await api.graphql(`{ tenant { whatsapp { status number } } }`, {}, caller);
  if (!current.data?.tenant) throw new Error(`tenant failed: ${JSON.stringify(current.errors)}`);
  if (current.data.tenant.whatsapp?.status === "CONNECTED") return;
  const connected = await api.graphql(
    `mutation ($input: ConnectWhatsAppInput!) { connectWhatsApp(input: $input) { status } }`,
    { input: { apiKey: "sandbox_test", number } },
    caller,
  );
  if (connected.data?.connectWhatsApp?.status !== "CONNECTED") throw new Error(`connectWhatsApp failed: ${JSON.stringify(connected.errors)}`);
}

export const CREATE_WEBHOOK_ENDPOINT = `mutation ($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { secret endpoint { id url description events enabled disabledReason createdAt } }
}`;

/**
 * Set-up: a webhook endpoint of `owner`'s tenant (a session, or a TENANT_ADMIN key). Throws on failure.
 * The default URL is under `.invalid` (RFC 2606), which never resolves: a delivery never leaves the machine.
 */
export async function createWebhookEndpoint(
  api: TestApi,
  owner: { token: string; tenantId?: string },
  input: { url?: string; events?: string[]; description?: string } = {},
): Promise<{ id: string; secret: string }> {
  const result = await api.graphql(
    CREATE_WEBHOOK_ENDPOINT,
    { input: { url: `https://hooks.example.invalid/${randomTag()}`, ...input } },
    { token: owner.token, tenantId: owner.tenantId },
  );
  const created = result.data?.createWebhookEndpoint;
  if (!created) throw new Error(`createWebhookEndpoint failed: ${JSON.stringify(result.errors)}`);
  return { id: created.endpoint.id, secret: created.secret };
}

/** Set-up: queues a test event to the endpoint; returns the delivery's id. Throws on failure. */
export async function sendTestWebhook(api: TestApi, owner: { token: string; tenantId?: string }, endpointId: string): Promise<string> {
  const result = await api.graphql(
    `mutation ($id: ID!) { sendTestWebhook(endpointId: $id) { id } }`,
    { id: endpointId },
    { token: owner.token, tenantId: owner.tenantId },
  );
  const delivery = result.data?.sendTestWebhook;
  if (!delivery) throw new Error(`sendTestWebhook failed: ${JSON.stringify(result.errors)}`);
  return delivery.id;
}

const randomTag = () => Math.random().toString(36).slice(2, 10);
