import { createLazyRoute, getRouteApi, Link, useRouter } from "@tanstack/react-router";
import { SignUpForm } from "../../features/auth/components/SignUpForm.tsx";
import { safeRedirect } from "../../lib/redirect.ts";
import { AuthLayout } from "../layouts/AuthLayout.tsx";

const route = getRouteApi("/signup");

function SignUpPage() {
  const { redirect } = route.useSearch();
  const router = useRouter();
  return (
    <AuthLayout
      title="Create your account"
      intro="Connect your WhatsApp number and send your first message in a few minutes."
      footer={
        <>
          Already have an account?{" "}
          <Link to="/login" search={redirect ? { redirect } : {}} className="font-medium text-emerald-800 underline underline-offset-2">
            Log in
          </Link>
        </>
      }
    >
      {/* A new company goes to the set-up wizard, unless the person was on their way somewhere (an invitation). */}
      <SignUpForm onSignedUp={() => void router.navigate({ href: redirect ? safeRedirect(redirect) : "/onboarding", replace: true })} />
    </AuthLayout>
  );
}

export const Route = createLazyRoute("/signup")({ component: SignUpPage });
