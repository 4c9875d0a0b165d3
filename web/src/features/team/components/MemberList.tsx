import { useState } from "react";
import { Button } from "../../../components/ui/Button.tsx";
import { ConfirmDialog } from "../../../components/ui/ConfirmDialog.tsx";
import { Card } from "../../../components/ui/Card.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { Skeleton } from "../../../components/ui/Skeleton.tsx";
import { toast } from "../../../components/ui/Toast.tsx";
import type { MembershipRole, TeamMembersQuery } from "../../../graphql/graphql.ts";
import { useChangeTeamMemberRole, useRemoveTeamMember, useTeamMembers } from "../api/team.ts";
import { memberActions, ROLE_NAMES } from "./team-rules.ts";
import { Select } from "./Select.tsx";

type Member = TeamMembersQuery["teamMembers"][number];

/** The team with each person's role, and the changes this person may make to it. */
export function MemberList({ viewerRole, viewerUserId }: { viewerRole: MembershipRole; viewerUserId: string }) {
  const members = useTeamMembers();
  return (
    <Card className="p-5" aria-labelledby="members-heading" role="region">
      <h2 id="members-heading" className="text-lg font-semibold text-zinc-900">
        Members
      </h2>
      {members.isError ? (
        <ErrorDisplay className="mt-4" error={members.error} onRetry={() => void members.refetch()} />
      ) : members.isPending ? (
        <div className="mt-4 space-y-3" aria-busy="true" aria-label="Loading the team">
          <Skeleton className="h-14 w-full" />
          <Skeleton className="h-14 w-full" />
        </div>
      ) : (
        <ul className="mt-2 divide-y divide-zinc-200">
          {members.data.teamMembers.map((member) => (
            <MemberRow
              key={member.id}
              member={member}
              viewerRole={viewerRole}
              isSelf={member.user.id === viewerUserId}
              ownerCount={members.data.teamMembers.filter((candidate) => candidate.role === "OWNER").length}
            />
          ))}
        </ul>
      )}
    </Card>
  );
}

function MemberRow({ member, viewerRole, isSelf, ownerCount }: { member: Member; viewerRole: MembershipRole; isSelf: boolean; ownerCount: number }) {
  const actions = memberActions(viewerRole, { role: member.role, isSelf }, ownerCount);
  const [role, setRole] = useState<MembershipRole>(member.role);
  const change = useChangeTeamMemberRole();
  const email = member.user.email;
  const joined = new Date(member.createdAt).toLocaleDateString(undefined, { dateStyle: "medium" });

  const save = () =>
    change.mutate(
      { userId: member.user.id, role },
      { onSuccess: (result) => toast("Role changed", `${email} is now ${ROLE_NAMES[result.changeTeamMemberRole.role].toLowerCase()}.`) },
    );

  return (
    <li className="py-4" data-testid="team-member" data-email={email}>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-3">
        <div className="min-w-0 flex-1 basis-56">
          <p className="font-medium break-all text-zinc-900">
            {email}
            {isSelf && <span className="ml-2 rounded bg-zinc-100 px-1.5 py-0.5 text-xs font-medium text-zinc-700">You</span>}
          </p>
          <p className="text-sm text-zinc-600">
            <span data-testid="member-role">{ROLE_NAMES[member.role]}</span> · joined {joined}
          </p>
        </div>
        {actions.roles.length > 0 ? (
          <div className="flex items-center gap-2">
            <Select aria-label={`Role of ${email}`} className="w-32" value={role} onChange={(event) => setRole(event.target.value as MembershipRole)}>
              {actions.roles.map((option) => (
                <option key={option} value={option}>
                  {ROLE_NAMES[option]}
                </option>
              ))}
            </Select>
            <Button variant="secondary" disabled={role === member.role} loading={change.isPending} onClick={save}>
              Change role
            </Button>
          </div>
        ) : null}
        {actions.canRemove && <RemoveMember member={member} />}
      </div>
      {actions.roleReason && mayExplain(viewerRole) && (
        <p className="mt-2 text-sm text-zinc-600" data-testid="member-rule">
          {actions.roleReason}
        </p>
      )}
      {change.isError && <ErrorDisplay className="mt-3" error={change.error} title="Could not change the role" />}
    </li>
  );
}

// A member manages nothing: the page says so once, not on every row.
const mayExplain = (viewerRole: MembershipRole) => viewerRole !== "MEMBER";

function RemoveMember({ member }: { member: Member }) {
  const remove = useRemoveTeamMember();
  const email = member.user.email;
  return (
    <ConfirmDialog
      trigger={
        <Button variant="ghost" className="text-red-700" aria-label={`Remove ${email}`}>
          Remove
        </Button>
      }
      title={`Remove ${email}?`}
      description="They lose access to this company at once: its messages, settings and team. Their account stays, and you can invite them again later."
      action={remove}
      errorTitle="Could not remove them"
      cancelLabel="Keep them"
      confirmLabel={`Remove ${ROLE_NAMES[member.role].toLowerCase()}`}
      onConfirm={(close) =>
        remove.mutate(member.user.id, {
          onSuccess: () => {
            close();
            toast("Removed from the team", email);
          },
        })
      }
    />
  );
}
