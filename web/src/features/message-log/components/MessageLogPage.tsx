import { Button, buttonClasses } from "../../../components/ui/Button.tsx";
import { Card } from "../../../components/ui/Card.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { PageHeader } from "../../../components/ui/PageHeader.tsx";
import { Skeleton } from "../../../components/ui/Skeleton.tsx";
import { useMessageLogMessages } from "../api/message-log-messages.ts";
import { exportHref, filtersOnly, hasFilters, pageVariables, type MessageLogSearch } from "../search.ts";
import { MessageDetailDrawer } from "./MessageDetailDrawer.tsx";
import { MessageFilters } from "./MessageFilters.tsx";
import { MessageTable } from "./MessageTable.tsx";

type MessageLogPageProps = {
  search: MessageLogSearch;
  /** Replaces the URL's search (the route navigates). */
  onSearch: (search: MessageLogSearch) => void;
  /** The tenant the dashboard acts for, when the person chose one (the export link names it). */
  tenantId: string | null;
};

/** Every message sent and received, filtered and paged from the URL, with each one's details in a drawer. */
export function MessageLogPage({ search, onSearch, tenantId }: MessageLogPageProps) {
  const messages = useMessageLogMessages(pageVariables(search));
  const filters = filtersOnly(search);
  const page = messages.data?.messages;

  return (
    <>
      <PageHeader
        title="Message log"
        description="Every message sent and received through your number, newest first. Times and dates are in UTC."
        actions={
          <a href={exportHref(search, tenantId)} download className={buttonClasses("secondary")}>
            Export CSV
          </a>
        }
      />
      <div className="space-y-6">
        <Card className="p-5">
          <MessageFilters search={filters} onApply={onSearch} />
        </Card>
        <Card className="p-5">
          <h2 className="sr-only">Messages</h2>
          {messages.isPending ? (
            <div aria-busy="true" aria-label="Loading messages" className="space-y-3">
              {Array.from({ length: 6 }, (_, index) => (
                <Skeleton key={index} className="h-8 w-full" />
              ))}
            </div>
          ) : messages.isError ? (
            <ErrorDisplay error={messages.error} onRetry={() => void messages.refetch()} useServerMessageFor={["BAD_USER_INPUT"]} />
          ) : page!.edges.length === 0 ? (
            <div className="py-8 text-center">
              <p className="font-medium text-zinc-900">{hasFilters(search) ? "No messages match these filters" : "No messages yet"}</p>
              <p className="mt-1 text-sm text-zinc-600">
                {hasFilters(search) ? "Try fewer filters, or a wider date range." : "Messages you send and receive through your number appear here."}
              </p>
              {hasFilters(search) && (
                <Button variant="secondary" className="mt-4" onClick={() => onSearch({})}>
                  Clear filters
                </Button>
              )}
            </div>
          ) : (
            <div aria-busy={messages.isPlaceholderData || undefined} className={messages.isPlaceholderData ? "opacity-60" : undefined}>
              <MessageTable messages={page!.edges.map((edge) => edge.node)} onOpen={(id) => onSearch({ ...search, message: id })} />
              <nav aria-label="Pages" className="mt-4 flex justify-between gap-2">
                <Button
                  variant="secondary"
                  disabled={!page!.pageInfo.hasPreviousPage}
                  onClick={() => onSearch({ ...filters, before: page!.pageInfo.startCursor ?? undefined })}
                >
                  Previous
                </Button>
                <Button
                  variant="secondary"
                  disabled={!page!.pageInfo.hasNextPage}
                  onClick={() => onSearch({ ...filters, after: page!.pageInfo.endCursor ?? undefined })}
                >
                  Next
                </Button>
              </nav>
            </div>
          )}
        </Card>
      </div>
      <MessageDetailDrawer
        messageId={search.message}
        onClose={() => {
          const { message: _message, ...rest } = search;
          onSearch(rest);
        }}
      />
    </>
  );
}
