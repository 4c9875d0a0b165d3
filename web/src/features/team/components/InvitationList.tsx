import { Button } from "../../../components/ui/Button.tsx";
import { Card } from "../../../components/ui/Card.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { Skeleton } from "../../../components/ui/Skeleton.tsx";
import { toast } from "../../../components/ui/Toast.tsx";
import type { MembershipRole, TeamInvitationsQuery } from "../../../graphql/graphql.ts";
import { useRevokeTeamInvitation, useTeamInvitations } from "../api/team.ts";
import { InviteForm } from "./InviteForm.tsx";
import { ROLE_NAMES } from "./team-rules.ts";

type Invitation = TeamInvitationsQuery["teamInvitations"][number];

/** Inviting people, and the invitations not yet answered (owners and admins only). */
export function Invitations({ viewerRole }: { viewerRole: MembershipRole }) {
  const invitations = useTeamInvitations(true);
  return (
    <Card className="p-5" role="region" aria-labelledby="invitations-heading">
      <h2 id="invitations-heading" className="text-lg font-semibold text-zinc-900">
        Invite someone
      </h2>
      <div className="mt-4">
        <InviteForm viewerRole={viewerRole} />
      </div>
      <h3 className="mt-8 text-base font-semibold text-zinc-900">Open invitations</h3>
      {invitations.isError ? (
        <ErrorDisplay className="mt-3" error={invitations.error} onRetry={() => void invitations.refetch()} />
      ) : invitations.isPending ? (
        <div className="mt-3" aria-busy="true" aria-label="Loading the invitations">
          <Skeleton className="h-12 w-full" />
        </div>
      ) : invitations.data.teamInvitations.length === 0 ? (
        <p className="mt-2 text-sm text-zinc-600">None: everyone invited has answered.</p>
      ) : (
        <ul className="mt-2 divide-y divide-zinc-200">
          {invitations.data.teamInvitations.map((invitation) => (
            <InvitationRow key={invitation.id} invitation={invitation} mayRevoke={viewerRole === "OWNER" || invitation.role !== "OWNER"} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function InvitationRow({ invitation, mayRevoke }: { invitation: Invitation; mayRevoke: boolean }) {
  const revoke = useRevokeTeamInvitation();
  const expired = invitation.status === "EXPIRED";
  const expires = new Date(invitation.expiresAt).toLocaleDateString(undefined, { dateStyle: "medium" });
  return (
    <li className="py-3" data-testid="team-invitation" data-email={invitation.email}>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <div className="min-w-0 flex-1 basis-56">
          <p className="font-medium break-all text-zinc-900">{invitation.email}</p>
          <p className="text-sm text-zinc-600">
            {ROLE_NAMES[invitation.role]} · {expired ? `expired ${expires}: invite them again to renew it` : `open until ${expires}`}
          </p>
        </div>
        {!mayRevoke && <p className="text-sm text-zinc-600">Only an owner can withdraw an invitation to be an owner.</p>}
        {mayRevoke && (
          <Button
            variant="ghost"
            size="sm"
            loading={revoke.isPending}
            aria-label={`Withdraw the invitation to ${invitation.email}`}
            onClick={() => revoke.mutate(invitation.id, { onSuccess: () => toast("Invitation withdrawn", invitation.email) })}
          >
            Withdraw
          </Button>
        )}
      </div>
      {revoke.isError && <ErrorDisplay className="mt-2" error={revoke.error} title="Could not withdraw it" />}
    </li>
  );
}
