import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { ME_QUERY_KEY } from "../features/auth/api/me.ts";
import { isUnauthenticated } from "../lib/errors.ts";
import { GraphQLRequestError } from "../lib/graphql-client.ts";
import "../lib/query-meta.ts";

/** Worth asking again by itself: the request got no answer, or the database was briefly away. */
const transient = (error: unknown) => error instanceof GraphQLRequestError && (error.code === "NETWORK" || error.code === "UNAVAILABLE");

/**
 * The app's query cache. `onSessionEnded` runs when a request of someone who was logged in (their
 * `me` is cached) is answered UNAUTHENTICATED: the session expired, was logged out elsewhere, or revoked.
 */
export function createAppQueryClient({ onSessionEnded }: { onSessionEnded: () => void }): QueryClient {
  const wasLoggedIn = () => queryClient.getQueryData(ME_QUERY_KEY) !== undefined;
  const queryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error) => {
        if (isUnauthenticated(error) && wasLoggedIn()) onSessionEnded();
      },
    }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => {
        if (isUnauthenticated(error) && !mutation.meta?.handlesUnauthenticated && wasLoggedIn()) onSessionEnded();
      },
    }),
    defaultOptions: {
      queries: { staleTime: 30_000, retry: (failures, error) => transient(error) && failures < 2 },
      mutations: { retry: false },
    },
  });
  return queryClient;
}
