import { createLazyRoute, useNavigate, useSearch } from "@tanstack/react-router";
import { useCurrentMembership } from "../../features/auth/api/current-membership.ts";
import { InboxPage } from "../../features/inbox/components/InboxPage.tsx";

function InboxRoute() {
  const { contact } = useSearch({ from: "/_authenticated/inbox" });
  const navigate = useNavigate();
  const { current } = useCurrentMembership();
  return (
    <InboxPage
      // Another tenant's inbox is another page: its caches and its live feed start over.
      key={current?.tenant.id ?? "none"}
      contact={contact}
      onOpen={(next) => void navigate({ to: "/inbox", search: next ? { contact: next } : {} })}
    />
  );
}

export const Route = createLazyRoute("/_authenticated/inbox")({ component: InboxRoute });
