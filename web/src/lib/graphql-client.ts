import type { TypedDocumentString } from "../graphql/graphql.ts";

export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** Runs a typed document against /graphql; the session cookie rides along (same origin). */
export async function executeGraphQL<Result, Variables>(
  document: TypedDocumentString<Result, Variables>,
  ...[variables]: Variables extends Record<string, never> ? [] : [Variables]
): Promise<Result> {
  const response = await fetch("/graphql", {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json, application/json" },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  const body = (await response.json().catch(() => null)) as { data?: Result; errors?: { message: string; extensions?: { code?: string } }[] } | null;
  const firstError = body?.errors?.[0];
  if (firstError) throw new GraphQLRequestError(firstError.message, firstError.extensions?.code);
  if (!response.ok || !body?.data) throw new GraphQLRequestError(`The server answered ${response.status}`, undefined);
  return body.data;
}
