import type { LoadRequest } from "./http-load.ts";

/** What the targets get: the running server and a tenant made through the API like a user would. */
export type BenchContext = {
  baseUrl: string;
  tenantId: string;
  /** Secret of an API key of that tenant (scopes MESSAGES_SEND and MESSAGES_READ). */
  apiKey: string;
  /** The send path's tenants' API keys (that tenant's first), each tenant with a connected number. */
  sendApiKeys: string[];
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

/** Add new endpoints here; each is compared with BASELINE. */
export const TARGETS: Target[] = [healthz, graphqlTenant];

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
