import { Button } from "../../../components/ui/Button.tsx";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuTrigger,
} from "../../../components/ui/DropdownMenu.tsx";
import { Skeleton } from "../../../components/ui/Skeleton.tsx";
import { useCurrentMembership } from "../api/current-membership.ts";
import { useSwitchTenant } from "../api/switch-tenant.ts";

const ROLE_NAMES = { OWNER: "Owner", ADMIN: "Admin", MEMBER: "Member" } as const;

/**
 * The company the dashboard acts for. People in several tenants pick another here; the choice is
 * kept in this browser and every cached answer of the previous tenant is dropped.
 */
export function TenantSwitcher({ onSwitched }: { onSwitched: (companyName: string) => void }) {
  const { memberships, current } = useCurrentMembership();
  const switchTenant = useSwitchTenant();
  if (!current) return <Skeleton className="h-5 w-32" />;
  const name = <span className="truncate font-medium text-zinc-900">{current.tenant.companyName}</span>;
  if (memberships.length < 2)
    return (
      <p className="min-w-0 truncate text-sm" data-testid="current-tenant">
        {name}
      </p>
    );
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="sm" className="max-w-full min-w-0 px-2" aria-label={`Company: ${current.tenant.companyName}. Switch company`}>
          <span className="truncate" data-testid="current-tenant">
            {name}
          </span>
          <span aria-hidden="true" className="text-zinc-600">
            ▾
          </span>
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start">
        <DropdownMenuLabel>Act for</DropdownMenuLabel>
        <DropdownMenuRadioGroup
          value={current.tenant.id}
          onValueChange={(tenantId) => {
            const chosen = memberships.find((membership) => membership.tenant.id === tenantId);
            if (!chosen || tenantId === current.tenant.id) return;
            void switchTenant(tenantId);
            onSwitched(chosen.tenant.companyName);
          }}
        >
          {memberships.map((membership) => (
            <DropdownMenuRadioItem key={membership.tenant.id} value={membership.tenant.id}>
              <span className="min-w-0 flex-1 truncate">{membership.tenant.companyName}</span>
              <span className="text-xs text-zinc-600">{ROLE_NAMES[membership.role]}</span>
            </DropdownMenuRadioItem>
          ))}
        </DropdownMenuRadioGroup>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
