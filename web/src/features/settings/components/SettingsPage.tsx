import { Card } from "../../../components/ui/Card.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { PageHeader } from "../../../components/ui/PageHeader.tsx";
import { Skeleton } from "../../../components/ui/Skeleton.tsx";
import { useCompany } from "../api/get-company.ts";
import { SupportAccessSection } from "./SupportAccessSection.tsx";
import { WhatsAppSection } from "./WhatsAppSection.tsx";

const PLAN_NAMES = { STARTER: "Starter", GROWTH: "Growth", SCALE: "Scale" } as const;

/** Settings: company details, the WhatsApp connection, and Switchboard support's access to the company's data. */
export function SettingsPage({ canManage }: { canManage: boolean }) {
  const company = useCompany();
  return (
    <>
      <PageHeader
        title="Settings"
        description="Your company's details, its WhatsApp connection (the number, its sending pace, the inbound webhook URL, disconnecting or reconnecting), and when Switchboard support looked at your data."
      />
      <div className="space-y-6">
        <Card className="p-5" role="region" aria-labelledby="company-heading">
          <h2 id="company-heading" className="text-lg font-semibold text-zinc-900">
            Company
          </h2>
          {company.isError ? (
            <ErrorDisplay className="mt-4" error={company.error} onRetry={() => void company.refetch()} />
          ) : (
            <dl className="mt-4 grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[10rem_1fr]">
              <Detail label="Name" value={company.data?.tenant.companyName} />
              <Detail label="Slug" value={company.data?.tenant.slug} />
              <Detail label="Plan" value={company.data && `${PLAN_NAMES[company.data.tenant.plan]} (from your monthly usage)`} />
              <Detail label="Created" value={company.data && new Date(company.data.tenant.createdAt).toLocaleDateString(undefined, { dateStyle: "long" })} />
            </dl>
          )}
          <p className="mt-4 text-sm text-zinc-600">These details are kept as they were given at sign-up; the dashboard cannot change them yet.</p>
        </Card>
        <WhatsAppSection canManage={canManage} />
        <SupportAccessSection canManage={canManage} />
      </div>
    </>
  );
}

/** One detail; while loading, a placeholder of the same height. */
function Detail({ label, value }: { label: string; value: string | undefined }) {
  return (
    <>
      <dt className="font-medium text-zinc-600">{label}</dt>
      <dd className="min-w-0 break-words text-zinc-900">{value ?? <Skeleton className="h-5 w-40" />}</dd>
    </>
  );
}
