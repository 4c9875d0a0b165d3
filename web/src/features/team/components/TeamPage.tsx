import { Notice } from "../../../components/ui/Notice.tsx";
import { PageHeader } from "../../../components/ui/PageHeader.tsx";
import type { MembershipRole } from "../../../graphql/graphql.ts";
import { useTeamMembers } from "../api/team.ts";
import { Invitations } from "./InvitationList.tsx";
import { LeaveTenant } from "./LeaveTenant.tsx";
import { MemberList } from "./MemberList.tsx";
import { MyInvitations } from "./MyInvitations.tsx";
import { leaveRule, mayManageTeam } from "./team-rules.ts";

type TeamPageProps = {
  viewer: { userId: string; role: MembershipRole };
  companyName: string;
  /** After leaving this company: the app acts for another one (or logs out). */
  onLeft: () => void;
  /** After joining another company: the person's companies changed. */
  onJoined: () => void;
};

/** The team: members and roles, invitations, role changes and removals, leaving. */
export function TeamPage({ viewer, companyName, onLeft, onJoined }: TeamPageProps) {
  const members = useTeamMembers();
  const ownerCount = members.data?.teamMembers.filter((member) => member.role === "OWNER").length;
  const leave = ownerCount === undefined ? { canLeave: false } : leaveRule(viewer.role, ownerCount);
  return (
    <>
      <PageHeader
        title="Team"
        description="The people who use this dashboard for your company, and their roles: owners and admins manage the team, API keys and the WhatsApp connection; members send and read messages."
      />
      <div className="space-y-6">
        <MyInvitations onJoined={onJoined} />
        {viewer.role === "MEMBER" && (
          <Notice>As a member you see the team; owners and admins invite people, change roles and remove people. Ask one of them.</Notice>
        )}
        {viewer.role === "ADMIN" && <Notice>As an admin you manage admins and members. Only an owner can make, change or remove an owner.</Notice>}
        <MemberList viewerRole={viewer.role} viewerUserId={viewer.userId} />
        {mayManageTeam(viewer.role) && <Invitations viewerRole={viewer.role} />}
        <LeaveTenant companyName={companyName} canLeave={leave.canLeave} reason={leave.reason} onLeft={onLeft} />
      </div>
    </>
  );
}
