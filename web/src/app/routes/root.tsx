import { Link, Outlet, useRouter, type ErrorComponentProps } from "@tanstack/react-router";
import { buttonClasses } from "../../components/ui/Button.tsx";
import { ErrorDisplay } from "../../components/ui/ErrorDisplay.tsx";
import { Skeleton } from "../../components/ui/Skeleton.tsx";
import { usePageTitle } from "../../lib/page-title.ts";

// The parts of the app shown before any page's own chunk has loaded: kept small (initial bundle).

export function RootLayout() {
  return <Outlet />;
}

export function NotFoundPage() {
  usePageTitle("Page not found");
  return (
    <main className="mx-auto max-w-md px-4 py-16 text-center">
      <h1 className="text-2xl font-semibold text-zinc-900">Page not found</h1>
      <p className="mt-2 text-zinc-600">There is no page at this address. It may have moved, or the link may be mistyped.</p>
      <Link to="/" className={buttonClasses("primary", "md") + " mt-6"}>
        Go to the dashboard
      </Link>
    </main>
  );
}

/** A page (or the app) could not load: what went wrong, and a way to try again. */
export function RouteError({ error, reset }: ErrorComponentProps) {
  const router = useRouter();
  usePageTitle("Something went wrong");
  return (
    <div className="mx-auto max-w-lg px-4 py-10">
      <h1 className="sr-only">Something went wrong</h1>
      <ErrorDisplay
        error={error}
        onRetry={() => {
          reset();
          void router.invalidate();
        }}
      />
    </div>
  );
}

/** While a page's chunk or data loads (shown only if that takes over 300 ms): its outline. */
export function PagePending() {
  return (
    <div aria-busy="true" className="space-y-4">
      <span className="sr-only" role="status">
        Loading…
      </span>
      <Skeleton className="h-8 w-48" />
      <Skeleton className="h-4 w-80 max-w-full" />
      <Skeleton className="mt-6 h-40 w-full" />
    </div>
  );
}

/** While the session is checked on the first load: the shell's outline, so the real one replaces it in place. */
export function ShellPending() {
  return (
    <div className="min-h-dvh bg-zinc-50" aria-busy="true">
      <span className="sr-only" role="status">
        Loading your dashboard…
      </span>
      <div className="h-14 border-b border-zinc-200 bg-white" />
    </div>
  );
}
