import pg from "pg";
import type { LoadRequest } from "./http-load.ts";
import { connectBenchNumber, createBenchTenant } from "./tenant.ts";

/** What the targets get: the running server and a tenant made through the API like a user would. */
export type BenchContext = {
  baseUrl: string;
  tenantId: string;
  /** Secret of an API key of that tenant (scopes MESSAGES_SEND and MESSAGES_READ). */
  apiKey: string;
  /** The send path's tenants' API keys (that tenant's first), each tenant with a connected number. */
  sendApiKeys: string[];
  /** The bench database, as its owner (for set-up that would take too long through the API). */
  databaseUrl: string;
  /** Tenants a target signed up for itself: their backlogs are dropped before the send path runs. */
  scenarioTenants: string[];
  signal: AbortSignal;
};

/** One endpoint under load. */
export type Target = {
  name: string;
  /** Sends the request once and throws unless the answer is right, then returns it for the load. */
  prepare(context: BenchContext): Promise<LoadRequest>;
};

/** Every connection count runs every target, in this order; results are compared per count. */
export const CONNECTIONS = [16, 64];

/** The cheapest request that still touches the database (SELECT 1): the ratios divide by it. */
export const healthz: Target = {
  name: "GET /healthz",
  async prepare({ baseUrl, signal }) {
    const response = await fetch(new URL("/healthz", baseUrl), { signal });
    const text = await response.text();
    if (response.status !== 200 || (parseJson(text) as { status?: string } | undefined)?.status !== "OK") {
      throw new Error(`GET /healthz answered ${response.status}: ${text}`);
    }
    return { method: "GET", path: "/healthz", verifyBody: (body) => body.includes('"status":"OK"') };
  },
};

/** Trivial query, full path: API key lookup, Apollo + type-graphql, an RLS-scoped transaction. */
export const graphqlTenant: Target = {
  name: "graphql { tenant { id } }",
  async prepare({ baseUrl, apiKey, tenantId, signal }) {
    const request = {
      method: "POST",
      path: "/graphql",
      headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query: "{ tenant { id } }" }),
    } as const;
    const { method, headers, body } = request;
    const response = await fetch(new URL(request.path, baseUrl), { method, headers, body, signal });
    const expected = await response.text();
    // Apollo ends its JSON with a newline: compare the parsed answer.
    if (response.status !== 200 || JSON.stringify(parseJson(expected)) !== JSON.stringify({ data: { tenant: { id: tenantId } } })) {
      throw new Error(`{ tenant { id } } answered ${response.status}: ${expected}`);
    }
    // The answer never changes, so anything else (errors, another tenant) is a bad body.
    return { ...request, verifyBody: (body) => body === expected };
  },
};

export const BASELINE = healthz;

/** How many messages the "already queued" scenario finds waiting on the number before it starts. */
export const PREFILLED_BACKLOG = 20_000;

/**
 * sendMessage for one new tenant with one API key and one number at the default pace (20/s), as a
 * new user would set it up: the backlog grows by nearly everything accepted, and the accept path
 * must not slow down for it. `inline` puts the input in the document instead of variables (the
 * same document every time); `prefill` queues PREFILLED_BACKLOG messages on the number first.
 */
function oneTenantSend(name: string, number: string, { inline = false, prefill = false } = {}): Target {
  return {
    name,
    async prepare({ baseUrl, databaseUrl, scenarioTenants, signal }) {
      const tenant = await createBenchTenant(baseUrl, signal);
      scenarioTenants.push(tenant.tenantId);
      await connectBenchNumber(baseUrl, tenant.sessionToken, number, signal, { rate: "default" });
      if (prefill) await queueBacklog(databaseUrl, tenant.tenantId, PREFILLED_BACKLOG);
      const headers = { "content-type": "application/json", authorization: `Bearer ${tenant.apiKey}` };
      const body = inline
        ? JSON.stringify({ query: 'mutation { sendMessage(input: { to: "+14155550123", text: "bench message" }) { id status } }' })
        : JSON.stringify({
            query: "mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id status } }",
            variables: { input: { to: "+14155550123", text: "bench message" } },
          });
      const verifyBody = (answer: string) => answer.includes('"status":"QUEUED"') && !answer.includes('"errors"');
      const response = await fetch(new URL("/graphql", baseUrl), { method: "POST", headers, body, signal });
      const text = await response.text();
      if (response.status !== 200 || !verifyBody(text)) throw new Error(`${name} answered ${response.status}: ${text}`);
      return { method: "POST", path: "/graphql", headers, body, verifyBody };
    },
  };
}

/** Messages and their jobs written straight into the tables, as if accepted earlier: a paced backlog. */
async function queueBacklog(databaseUrl: string, tenantId: string, count: number) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT set_config('app.tenant_id', $1, false)", [tenantId]);
    await client.query(
      `WITH connection AS (SELECT id, number FROM whatsapp_connections WHERE tenant_id = $1 AND status = 'CONNECTED'),
       inserted AS (
         INSERT INTO messages (tenant_id, id, connection_id, direction, from_number, to_number, contact_number, body, preview, status)
         SELECT $1, gen_random_uuid(), c.id, 'OUTBOUND', c.number, '+14155550123', '+14155550123', 'queued earlier', 'queued earlier', 'QUEUED'
           FROM connection c, generate_series(1, $2)
         RETURNING tenant_id, id, connection_id
       )
       INSERT INTO jobs (tenant_id, id, queue, pace_key) SELECT tenant_id, id, 'send_message', connection_id FROM inserted`,
      [tenantId, count],
    );
  } finally {
    await client.end();
  }
}

export const sendOneTenant = oneTenantSend("sendMessage, 1 tenant at 20/s", "+8801712345697");
export const sendOneTenantInline = oneTenantSend("sendMessage, 1 tenant at 20/s, inlined", "+8801712345698");
export const sendOneTenantBacklog = oneTenantSend(`sendMessage, 1 tenant at 20/s, ${PREFILLED_BACKLOG / 1000}k queued`, "+8801712345699", { prefill: true });

/** Add new endpoints here; each is compared with BASELINE. */
export const TARGETS: Target[] = [healthz, graphqlTenant, sendOneTenant, sendOneTenantInline, sendOneTenantBacklog];

/**
 * The send path's request (run by send-path.ts, not in TARGETS: it also measures the dispatcher
 * and needs connected numbers). Each call queues a new message; the same text over and over is
 * fine without an idempotency key. Connections take the tenants' API keys in turn. Ids differ
 * per answer, so the check is on the status.
 */
export const sendMessage: Target = {
  name: "sendMessage",
  async prepare({ baseUrl, sendApiKeys, signal }) {
    const headersFor = (apiKey: string) => ({ "content-type": "application/json", authorization: `Bearer ${apiKey}` });
    const body = JSON.stringify({
      query: "mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id status } }",
      variables: { input: { to: "+14155550123", text: "bench message" } },
    });
    const verifyBody = (answer: string) => answer.includes('"status":"QUEUED"') && !answer.includes('"errors"');
    for (const apiKey of sendApiKeys) {
      const response = await fetch(new URL("/graphql", baseUrl), { method: "POST", headers: headersFor(apiKey), body, signal });
      const text = await response.text();
      const answer = parseJson(text) as { data?: { sendMessage?: { id?: unknown; status?: unknown } } } | undefined;
      if (response.status !== 200 || !verifyBody(text) || typeof answer?.data?.sendMessage?.id !== "string") {
        throw new Error(`sendMessage answered ${response.status}: ${text}`);
      }
    }
    return { method: "POST", path: "/graphql", headerVariants: sendApiKeys.map(headersFor), body, verifyBody };
  },
};

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
