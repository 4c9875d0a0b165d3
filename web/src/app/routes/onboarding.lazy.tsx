import { useQueryClient } from "@tanstack/react-query";
import { createLazyRoute } from "@tanstack/react-router";
import { useCurrentMembership } from "../../features/auth/api/current-membership.ts";
import { setupProgressQueryOptions } from "../../features/home/api/get-setup-progress.ts";
import { OnboardingPage } from "../../features/onboarding/components/OnboardingPage.tsx";

function OnboardingRoute() {
  const { current } = useCurrentMembership();
  const queryClient = useQueryClient();
  // The guard loaded `me`, so the membership is known here.
  const canManage = current?.role === "OWNER" || current?.role === "ADMIN";
  // Home's checklist reads the same progress: a number connected or a message sent makes it stale.
  return <OnboardingPage canManage={canManage} onProgress={() => void queryClient.invalidateQueries({ queryKey: setupProgressQueryOptions().queryKey })} />;
}

export const Route = createLazyRoute("/_authenticated/onboarding")({ component: OnboardingRoute });
