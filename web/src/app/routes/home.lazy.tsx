import { createLazyRoute } from "@tanstack/react-router";
import { PageHeader } from "../../components/ui/PageHeader.tsx";
import { useCurrentMembership } from "../../features/auth/api/current-membership.ts";
import { ApiStatus } from "../../features/health/components/ApiStatus.tsx";
import { SetupChecklist } from "../../features/home/components/SetupChecklist.tsx";

function HomePage() {
  const { current } = useCurrentMembership();
  // The guard loaded `me`, so the membership is known here.
  const canManage = current?.role === "OWNER" || current?.role === "ADMIN";
  return (
    <>
      <PageHeader title="Home" description={current ? `What is left to set up for ${current.tenant.companyName}.` : "What is left to set up."} />
      <div className="space-y-6">
        <SetupChecklist canManage={canManage} />
        <ApiStatus />
      </div>
    </>
  );
}

export const Route = createLazyRoute("/_authenticated/")({ component: HomePage });
