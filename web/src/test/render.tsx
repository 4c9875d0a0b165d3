import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactElement } from "react";

/** Renders `ui` with a fresh query cache that does not retry, so failures show at once. */
export function renderWithQueries(ui: ReactElement) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(<QueryClientProvider client={queryClient}>{ui}</QueryClientProvider>);
}

/** A fetch that answers /graphql with `body` (as JSON) and `status`, recording the requests. */
export function fakeGraphQLFetch(respond: (request: { query: string; variables?: unknown }) => { status?: number; body: unknown }) {
  const requests: { query: string; variables?: unknown }[] = [];
  const fetch = async (_input: RequestInfo | URL, init?: RequestInit) => {
    const request = JSON.parse(String(init?.body)) as { query: string; variables?: unknown };
    requests.push(request);
    const { status = 200, body } = respond(request);
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  };
  return { fetch, requests };
}
