import { useQueryClient } from "@tanstack/react-query";
import { createLazyRoute, useNavigate } from "@tanstack/react-router";
import { toast } from "../../components/ui/Toast.tsx";
import { useCurrentMembership } from "../../features/auth/api/current-membership.ts";
import { ME_QUERY_KEY } from "../../features/auth/api/me.ts";
import { useSwitchTenant } from "../../features/auth/api/switch-tenant.ts";
import { TeamPage } from "../../features/team/components/TeamPage.tsx";

function TeamRoute() {
  const { me, memberships, current } = useCurrentMembership();
  const queryClient = useQueryClient();
  const switchTenant = useSwitchTenant();
  const navigate = useNavigate();
  // The guard loaded `me`, so the membership is known here.
  if (!me.data || !current) return null;

  const onLeft = async () => {
    toast(`You left ${current.tenant.companyName}`);
    const next = memberships.find((membership) => membership.tenant.id !== current.tenant.id);
    if (next) await switchTenant(next.tenant.id);
    await queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY });
    await navigate({ to: "/" });
  };
  return (
    <TeamPage
      key={current.tenant.id}
      viewer={{ userId: me.data.me.id, role: current.role }}
      companyName={current.tenant.companyName}
      onLeft={() => void onLeft()}
      onJoined={() => void queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY })}
    />
  );
}

export const Route = createLazyRoute("/_authenticated/team")({ component: TeamRoute });
