import { Card } from "../../../components/ui/Card.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { PageHeader } from "../../../components/ui/PageHeader.tsx";
import { Skeleton } from "../../../components/ui/Skeleton.tsx";
import type { BillingUsageQuery } from "../../../graphql/graphql.ts";
import { useSelectedTenantId } from "../../../lib/tenant-selection.ts";
import { useBillingHistory } from "../api/billing-history.ts";
import { useBillingUsage } from "../api/billing-usage.ts";
import { monthDays, tierProgress } from "../chart-data.ts";
import { DailyChart } from "./DailyChart.tsx";
import { TIER_LABEL, formatCount, formatMoney, formatMonth } from "./format.ts";

/** This month's usage against the tiers, day by day, what it costs, and the months before. */
export function BillingPage() {
  const usage = useBillingUsage();
  return (
    <>
      <PageHeader
        title="Billing"
        description="You pay for the tier your billable messages reach each month (messages the provider accepted), plus each connected WhatsApp number. Months run in UTC."
      />
      <div className="space-y-6">
        {usage.isPending ? (
          <Card className="space-y-4 p-5" aria-busy="true" aria-label="Loading this month's usage">
            <Skeleton className="h-6 w-1/3" />
            <Skeleton className="h-4 w-full" />
            <Skeleton className="h-48 w-full" />
          </Card>
        ) : usage.isError ? (
          <ErrorDisplay error={usage.error} onRetry={() => void usage.refetch()} />
        ) : (
          <ThisMonth data={usage.data} />
        )}
        <History />
      </div>
    </>
  );
}

function ThisMonth({ data: { usage, pricing } }: { data: BillingUsageQuery }) {
  const progress = tierProgress(usage.messagesSent, pricing.tiers);
  const nextTier = progress.next ? pricing.tiers.find((tier) => tier.tier === progress.next!.tier) : undefined;
  const currentPrice = pricing.tiers.find((tier) => tier.tier === usage.tier)?.price ?? usage.planPrice;
  return (
    <>
      <Card className="space-y-4 p-5">
        <h2 className="text-lg font-semibold text-zinc-900">{formatMonth(usage.month)} so far</h2>
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
          {[
            ["Billable messages", formatCount(usage.messagesSent)],
            ["Received", formatCount(usage.messagesReceived)],
            ["Failed (not billed)", formatCount(usage.messagesFailed)],
            ["Tier", TIER_LABEL[usage.tier] ?? usage.tier],
          ].map(([term, value]) => (
            <div key={term}>
              <dt className="text-sm text-zinc-600">{term}</dt>
              <dd className="text-xl font-semibold text-zinc-900 tabular-nums">{value}</dd>
            </div>
          ))}
        </dl>
        <div className="space-y-1.5">
          <p id="tier-progress-label" className="text-sm text-zinc-800">
            {progress.next && nextTier
              ? `${formatCount(usage.messagesSent)} of ${formatCount(progress.current.upTo!)} billable messages in ${TIER_LABEL[usage.tier] ?? usage.tier} (${formatMoney(currentPrice)}). ${formatCount(progress.remaining)} more and this month moves to ${TIER_LABEL[nextTier.tier] ?? nextTier.tier} (${formatMoney(nextTier.price)}).`
              : `${formatCount(usage.messagesSent)} billable messages: the ${TIER_LABEL[usage.tier] ?? usage.tier} tier (${formatMoney(currentPrice)}) has no upper limit.`}
          </p>
          <div
            role="progressbar"
            aria-labelledby="tier-progress-label"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(progress.fraction * 100)}
            className="h-3 w-full overflow-hidden rounded-full bg-zinc-200"
          >
            <div className="h-full rounded-full bg-emerald-700" style={{ width: `${progress.fraction * 100}%` }} />
          </div>
          <p className="text-xs text-zinc-600">
            Tiers:{" "}
            {pricing.tiers
              .map((tier, index) =>
                tier.upTo === null
                  ? `${TIER_LABEL[tier.tier] ?? tier.tier} above ${formatCount(pricing.tiers[index - 1]?.upTo ?? 0)} (${formatMoney(tier.price)})`
                  : `${TIER_LABEL[tier.tier] ?? tier.tier} up to ${formatCount(tier.upTo)} (${formatMoney(tier.price)})`,
              )
              .join(" · ")}
          </p>
        </div>
      </Card>
      <Card className="p-5">
        <h2 className="mb-3 text-lg font-semibold text-zinc-900">Price this month</h2>
        <dl className="max-w-md space-y-2 text-sm">
          <div className="flex justify-between gap-4">
            <dt className="text-zinc-700">{TIER_LABEL[usage.tier] ?? usage.tier} tier</dt>
            <dd className="tabular-nums">{formatMoney(usage.planPrice)}</dd>
          </div>
          <div className="flex justify-between gap-4">
            <dt className="text-zinc-700">
              {formatCount(usage.connectedNumbers)} connected {usage.connectedNumbers === 1 ? "number" : "numbers"} × {formatMoney(pricing.perConnectedNumber)}
            </dt>
            <dd className="tabular-nums">{formatMoney(usage.providerCost)}</dd>
          </div>
          <div className="flex justify-between gap-4 border-t border-zinc-200 pt-2 font-semibold">
            <dt>Total</dt>
            <dd className="tabular-nums">{formatMoney(usage.total)}</dd>
          </div>
        </dl>
      </Card>
      <Card className="p-5">
        <h2 className="mb-3 text-lg font-semibold text-zinc-900">Day by day</h2>
        <DailyChart month={usage.month} days={monthDays(usage.month, usage.daily)} />
      </Card>
    </>
  );
}

/** The statements download (GET /api/v1/statements.csv): the session cookie authenticates it, `tenant` picks the company. */
const statementsCsvUrl = (tenantId: string | null) => `/api/v1/statements.csv${tenantId ? `?tenant=${encodeURIComponent(tenantId)}` : ""}`;

function History() {
  const history = useBillingHistory();
  const tenantId = useSelectedTenantId();
  return (
    <Card className="p-5">
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-lg font-semibold text-zinc-900">Previous months</h2>
        {history.data && history.data.statements.length > 0 && (
          <a href={statementsCsvUrl(tenantId)} download className="text-sm font-medium text-emerald-800 underline hover:text-emerald-950">
            Download statements (CSV)
          </a>
        )}
      </div>
      <p className="mb-3 text-sm text-zinc-600">Each month's statement, frozen when the month closed (within the hour after it ends).</p>
      {history.isPending ? (
        <div aria-busy="true" aria-label="Loading previous months" className="space-y-2">
          {Array.from({ length: 4 }, (_, index) => (
            <Skeleton key={index} className="h-6 w-full" />
          ))}
        </div>
      ) : history.isError ? (
        <ErrorDisplay error={history.error} onRetry={() => void history.refetch()} />
      ) : history.data.statements.length === 0 ? (
        <p className="text-sm text-zinc-700">No closed months yet: your first statement appears here once this month ends.</p>
      ) : (
        <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Previous months">
          <table className="w-full min-w-[32rem] text-left text-sm">
            <caption className="sr-only">Previous months, newest first</caption>
            <thead>
              <tr className="border-b border-zinc-200 text-xs text-zinc-600 uppercase">
                <th scope="col" className="py-2 pr-4">
                  Month
                </th>
                <th scope="col" className="py-2 pr-4 text-right">
                  Billable
                </th>
                <th scope="col" className="py-2 pr-4 text-right">
                  Received
                </th>
                <th scope="col" className="py-2 pr-4">
                  Tier
                </th>
                <th scope="col" className="py-2 pr-4 text-right">
                  Numbers
                </th>
                <th scope="col" className="py-2 text-right">
                  Total
                </th>
              </tr>
            </thead>
            <tbody>
              {history.data.statements.map((month) => (
                <tr key={month.month} className="border-b border-zinc-100">
                  <th scope="row" className="py-2 pr-4 font-normal">
                    {formatMonth(month.month)}
                  </th>
                  <td className="py-2 pr-4 text-right tabular-nums">{formatCount(month.messagesSent)}</td>
                  <td className="py-2 pr-4 text-right tabular-nums">{formatCount(month.messagesReceived)}</td>
                  <td className="py-2 pr-4">{TIER_LABEL[month.tier] ?? month.tier}</td>
                  <td className="py-2 pr-4 text-right tabular-nums">{formatCount(month.connectedNumbers)}</td>
                  <td className="py-2 text-right tabular-nums">{formatMoney(month.total)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
