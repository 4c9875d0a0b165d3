import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactElement } from "react";

/** Renders `ui` with a fresh query cache that does not retry, so failures show at once. */
export function renderWithQueries(ui: ReactElement) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return { queryClient, ...render(<QueryClientProvider client={queryClient}>{ui}</QueryClientProvider>) };
}

export type FakeRequest = { query: string; variables?: Record<string, unknown>; operationName: string | undefined; headers: Headers };
export type FakeAnswer = { status?: number; body: unknown; headers?: Record<string, string> };

/** A fetch that answers /graphql with `body` (as JSON) and `status`, recording the requests. */
export function fakeGraphQLFetch(respond: (request: FakeRequest) => FakeAnswer) {
  const requests: FakeRequest[] = [];
  const fetch = async (_input: RequestInfo | URL, init?: RequestInit) => {
    const { query, variables } = JSON.parse(String(init?.body)) as { query: string; variables?: Record<string, unknown> };
    const request = { query, variables, operationName: /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1], headers: new Headers(init?.headers) };
    requests.push(request);
    const { status = 200, body, headers = {} } = respond(request);
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
  };
  return { fetch, requests };
}

/** A GraphQL error answer, as the server shapes it (`extensions.code`, `field`, `retryAfterSeconds`). */
export const graphQLError = (code: string, message: string, extensions: Record<string, unknown> = {}): FakeAnswer => ({
  body: { errors: [{ message, extensions: { code, ...extensions } }], data: null },
});

/** Answers by operation name; an operation without an answer fails the test. */
export function answerOperations(answers: Record<string, FakeAnswer | ((request: FakeRequest) => FakeAnswer)>) {
  return fakeGraphQLFetch((request) => {
    const answer = request.operationName ? answers[request.operationName] : undefined;
    if (!answer) throw new Error(`no answer for the operation ${request.operationName ?? request.query}`);
    return typeof answer === "function" ? answer(request) : answer;
  });
}
