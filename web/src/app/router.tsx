import type { QueryClient } from "@tanstack/react-query";
import { createRootRouteWithContext, createRoute, createRouter, redirect, type RouterHistory } from "@tanstack/react-router";
import { meQueryOptions } from "../features/auth/api/me.ts";
import { validateMessageLogSearch } from "../features/message-log/search.ts";
import { setupProgressQueryOptions } from "../features/home/api/get-setup-progress.ts";
import { isUnauthenticated } from "../lib/errors.ts";
import { safeRedirect } from "../lib/redirect.ts";
import { createAppQueryClient } from "./query-client.ts";
import { NotFoundPage, RootLayout, RouteError, PagePending, ShellPending } from "./routes/root.tsx";

// The route tree. Each page's component is a lazy chunk (routes/*.lazy.tsx) loaded when it is first
// opened; what stays here, in the initial bundle, is each route's path, its search parameters and the
// guard. To add a page: a route below (under `authenticatedRoute` for logged-in pages), its
// `routes/<name>.lazy.tsx` with `createLazyRoute("/_authenticated/<path>")({ component })`, and a link in
// layouts/AppShell.lazy.tsx's NAV_ITEMS. A page's `loader` may start its first request (prefetchQuery,
// not awaited) so that it runs while the page's chunk loads, as Home's does.

export type RouterContext = { queryClient: QueryClient };

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: RootLayout,
  notFoundComponent: NotFoundPage,
});

/** Why the log-in page is shown, said on it; `redirect`: where to go once logged in. */
export type LogInSearch = { redirect?: string; reason?: "session-ended" | "logged-out" };

const logInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/login",
  validateSearch: (search: Record<string, unknown>): LogInSearch => ({
    ...(typeof search.redirect === "string" ? { redirect: search.redirect } : {}),
    ...(search.reason === "session-ended" || search.reason === "logged-out" ? { reason: search.reason } : {}),
  }),
  // Someone already logged in (known in this tab) goes where they meant to.
  beforeLoad: ({ context, search }) => {
    if (context.queryClient.getQueryData(meQueryOptions().queryKey)) throw redirect({ href: safeRedirect(search.redirect) });
  },
}).lazy(() => import("./routes/login.lazy.tsx").then((module) => module.Route));

const signUpRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/signup",
  validateSearch: (search: Record<string, unknown>): { redirect?: string } => (typeof search.redirect === "string" ? { redirect: search.redirect } : {}),
}).lazy(() => import("./routes/signup.lazy.tsx").then((module) => module.Route));

/** `me` (from the cache, or loaded); without a session, off to /login?redirect=<href>, and back there after. */
async function loggedInOrToLogIn(context: RouterContext, href: string) {
  try {
    return await context.queryClient.ensureQueryData(meQueryOptions());
  } catch (error) {
    if (isUnauthenticated(error)) throw redirect({ to: "/login", search: { redirect: href } });
    throw error;
  }
}

/**
 * Every page behind it needs a logged-in person: `me` is loaded (or taken from the cache) first, and
 * without a session the visitor goes to /login?redirect=<this page>, and comes back here after logging in.
 */
const authenticatedRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: "_authenticated",
  beforeLoad: async ({ context, location }) => {
    const me = await loggedInOrToLogIn(context, location.href);
    // Switchboard staff act in no company: their place is the support console.
    if (me.me.platformRole) throw redirect({ to: "/support" });
  },
  pendingComponent: ShellPending,
  errorComponent: RouteError,
}).lazy(() => import("./layouts/AppShell.lazy.tsx").then((module) => module.Route));

const homeRoute = createRoute({
  getParentRoute: () => authenticatedRoute,
  path: "/",
  // Starts the page's request while its chunk loads (not awaited: the page shows its own loading state).
  loader: ({ context }) => void context.queryClient.prefetchQuery(setupProgressQueryOptions()),
}).lazy(() => import("./routes/home.lazy.tsx").then((module) => module.Route));
const onboardingRoute = createRoute({ getParentRoute: () => authenticatedRoute, path: "/onboarding" }).lazy(() =>
  import("./routes/onboarding.lazy.tsx").then((module) => module.Route),
);
const apiKeysRoute = createRoute({ getParentRoute: () => authenticatedRoute, path: "/api-keys" }).lazy(() =>
  import("./routes/api-keys.lazy.tsx").then((module) => module.Route),
);
const inboxRoute = createRoute({
  getParentRoute: () => authenticatedRoute,
  path: "/inbox",
  // The open conversation, as ?contact=+14155550123: a link to it works, and Back closes it.
  validateSearch: (search: Record<string, unknown>): { contact?: string } => (typeof search.contact === "string" ? { contact: search.contact } : {}),
}).lazy(() => import("./routes/inbox.lazy.tsx").then((module) => module.Route));
const webhooksRoute = createRoute({ getParentRoute: () => authenticatedRoute, path: "/webhooks" }).lazy(() =>
  import("./routes/webhooks.lazy.tsx").then((module) => module.Route),
);
const webhookEndpointRoute = createRoute({ getParentRoute: () => authenticatedRoute, path: "/webhooks/$endpointId" }).lazy(() =>
  import("./routes/webhook-endpoint.lazy.tsx").then((module) => module.Route),
);
const teamRoute = createRoute({ getParentRoute: () => authenticatedRoute, path: "/team" }).lazy(() =>
  import("./routes/team.lazy.tsx").then((module) => module.Route),
);
const settingsRoute = createRoute({ getParentRoute: () => authenticatedRoute, path: "/settings" }).lazy(() =>
  import("./routes/settings.lazy.tsx").then((module) => module.Route),
);

const messagesRoute = createRoute({ getParentRoute: () => authenticatedRoute, path: "/messages", validateSearch: validateMessageLogSearch }).lazy(() =>
  import("./routes/messages.lazy.tsx").then((module) => module.Route),
);
const billingRoute = createRoute({ getParentRoute: () => authenticatedRoute, path: "/billing" }).lazy(() =>
  import("./routes/billing.lazy.tsx").then((module) => module.Route),
);
/** The support console, for Switchboard staff only (others go to the dashboard), outside the dashboard's shell. */
const supportRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/support",
  beforeLoad: async ({ context, location }) => {
    const me = await loggedInOrToLogIn(context, location.href);
    if (!me.me.platformRole) throw redirect({ to: "/" });
  },
  pendingComponent: ShellPending,
  errorComponent: RouteError,
}).lazy(() => import("./routes/support.lazy.tsx").then((module) => module.Route));

const routeTree = rootRoute.addChildren([
  logInRoute,
  signUpRoute,
  supportRoute,
  authenticatedRoute.addChildren([
    homeRoute,
    inboxRoute,
    onboardingRoute,
    messagesRoute,
    billingRoute,
    apiKeysRoute,
    webhooksRoute,
    webhookEndpointRoute,
    teamRoute,
    settingsRoute,
  ]),
]);

/**
 * The router and its query cache, made together: a request answered UNAUTHENTICATED for someone who
 * was logged in empties the cache and sends them to log in again, then back to the page they were on.
 */
export function createAppRouter({ history }: { history?: RouterHistory } = {}) {
  let ending = false;
  const queryClient = createAppQueryClient({
    onSessionEnded: () => {
      const { pathname, href } = router.state.location;
      if (ending || pathname === "/login" || pathname === "/signup") return;
      ending = true;
      queryClient.removeQueries();
      void router.navigate({ to: "/login", search: { redirect: href, reason: "session-ended" }, replace: true }).finally(() => {
        // Again once the pages are gone: one still on screen meanwhile may have asked for its data anew.
        queryClient.removeQueries();
        ending = false;
      });
    },
  });
  const router = createRouter({
    routeTree,
    context: { queryClient },
    ...(history ? { history } : {}),
    defaultPreload: "intent",
    // The query cache decides freshness; the router just asks it.
    defaultPreloadStaleTime: 0,
    defaultPendingComponent: PagePending,
    defaultPendingMs: 300,
    defaultPendingMinMs: 300,
    defaultErrorComponent: RouteError,
    scrollRestoration: true,
  });
  return { router, queryClient };
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof createAppRouter>["router"];
  }
}
