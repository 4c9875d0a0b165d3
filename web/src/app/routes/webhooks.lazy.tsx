import { createLazyRoute } from "@tanstack/react-router";
import { useCurrentMembership } from "../../features/auth/api/current-membership.ts";
import { WebhooksPage } from "../../features/webhooks/components/WebhooksPage.tsx";

function WebhooksRoute() {
  const { current } = useCurrentMembership();
  // The guard loaded `me`, so the membership is known here. Webhooks: OWNER or ADMIN (server/schema.graphql).
  const canManage = current?.role === "OWNER" || current?.role === "ADMIN";
  return <WebhooksPage key={current?.tenant.id} canManage={canManage} companyName={current?.tenant.companyName} />;
}

export const Route = createLazyRoute("/_authenticated/webhooks")({ component: WebhooksRoute });
