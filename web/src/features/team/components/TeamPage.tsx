import { PageHeader } from "../../../components/ui/PageHeader.tsx";

/** The team: members and roles, invitations, role changes and removals. */
export function TeamPage() {
  return (
    <PageHeader
      title="Team"
      description="The people who use this dashboard for your company, and their roles: owners and admins manage the team, API keys and the WhatsApp connection; members send and read messages."
    />
  );
}
