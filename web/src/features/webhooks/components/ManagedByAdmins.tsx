import { Card } from "../../../components/ui/Card.tsx";

/** What a MEMBER sees instead of buttons the server would refuse (webhooks are OWNER and ADMIN only). */
export function ManagedByAdmins({ companyName }: { companyName: string | undefined }) {
  return (
    <Card className="p-5" data-testid="webhooks-not-allowed">
      <h2 className="text-lg font-semibold text-zinc-900">Webhooks are managed by owners and admins</h2>
      <p className="mt-1 text-sm text-zinc-700">
        Your role in {companyName ?? "this company"} lets you use the dashboard but not see or change webhook endpoints: an endpoint receives every message of
        the company, and its signing secret proves requests come from Switchboard. Ask an owner or admin of your team to add one for your app, or to change your
        role.
      </p>
    </Card>
  );
}
