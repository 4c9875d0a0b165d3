import { createLazyRoute, getRouteApi, useNavigate } from "@tanstack/react-router";
import { MessageLogPage } from "../../features/message-log/components/MessageLogPage.tsx";
import { useSelectedTenantId } from "../../lib/tenant-selection.ts";

const route = getRouteApi("/_authenticated/messages");

function MessagesRoute() {
  const search = route.useSearch();
  const navigate = useNavigate();
  const tenantId = useSelectedTenantId();
  return <MessageLogPage search={search} tenantId={tenantId} onSearch={(next) => void navigate({ to: "/messages", search: next })} />;
}

export const Route = createLazyRoute("/_authenticated/messages")({ component: MessagesRoute });
