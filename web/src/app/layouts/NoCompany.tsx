import { useQueryClient } from "@tanstack/react-query";
import { Card } from "../../components/ui/Card.tsx";
import { PageHeader } from "../../components/ui/PageHeader.tsx";
import { ME_QUERY_KEY } from "../../features/auth/api/me.ts";
import { MyInvitations } from "../../features/team/components/MyInvitations.tsx";

/**
 * What someone sees once they belong to no company (they left their only one, or were removed): their
 * account stays, every page needs a company, so this replaces the pages until an invitation is accepted.
 */
export function NoCompany({ email }: { email: string }) {
  const queryClient = useQueryClient();
  return (
    <>
      <PageHeader title="You are not in any company" description="Your account stays, but there is no company for it to act for." />
      <div className="space-y-6">
        <Card className="space-y-2 p-5 text-sm text-zinc-700">
          <p>
            You left your last company, or were removed from it. To get back in, ask one of its owners or admins to invite <strong>{email}</strong> again from
            their Team page; the invitation appears here, and accepting it opens that company's dashboard.
          </p>
          <p>Your messages, keys and settings belonged to the company, so they are still there for its team.</p>
        </Card>
        <MyInvitations onJoined={() => void queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY })} />
      </div>
    </>
  );
}
