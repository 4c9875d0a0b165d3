import type { TypedDocumentString } from "../graphql/graphql.ts";
import { selectTenant, selectedTenantId } from "./tenant-selection.ts";

/** The server's `extensions.code` values (README, "Errors"), and NETWORK for a request that got no usable answer. */
export type ErrorCode =
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "BAD_USER_INPUT"
  | "NOT_FOUND"
  | "CONFLICT"
  | "RATE_LIMITED"
  | "PROVIDER_ERROR"
  | "UNAVAILABLE"
  | "TIMEOUT"
  | "INTERNAL"
  | "NETWORK";

type GraphQLErrorBody = { message: string; extensions?: { code?: string; field?: string; retryAfterSeconds?: number } };

/** A failed request, with what the server said about it: forms use `field`, waits use `retryAfterSeconds`. */
export class GraphQLRequestError extends Error {
  override name = "GraphQLRequestError";
  readonly code: ErrorCode;
  /** The input at fault as the server names it (`input.password`, `X-Tenant-Id`). */
  readonly field: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  /** `X-Request-Id` of the answer: the reference our logs are searchable by. */
  readonly requestId: string | undefined;

  constructor(message: string, details: { code: ErrorCode; field?: string; retryAfterSeconds?: number; requestId?: string | null }) {
    super(message);
    this.code = details.code;
    this.field = details.field;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.requestId = details.requestId ?? undefined;
  }
}

const KNOWN_CODES = new Set<string>([
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "BAD_USER_INPUT",
  "NOT_FOUND",
  "CONFLICT",
  "RATE_LIMITED",
  "PROVIDER_ERROR",
  "UNAVAILABLE",
  "TIMEOUT",
  "INTERNAL",
]);

function errorFrom(body: GraphQLErrorBody, requestId: string | null): GraphQLRequestError {
  const { code, field, retryAfterSeconds } = body.extensions ?? {};
  return new GraphQLRequestError(body.message, {
    code: code && KNOWN_CODES.has(code) ? (code as ErrorCode) : "INTERNAL",
    ...(typeof field === "string" ? { field } : {}),
    ...(typeof retryAfterSeconds === "number" ? { retryAfterSeconds } : {}),
    requestId,
  });
}

async function post(body: string, tenantId: string | null): Promise<{ response: Response; json: { data?: unknown; errors?: GraphQLErrorBody[] } | null }> {
  let response: Response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json, application/json",
        ...(tenantId ? { "x-tenant-id": tenantId } : {}),
      },
      body,
    });
  } catch {
    throw new GraphQLRequestError("Could not reach Switchboard.", { code: "NETWORK" });
  }
  const json = (await response.json().catch(() => null)) as { data?: unknown; errors?: GraphQLErrorBody[] } | null;
  return { response, json };
}

/**
 * Runs a typed document against /graphql. The session cookie rides along (same origin) and the chosen
 * tenant goes as X-Tenant-Id. The first error of the answer is thrown as a GraphQLRequestError.
 */
export async function executeGraphQL<Result, Variables>(
  document: TypedDocumentString<Result, Variables>,
  ...[variables]: Variables extends Record<string, never> ? [] : [Variables]
): Promise<Result> {
  const body = JSON.stringify({ query: document.toString(), variables });
  const tenantId = selectedTenantId();
  let { response, json } = await post(body, tenantId);
  // The stored tenant is no longer one of this person's (they left it, or another person logs in
  // here): forget it and act for their default tenant rather than failing every request.
  if (tenantId && json?.errors?.[0]?.extensions?.field === "X-Tenant-Id") {
    selectTenant(null);
    ({ response, json } = await post(body, null));
  }
  const requestId = response.headers.get("x-request-id");
  const firstError = json?.errors?.[0];
  if (firstError) throw errorFrom(firstError, requestId);
  if (!response.ok || !json?.data) {
    throw new GraphQLRequestError(`Switchboard answered with HTTP ${response.status}.`, { code: "NETWORK", requestId });
  }
  return json.data as Result;
}
