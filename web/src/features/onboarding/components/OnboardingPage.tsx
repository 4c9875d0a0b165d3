import { Card } from "../../../components/ui/Card.tsx";
import { PageHeader } from "../../../components/ui/PageHeader.tsx";

/** The set-up wizard's page. Its steps (company, WhatsApp, inbound URL, test message) are built here. */
export function OnboardingPage() {
  return (
    <>
      <PageHeader
        title="Onboarding"
        description="Set up your company's WhatsApp sending step by step: company details, connecting a number (or the sandbox), the inbound webhook URL for Rapiwa, and a test message."
      />
      <Card className="p-5 text-sm text-zinc-700">
        <ol className="list-decimal space-y-1 pl-5">
          <li>Company details</li>
          <li>Connect WhatsApp</li>
          <li>Paste the inbound webhook URL into Rapiwa</li>
          <li>Send a test message</li>
        </ol>
      </Card>
    </>
  );
}
