import { Button } from "../../../components/ui/Button.tsx";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "../../../components/ui/DropdownMenu.tsx";
import { Skeleton } from "../../../components/ui/Skeleton.tsx";
import { useLogOut } from "../api/log-out.ts";
import { useMe } from "../api/me.ts";

/** The logged-in person's menu: who they are, and log out. */
export function UserMenu({ onLoggedOut }: { onLoggedOut: () => void }) {
  const me = useMe();
  const logOut = useLogOut();
  if (!me.data) return <Skeleton className="h-8 w-8 rounded-full" />;
  const { email } = me.data.me;
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="sm" className="max-w-64 px-1.5 sm:px-2" aria-label={`Account menu for ${email}`} loading={logOut.isPending}>
          <span aria-hidden="true" className="flex size-7 items-center justify-center rounded-full bg-emerald-100 font-semibold text-emerald-900 uppercase">
            {email[0]}
          </span>
          <span className="hidden truncate md:inline">{email}</span>
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent>
        <DropdownMenuLabel>
          Logged in as <span className="block truncate text-sm text-zinc-900">{email}</span>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => logOut.mutate(undefined, { onSettled: onLoggedOut })}>Log out</DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
