import { createLazyRoute, getRouteApi, Link, useRouter } from "@tanstack/react-router";
import { Notice } from "../../components/ui/Notice.tsx";
import { LogInForm } from "../../features/auth/components/LogInForm.tsx";
import { safeRedirect } from "../../lib/redirect.ts";
import { AuthLayout } from "../layouts/AuthLayout.tsx";

const route = getRouteApi("/login");

const REASONS = {
  "session-ended": "Your session ended; log in again.",
  "logged-out": "You have logged out.",
} as const;

function LogInPage() {
  const { redirect, reason } = route.useSearch();
  const router = useRouter();
  return (
    <AuthLayout
      title="Log in"
      intro="Welcome back to your WhatsApp dashboard."
      footer={
        <>
          New to Switchboard?{" "}
          <Link to="/signup" search={redirect ? { redirect } : {}} className="font-medium text-emerald-800 underline underline-offset-2">
            Create an account
          </Link>
        </>
      }
    >
      {reason && (
        <Notice tone={reason === "session-ended" ? "warning" : "info"} className="mb-5">
          {REASONS[reason]}
        </Notice>
      )}
      <LogInForm onLoggedIn={() => void router.navigate({ href: safeRedirect(redirect), replace: true })} />
    </AuthLayout>
  );
}

export const Route = createLazyRoute("/login")({ component: LogInPage });
