import type { TypedDocumentString } from "./graphql/graphql.ts";

/**
 * What Switchboard answered instead of data. `code` is the error's `extensions.code`, a value of the
 * schema's `enum ErrorCode` (whose descriptions say when each is answered and what to do), or
 * NETWORK_ERROR when no answer arrived at all.
 */
export class SwitchboardError extends Error {
  constructor(
    message: string,
    readonly code: string,
    /** The input field at fault, for BAD_USER_INPUT and CONFLICT (`to`, `idempotencyKey`). */
    readonly field?: string,
    /** When to try again, for UNAVAILABLE and RATE_LIMITED. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "SwitchboardError";
  }

  /** Nothing was done, or the answer was lost: the same request may be sent again (with the same idempotency key). */
  get retryable(): boolean {
    return this.code === "NETWORK_ERROR" || this.code === "UNAVAILABLE" || this.code === "RATE_LIMITED";
  }
}

type GraphQLResponse<Result> = {
  data?: Result | null;
  errors?: { message: string; extensions?: { code?: string; field?: string; retryAfterSeconds?: number } }[];
};

/** Runs one typed operation; its result and variables are typed by the document (GraphQL Code Generator). */
export type SwitchboardClient = <Result, Variables>(
  document: TypedDocumentString<Result, Variables>,
  ...[variables]: Variables extends Record<string, never> ? [] : [Variables]
) => Promise<Result>;

export type ClientOptions = {
  /** The server's address, e.g. `https://switchboard.example.com` (the API is at /graphql). */
  url: string;
  /** An API key, `swb_...`, with the scopes the operations need (MESSAGES_SEND sends and reads the log). */
  apiKey: string;
  /** Defaults to Node's own fetch. */
  fetch?: typeof globalThis.fetch;
};

export function createClient({ url, apiKey, fetch = globalThis.fetch }: ClientOptions): SwitchboardClient {
  const endpoint = new URL("/graphql", url);
  return async (document, ...[variables]) => {
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ query: document.toString(), variables }),
      });
    } catch (error) {
      throw new SwitchboardError(`No answer from ${endpoint.origin}: ${(error as Error).message}`, "NETWORK_ERROR");
    }
    const body = (await response.json().catch(() => null)) as GraphQLResponse<never> | null;
    const error = body?.errors?.[0];
    if (error) {
      const { code = "INTERNAL", field, retryAfterSeconds } = error.extensions ?? {};
      throw new SwitchboardError(error.message, code, field, retryAfterSeconds);
    }
    if (!body?.data) throw new SwitchboardError(`Unexpected answer: HTTP ${response.status}`, response.status === 503 ? "UNAVAILABLE" : "INTERNAL");
    return body.data;
  };
}
