import { Button } from "../../../components/ui/Button.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { toast } from "../../../components/ui/Toast.tsx";
import type { MyInvitationsQuery } from "../../../graphql/graphql.ts";
import { useAcceptInvitation, useDeclineInvitation, useMyInvitations } from "../api/team.ts";
import { ROLE_NAMES } from "./team-rules.ts";

type MyInvitation = MyInvitationsQuery["myInvitations"][number];

/** Invitations addressed to this person by other companies; shown only when there are some. */
export function MyInvitations({ onJoined }: { onJoined: () => void }) {
  const invitations = useMyInvitations();
  if (!invitations.data || invitations.data.myInvitations.length === 0) return null;
  return (
    <section aria-labelledby="my-invitations-heading" className="rounded-lg border border-sky-200 bg-sky-50 p-5">
      <h2 id="my-invitations-heading" className="text-lg font-semibold text-sky-950">
        Invitations for you
      </h2>
      <ul className="mt-2 divide-y divide-sky-200">
        {invitations.data.myInvitations.map((invitation) => (
          <MyInvitationRow key={invitation.id} invitation={invitation} onJoined={onJoined} />
        ))}
      </ul>
    </section>
  );
}

function MyInvitationRow({ invitation, onJoined }: { invitation: MyInvitation; onJoined: () => void }) {
  const accept = useAcceptInvitation();
  const decline = useDeclineInvitation();
  const until = new Date(invitation.expiresAt).toLocaleDateString(undefined, { dateStyle: "medium" });
  return (
    <li className="py-3" data-testid="my-invitation">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <p className="min-w-0 flex-1 basis-56 text-sm text-sky-950">
          <span className="font-semibold">{invitation.companyName}</span> invites you to join as {ROLE_NAMES[invitation.role].toLowerCase()} (open until {until}
          ).
        </p>
        <div className="flex gap-2">
          <Button
            size="sm"
            loading={accept.isPending}
            disabled={decline.isPending}
            aria-label={`Join ${invitation.companyName}`}
            onClick={() =>
              accept.mutate(invitation.id, {
                onSuccess: () => {
                  toast(`You joined ${invitation.companyName}`, "Switch to it with the company menu.");
                  onJoined();
                },
              })
            }
          >
            Join
          </Button>
          <Button
            size="sm"
            variant="secondary"
            loading={decline.isPending}
            disabled={accept.isPending}
            aria-label={`Decline the invitation from ${invitation.companyName}`}
            onClick={() => decline.mutate(invitation.id)}
          >
            Decline
          </Button>
        </div>
      </div>
      {(accept.error ?? decline.error) && <ErrorDisplay className="mt-2" error={accept.error ?? decline.error} title="Could not answer the invitation" />}
    </li>
  );
}
