import { createLazyRoute, useRouter } from "@tanstack/react-router";
import { UserMenu } from "../../features/auth/components/UserMenu.tsx";
import { SupportConsole } from "../../features/support/components/SupportConsole.tsx";

/** Switchboard staff's console: its own layout, apart from the tenant dashboard (no company, no switcher). */
function SupportRoute() {
  const router = useRouter();
  return (
    <div className="min-h-dvh bg-zinc-50">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-white px-3 py-2 text-sm font-medium focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:outline-2 focus:outline-emerald-600"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-30 h-14 border-b border-zinc-200 bg-white">
        <div className="mx-auto flex h-full max-w-6xl items-center gap-2 px-4 sm:gap-3">
          <span className="shrink-0 font-semibold tracking-tight text-emerald-800">Switchboard</span>
          <span aria-hidden="true" className="text-zinc-300">
            /
          </span>
          <p className="min-w-0 flex-1 truncate text-sm text-zinc-700">Support</p>
          <UserMenu onLoggedOut={() => void router.navigate({ to: "/login", search: { reason: "logged-out" } })} />
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto max-w-6xl px-4 py-6 focus:outline-none">
        <SupportConsole />
      </main>
    </div>
  );
}

export const Route = createLazyRoute("/support")({ component: SupportRoute });
