import { createLazyRoute } from "@tanstack/react-router";
import { useCurrentMembership } from "../../features/auth/api/current-membership.ts";
import { ApiKeysPage } from "../../features/api-keys/components/ApiKeysPage.tsx";

function ApiKeysRoute() {
  const { current } = useCurrentMembership();
  // The guard loaded `me`, so the membership is known here. Keys: OWNER or ADMIN (server/schema.graphql).
  const canManage = current?.role === "OWNER" || current?.role === "ADMIN";
  return <ApiKeysPage canManage={canManage} companyName={current?.tenant.companyName} />;
}

export const Route = createLazyRoute("/_authenticated/api-keys")({ component: ApiKeysRoute });
