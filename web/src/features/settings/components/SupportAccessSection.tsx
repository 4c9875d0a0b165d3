import { Button } from "../../../components/ui/Button.tsx";
import { Card } from "../../../components/ui/Card.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { Skeleton } from "../../../components/ui/Skeleton.tsx";
import type { SettingsSupportAccessLogQuery, SupportAccessAction } from "../../../graphql/graphql.ts";
import { useSupportAccessLog } from "../api/support-access-log.ts";

const ACTION_LABEL: Record<SupportAccessAction, string> = {
  SEARCH: "Searched your messages",
  OPEN_MESSAGE: "Opened a message",
  SUSPEND_TENANT: "Suspended your company",
  REACTIVATE_TENANT: "Reactivated your company",
  VIEW_STATEMENTS: "Read your monthly statements",
};

type Entry = SettingsSupportAccessLogQuery["supportAccessLog"]["edges"][number]["node"];

const formatDateTime = (value: string) => new Date(value).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
const formatDate = (value: string) => new Date(value).toLocaleDateString(undefined, { dateStyle: "medium" });

/** What a search looked for, in words: "number +1415..., text "order 1234"". */
function searched(query: Entry["query"]): string {
  const parts = [
    query.contact && `number ${query.contact}`,
    query.providerMessageId && `provider message id ${query.providerMessageId}`,
    query.messageId && `message id ${query.messageId}`,
    query.text && `text "${query.text}"`,
    query.tenantNamed && "your company by its id",
    query.statuses?.length && `status ${query.statuses.join(" or ")}`,
    query.direction && (query.direction === "OUTBOUND" ? "sent messages" : "received messages"),
    query.createdAfter && `from ${formatDate(query.createdAfter)}`,
    query.createdBefore && `before ${formatDate(query.createdBefore)}`,
  ].filter(Boolean);
  return parts.join(", ");
}

/** When Switchboard support read this company's data, why and what (owners and admins; the API refuses others). */
export function SupportAccessSection({ canManage }: { canManage: boolean }) {
  const log = useSupportAccessLog({ enabled: canManage });
  const entries = log.data?.pages.flatMap((page) => page.supportAccessLog.edges.map((edge) => edge.node)) ?? [];
  return (
    <Card className="p-5" role="region" aria-labelledby="support-access-heading">
      <h2 id="support-access-heading" className="text-lg font-semibold text-zinc-900">
        Access by Switchboard support
      </h2>
      <p className="mt-1 text-sm text-zinc-600">
        Switchboard support can look up messages only with a stated reason, and every look is recorded here: who, when, why and what they searched for or
        opened.
      </p>
      {!canManage ? (
        <p className="mt-4 text-sm text-zinc-700">Owners and admins of your company can see when support looked at your data.</p>
      ) : log.isError ? (
        <ErrorDisplay className="mt-4" error={log.error} onRetry={() => void log.refetch()} />
      ) : log.isPending ? (
        <div className="mt-4 space-y-3" aria-busy="true" aria-label="Loading support's access">
          <Skeleton className="h-12 w-full" />
          <Skeleton className="h-12 w-full" />
        </div>
      ) : entries.length === 0 ? (
        <p className="mt-4 text-sm text-zinc-700" data-testid="support-access-empty">
          No one from support has looked at your data.
        </p>
      ) : (
        <>
          <ul className="mt-4 divide-y divide-zinc-200" aria-label="Support's access to your data">
            {entries.map((entry) => (
              <li key={entry.id} className="py-3 text-sm" data-testid="support-access-entry">
                <p className="flex flex-wrap items-baseline gap-x-2">
                  <span className="font-medium text-zinc-900">{ACTION_LABEL[entry.action]}</span>
                  <span className="break-all text-zinc-700">{entry.staffEmail}</span>
                  <time className="text-zinc-600" dateTime={entry.createdAt}>
                    {formatDateTime(entry.createdAt)}
                  </time>
                </p>
                <p className="mt-1 break-words text-zinc-700">
                  <span className="text-zinc-600">Reason: </span>
                  {entry.reason}
                </p>
                {(entry.action === "OPEN_MESSAGE" || entry.action === "SEARCH") && (
                  <p className="mt-1 break-all text-zinc-700">
                    <span className="text-zinc-600">{entry.action === "OPEN_MESSAGE" ? "Message: " : "Looked for: "}</span>
                    {entry.action === "OPEN_MESSAGE" ? entry.messageId : searched(entry.query)}
                  </p>
                )}
              </li>
            ))}
          </ul>
          {log.hasNextPage && (
            <Button className="mt-2" variant="secondary" size="sm" loading={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
              Show older entries
            </Button>
          )}
        </>
      )}
    </Card>
  );
}
