import { createLazyRoute } from "@tanstack/react-router";
import { useCurrentMembership } from "../../features/auth/api/current-membership.ts";
import { SettingsPage } from "../../features/settings/components/SettingsPage.tsx";

function SettingsRoute() {
  const { current } = useCurrentMembership();
  // The guard loaded `me`, so the membership is known here.
  return <SettingsPage key={current?.tenant.id} canManage={current?.role === "OWNER" || current?.role === "ADMIN"} />;
}

export const Route = createLazyRoute("/_authenticated/settings")({ component: SettingsRoute });
