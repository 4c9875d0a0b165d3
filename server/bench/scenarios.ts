import type { LoadRequest } from "./http-load.ts";

/** What the targets get: the running server and a tenant made through the API like a user would. */
export type BenchContext = {
  baseUrl: string;
  tenantId: string;
  /** Secret of an API key of that tenant (scope MESSAGES_READ). */
  apiKey: string;
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

/** Add new endpoints here (e.g. sendMessage); each is compared with BASELINE. */
export const TARGETS: Target[] = [healthz, graphqlTenant];

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
