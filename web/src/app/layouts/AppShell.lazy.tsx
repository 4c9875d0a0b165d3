import { createLazyRoute, Link, Outlet, useRouter, useRouterState } from "@tanstack/react-router";
import { useEffect, useRef, useState } from "react";
import { Button } from "../../components/ui/Button.tsx";
import { Dialog, DialogContent, DialogTrigger } from "../../components/ui/Dialog.tsx";
import { toast } from "../../components/ui/Toast.tsx";
import { useCurrentMembership } from "../../features/auth/api/current-membership.ts";
import { TenantSwitcher } from "../../features/auth/components/TenantSwitcher.tsx";
import { UserMenu } from "../../features/auth/components/UserMenu.tsx";
import { NoCompany } from "./NoCompany.tsx";

/** The sections of the dashboard, in the order the navigation lists them. */
const NAV_ITEMS = [
  { to: "/", label: "Home" },
  { to: "/inbox", label: "Inbox" },
  { to: "/onboarding", label: "Onboarding" },
  { to: "/messages", label: "Message log" },
  { to: "/billing", label: "Billing" },
  { to: "/api-keys", label: "API keys" },
  { to: "/webhooks", label: "Webhooks" },
  { to: "/team", label: "Team" },
  { to: "/settings", label: "Settings" },
] as const;

function NavLinks({ onNavigate }: { onNavigate?: () => void }) {
  return (
    <ul className="space-y-1">
      {NAV_ITEMS.map((item) => (
        <li key={item.to}>
          <Link
            to={item.to}
            activeOptions={{ exact: item.to === "/" }}
            onClick={onNavigate}
            className="block rounded-md px-3 py-2 text-sm font-medium text-zinc-700 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-emerald-600 data-[status=active]:bg-emerald-50 data-[status=active]:text-emerald-900"
          >
            {item.label}
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** On phones the navigation opens from a menu button, as a sheet (focus kept inside, Escape closes). */
function MobileNav() {
  const [open, setOpen] = useState(false);
  // After choosing a page, focus goes to that page (AppShell), not back to the menu button.
  const navigated = useRef(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="sm" className="-ml-2 md:hidden" aria-label="Open navigation">
          <span aria-hidden="true" className="text-lg leading-none">
            ☰
          </span>
        </Button>
      </DialogTrigger>
      <DialogContent
        variant="sheet"
        title="Switchboard"
        description={null}
        onCloseAutoFocus={(event) => {
          if (navigated.current) event.preventDefault();
          navigated.current = false;
        }}
      >
        <nav aria-label="Main">
          <NavLinks
            onNavigate={() => {
              navigated.current = true;
              setOpen(false);
            }}
          />
        </nav>
      </DialogContent>
    </Dialog>
  );
}

/**
 * The logged-in layout: header (company and its switcher, the account menu), the section navigation
 * (a sidebar from 768 px, a sheet below), and the page. Focus moves to the page after each navigation
 * so keyboard and screen-reader users start at the new content.
 */
function AppShell() {
  const router = useRouter();
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  const { me, memberships, current } = useCurrentMembership();
  const suspension = current?.tenant.suspension;
  // Every page acts for a company: someone in none sees how to get back into one instead.
  const companyless = me.data !== undefined && memberships.length === 0;
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    main.current?.focus({ preventScroll: true });
  }, [pathname]);

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
          {!companyless && <MobileNav />}
          <Link to="/" className="shrink-0 font-semibold tracking-tight text-emerald-800">
            Switchboard
          </Link>
          <span aria-hidden="true" className="text-zinc-300">
            /
          </span>
          <div className="min-w-0 flex-1">
            {companyless ? (
              <p className="truncate text-sm text-zinc-600" data-testid="current-tenant">
                No company
              </p>
            ) : (
              <TenantSwitcher
                onSwitched={(companyName) => {
                  toast(`Now acting for ${companyName}`);
                  void router.navigate({ to: "/" });
                }}
              />
            )}
          </div>
          <UserMenu onLoggedOut={() => void router.navigate({ to: "/login", search: { reason: "logged-out" } })} />
        </div>
      </header>
      <div className="mx-auto flex max-w-6xl gap-8 px-4">
        {!companyless && (
          <nav aria-label="Main" className="hidden w-48 shrink-0 py-6 md:block">
            <NavLinks />
          </nav>
        )}
        <main id="main" ref={main} tabIndex={-1} className="min-w-0 flex-1 py-6 focus:outline-none">
          {suspension && (
            <div role="alert" className="mb-6 rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-950" data-testid="suspension-banner">
              <p className="font-semibold">
                Switchboard suspended {current.tenant.companyName} on {new Date(suspension.since).toLocaleDateString(undefined, { dateStyle: "medium" })}
              </p>
              <p className="mt-1">Reason: {suspension.reason}</p>
              <p className="mt-1">
                Sending, API keys and webhook deliveries are paused; messages waiting to be sent and deliveries wait too, and nothing is deleted. Everything
                resumes once Switchboard reactivates the company: reply to Switchboard support about the reason above.
              </p>
            </div>
          )}
          {companyless ? <NoCompany email={me.data.me.email} /> : <Outlet />}
        </main>
      </div>
    </div>
  );
}

export const Route = createLazyRoute("/_authenticated")({ component: AppShell });
