import { useState, type ReactNode } from "react";
import { Button } from "../../../components/ui/Button.tsx";
import { Dialog, DialogContent } from "../../../components/ui/Dialog.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { Skeleton } from "../../../components/ui/Skeleton.tsx";
import { copyText } from "../../../lib/copy-text.ts";
import { useMessageLogMessage } from "../api/message-log-message.ts";
import { DIRECTION_LABEL, STATUS_LABEL, contactOf, formatTime } from "./labels.ts";
import { StatusBadge } from "./StatusBadge.tsx";

/** One message in a side panel: its fields, how its status went, and what the provider sent about it. */
export function MessageDetailDrawer({ messageId, onClose }: { messageId: string | undefined; onClose: () => void }) {
  return (
    <Dialog open={Boolean(messageId)} onOpenChange={(open) => !open && onClose()}>
      {messageId && (
        <DialogContent variant="drawer" title="Message details" description={null}>
          <MessageDetail id={messageId} />
          <div className="mt-6">
            <Button variant="secondary" onClick={onClose}>
              Close
            </Button>
          </div>
        </DialogContent>
      )}
    </Dialog>
  );
}

function MessageDetail({ id }: { id: string }) {
  const query = useMessageLogMessage(id);
  const [copied, setCopied] = useState(false);
  if (query.isPending) {
    return (
      <div aria-busy="true" aria-label="Loading the message" className="space-y-3">
        <Skeleton className="h-5 w-2/3" />
        <Skeleton className="h-16 w-full" />
        <Skeleton className="h-24 w-full" />
      </div>
    );
  }
  if (query.isError) return <ErrorDisplay error={query.error} onRetry={() => void query.refetch()} />;
  const message = query.data.message;
  if (!message) return <p className="text-sm text-zinc-700">This message is not in this company's log.</p>;

  const fields: [string, ReactNode][] = [
    ["Direction", DIRECTION_LABEL[message.direction]],
    ["Contact", <span className="font-mono">{contactOf(message)}</span>],
    ["From", <span className="font-mono">{message.from}</span>],
    ["To", <span className="font-mono">{message.to}</span>],
    ["Status", <StatusBadge status={message.status} />],
    ["Created", formatTime(message.createdAt)],
    ["Status changed", formatTime(message.statusChangedAt)],
    ["Provider message id", message.providerMessageId ? <span className="font-mono break-all">{message.providerMessageId}</span> : "None yet"],
    ["Attempts", String(message.attempts)],
    ...(message.idempotencyKey ? [["Idempotency key", <span className="font-mono break-all">{message.idempotencyKey}</span>] as [string, ReactNode]] : []),
    ...(message.error ? [["Error", <span className="text-red-800">{message.error}</span>] as [string, ReactNode]] : []),
  ];
  return (
    <div className="space-y-6 text-sm">
      <section aria-labelledby="message-text" className="space-y-2">
        <h3 id="message-text" className="font-semibold text-zinc-900">
          Text
        </h3>
        <p className="rounded-md bg-zinc-50 p-3 break-words whitespace-pre-wrap text-zinc-900">{message.text}</p>
      </section>
      <div className="flex flex-wrap items-center gap-2">
        <code className="rounded bg-zinc-100 px-2 py-1 text-xs break-all text-zinc-800">{message.id}</code>
        <Button
          size="sm"
          variant="secondary"
          onClick={() => void copyText(message.id).then((ok) => setCopied(ok))}
          aria-describedby={copied ? "message-id-copied" : undefined}
        >
          Copy id
        </Button>
        <span id="message-id-copied" role="status" className="text-xs text-emerald-800">
          {copied ? "Copied" : ""}
        </span>
      </div>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-2">
        {fields.map(([term, value]) => (
          <div key={term} className="contents">
            <dt className="text-zinc-600">{term}</dt>
            <dd className="min-w-0 text-zinc-900">{value}</dd>
          </div>
        ))}
      </dl>
      <section aria-labelledby="message-history" className="space-y-2">
        <h3 id="message-history" className="font-semibold text-zinc-900">
          Status history
        </h3>
        <ol aria-labelledby="message-history" className="space-y-3 border-l-2 border-zinc-200 pl-4">
          {message.history.map((step, index) => (
            <li key={`${step.status}-${index}`} className="relative">
              <span aria-hidden="true" className="absolute top-1.5 -left-[1.4rem] size-2.5 rounded-full bg-emerald-700" />
              <p className="font-medium text-zinc-900">{STATUS_LABEL[step.status]}</p>
              <p className="text-xs text-zinc-600 tabular-nums">{formatTime(step.at)}</p>
              {step.detail && <p className="text-xs text-zinc-700">{step.detail}</p>}
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="message-payloads" className="space-y-2">
        <h3 id="message-payloads" className="font-semibold text-zinc-900">
          Provider payloads
        </h3>
        {message.providerEvents.length === 0 ? (
          <p className="text-zinc-700">
            No callbacks from the provider about this message{message.direction === "OUTBOUND" ? " yet (delivery and read receipts appear here)" : ""}.
          </p>
        ) : (
          <ol className="space-y-3">
            {message.providerEvents.map((event, index) => (
              <li key={index} className="space-y-1">
                <p className="text-xs text-zinc-700">
                  <span className="font-medium text-zinc-900">{event.type}</span> · received {formatTime(event.receivedAt)}
                </p>
                <pre
                  tabIndex={0}
                  aria-label={`Payload ${index + 1}, ${event.type}`}
                  className="max-h-72 overflow-auto rounded-md bg-zinc-900 p-3 text-xs text-zinc-100"
                >
                  {JSON.stringify(event.payload, null, 2)}
                </pre>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
