import { createLazyRoute } from "@tanstack/react-router";
import { useCurrentMembership } from "../../features/auth/api/current-membership.ts";
import { EndpointPage } from "../../features/webhooks/components/EndpointPage.tsx";

function WebhookEndpointRoute() {
  const { endpointId } = Route.useParams();
  const { current } = useCurrentMembership();
  const canManage = current?.role === "OWNER" || current?.role === "ADMIN";
  return <EndpointPage key={`${current?.tenant.id} ${endpointId}`} endpointId={endpointId} canManage={canManage} companyName={current?.tenant.companyName} />;
}

export const Route = createLazyRoute("/_authenticated/webhooks/$endpointId")({ component: WebhookEndpointRoute });
