import { Button } from "../../../components/ui/Button.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { Skeleton } from "../../../components/ui/Skeleton.tsx";
import type { SupportMessageFilter } from "../../../graphql/graphql.ts";
import { useSupportSearch } from "../api/search-messages.ts";

export const formatDateTime = (value: string) => new Date(value).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

/** The search's results: company, contact, direction, status, times; "Open" reads one message (recorded). */
export function SearchResults({ sessionId, filter, onOpen }: { sessionId: string; filter: SupportMessageFilter; onOpen: (messageId: string) => void }) {
  const search = useSupportSearch(sessionId, filter);
  if (search.isError) return <ErrorDisplay error={search.error} useServerMessageFor={["FORBIDDEN"]} />;
  if (search.isPending) {
    return (
      <div className="space-y-2" aria-busy="true" aria-label="Searching">
        <Skeleton className="h-10 w-full" />
        <Skeleton className="h-10 w-full" />
        <Skeleton className="h-10 w-full" />
      </div>
    );
  }
  const messages = search.data.pages.flatMap((page) => page.supportSearchMessages.edges.map((edge) => edge.node));
  if (messages.length === 0) return <p className="text-sm text-zinc-700">No message matches. Nothing was recorded: no company's data was shown.</p>;
  return (
    <div className="space-y-3">
      <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white">
        <table className="w-full min-w-[44rem] text-left text-sm">
          <caption className="sr-only">Messages found, newest first</caption>
          <thead className="border-b border-zinc-200 bg-zinc-50 text-zinc-700">
            <tr>
              <th scope="col" className="px-3 py-2 font-medium">
                Company
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Contact
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Direction
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Status
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Created
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Status changed
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                <span className="sr-only">Open</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200">
            {messages.map((message) => (
              <tr key={message.id} data-testid="support-result">
                <td className="px-3 py-2 text-zinc-900">{message.tenant.companyName}</td>
                <td className="px-3 py-2 whitespace-nowrap text-zinc-900">{message.contact}</td>
                <td className="px-3 py-2 text-zinc-700">{message.direction === "OUTBOUND" ? "Sent" : "Received"}</td>
                <td className="px-3 py-2 text-zinc-900">
                  {message.status}
                  {message.attempts > 1 && <span className="text-zinc-600"> ({message.attempts} attempts)</span>}
                </td>
                <td className="px-3 py-2 whitespace-nowrap text-zinc-700">{formatDateTime(message.createdAt)}</td>
                <td className="px-3 py-2 whitespace-nowrap text-zinc-700">{formatDateTime(message.statusChangedAt)}</td>
                <td className="px-3 py-2 text-right">
                  <Button
                    variant="secondary"
                    size="sm"
                    onClick={() => onOpen(message.id)}
                    aria-label={`Open the message to ${message.contact} of ${message.tenant.companyName}`}
                  >
                    Open
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {search.hasNextPage && (
        <Button variant="secondary" size="sm" loading={search.isFetchingNextPage} onClick={() => void search.fetchNextPage()}>
          More results
        </Button>
      )}
    </div>
  );
}
