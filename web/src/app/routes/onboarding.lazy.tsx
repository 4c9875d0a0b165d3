import { createLazyRoute } from "@tanstack/react-router";
import { OnboardingPage } from "../../features/onboarding/components/OnboardingPage.tsx";

export const Route = createLazyRoute("/_authenticated/onboarding")({ component: OnboardingPage });
