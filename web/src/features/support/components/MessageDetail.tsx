import type { ReactNode } from "react";
import { Button } from "../../../components/ui/Button.tsx";
import { Dialog, DialogClose, DialogContent } from "../../../components/ui/Dialog.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { Skeleton } from "../../../components/ui/Skeleton.tsx";
import { useSupportMessage } from "../api/open-message.ts";
import { formatDateTime } from "./SearchResults.tsx";

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="font-medium text-zinc-600">{label}</dt>
      <dd className="min-w-0 break-words text-zinc-900">{children}</dd>
    </>
  );
}

/** One message opened (its text, history and webhook deliveries); opening it is recorded for its company. */
export function MessageDetail({ sessionId, messageId, onClose }: { sessionId: string; messageId: string; onClose: () => void }) {
  const message = useSupportMessage(sessionId, messageId);
  const data = message.data?.supportMessage;
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent title="Message" description="Opening it was recorded in the company's access log." className="max-h-[90dvh] max-w-2xl overflow-y-auto">
        {message.isError ? (
          <ErrorDisplay error={message.error} useServerMessageFor={["FORBIDDEN"]} />
        ) : message.isPending ? (
          <div className="space-y-3" aria-busy="true" aria-label="Opening the message">
            <Skeleton className="h-16 w-full" />
            <Skeleton className="h-5 w-64" />
          </div>
        ) : !data ? (
          <p className="text-sm text-zinc-700">No company has this message any more.</p>
        ) : (
          <div className="space-y-5 text-sm">
            <blockquote className="rounded-md border border-zinc-200 bg-zinc-50 p-3 whitespace-pre-wrap text-zinc-900" data-testid="support-message-text">
              {data.text}
            </blockquote>
            <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-[9rem_1fr]">
              <Detail label="Company">
                {data.tenant.companyName} <span className="break-all text-zinc-600">({data.tenant.id})</span>
              </Detail>
              <Detail label="Direction">{data.direction === "OUTBOUND" ? "Sent by the company" : "Received from the contact"}</Detail>
              <Detail label="From">{data.from}</Detail>
              <Detail label="To">{data.to}</Detail>
              <Detail label="Status">{data.status}</Detail>
              {data.error && <Detail label="Error">{data.error}</Detail>}
              <Detail label="Attempts">{data.attempts}</Detail>
              <Detail label="Provider id">{data.providerMessageId ?? "none yet"}</Detail>
              <Detail label="Created">{formatDateTime(data.createdAt)}</Detail>
              <Detail label="Status changed">{formatDateTime(data.statusChangedAt)}</Detail>
            </dl>
            <section aria-labelledby="support-history-heading">
              <h3 id="support-history-heading" className="font-semibold text-zinc-900">
                History
              </h3>
              <ol className="mt-2 space-y-1">
                {data.history.map((change) => (
                  <li key={`${change.status}-${change.at}`} className="text-zinc-700">
                    <span className="font-medium text-zinc-900">{change.status}</span> {formatDateTime(change.at)}
                    {change.detail && <span className="block text-zinc-600">{change.detail}</span>}
                  </li>
                ))}
              </ol>
            </section>
            <section aria-labelledby="support-deliveries-heading">
              <h3 id="support-deliveries-heading" className="font-semibold text-zinc-900">
                Webhook deliveries
              </h3>
              {data.webhookDeliveries.length === 0 ? (
                <p className="mt-2 text-zinc-700">None (the company has no endpoint for these events, or their payloads were cleared).</p>
              ) : (
                <ul className="mt-2 space-y-1">
                  {data.webhookDeliveries.map((delivery) => (
                    <li key={delivery.id} className="text-zinc-700">
                      <span className="font-medium text-zinc-900">{delivery.eventType}</span> {delivery.status}, {delivery.attempts} attempt
                      {delivery.attempts === 1 ? "" : "s"}
                      {delivery.lastResponseStatus !== null && `, last answer HTTP ${delivery.lastResponseStatus}`}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </div>
        )}
        <DialogClose asChild>
          <Button variant="secondary" className="mt-5">
            Close
          </Button>
        </DialogClose>
      </DialogContent>
    </Dialog>
  );
}
