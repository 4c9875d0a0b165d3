import { useEffect } from "react";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { Skeleton } from "../../../components/ui/Skeleton.tsx";
import type { MessageStatus } from "../../../graphql/graphql.ts";
import { cn } from "../../../lib/cn.ts";
import { FINAL_STATUSES, useMessageStatus } from "../api/get-message-status.ts";

/** Each status in words, with WhatsApp's ticks (one: sent; two: delivered; two blue: read). */
const STATUS_WORDING: Record<MessageStatus, { label: string; ticks: string; explanation: string }> = {
  QUEUED: { label: "Queued", ticks: "🕓", explanation: "Accepted by Switchboard, waiting to be sent." },
  SENDING: { label: "Sending", ticks: "🕓", explanation: "Being handed to WhatsApp now." },
  SENT: { label: "Sent", ticks: "✓", explanation: "WhatsApp accepted it; waiting for the phone to receive it." },
  DELIVERED: { label: "Delivered", ticks: "✓✓", explanation: "It reached the phone. Everything works." },
  READ: { label: "Read", ticks: "✓✓", explanation: "It reached the phone and was read. Everything works." },
  FAILED: { label: "Failed", ticks: "✕", explanation: "It was not sent." },
  UNKNOWN: { label: "Unknown", ticks: "?", explanation: "The send was interrupted; check the phone before sending again." },
  RECEIVED: { label: "Received", ticks: "✓", explanation: "An incoming message." },
};

const STAGES = [
  { status: "QUEUED", label: "Queued" },
  { status: "SENT", label: "Sent" },
  { status: "DELIVERED", label: "Delivered" },
] as const;
const ORDER: Partial<Record<MessageStatus, number>> = { QUEUED: 0, SENDING: 0, SENT: 1, DELIVERED: 2, READ: 2 };

/** A message's status as a person reads it: where it is now, and the path QUEUED → SENT → DELIVERED. */
export function MessageStatusView({ status, error, to }: { status: MessageStatus; error?: string | null | undefined; to: string }) {
  const wording = STATUS_WORDING[status];
  const reached = ORDER[status] ?? -1;
  const failed = status === "FAILED" || status === "UNKNOWN";
  return (
    <div className="space-y-3" data-message-status={status}>
      <div
        role="status"
        className={cn("rounded-md border p-3 text-sm", failed ? "border-red-200 bg-red-50 text-red-900" : "border-zinc-200 bg-zinc-50 text-zinc-900")}
      >
        <p className="font-semibold">
          <span aria-hidden="true" className={cn("mr-1.5", status === "READ" && "text-sky-600")}>
            {wording.ticks}
          </span>
          {wording.label}
          <span className="font-normal text-zinc-700"> · to {to}</span>
        </p>
        <p className="mt-1">{wording.explanation}</p>
        {failed && error && <p className="mt-1">Reason: {error}</p>}
      </div>
      {!failed && (
        <ol className="flex flex-wrap gap-x-6 gap-y-1 text-sm" aria-label="Progress of the test message">
          {STAGES.map((stage, index) => (
            <li key={stage.status} className={cn("flex items-center gap-1.5", index <= reached ? "font-medium text-emerald-800" : "text-zinc-500")}>
              <span aria-hidden="true">{index <= reached ? "●" : "○"}</span>
              {stage.label}
              <span className="sr-only">{index <= reached ? " (done)" : " (not yet)"}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** Watches a sent message, asking for its status every second until it is delivered, read or failed. */
export function MessageStatusWatcher({ id, onFinal }: { id: string; onFinal?: (status: MessageStatus) => void }) {
  const query = useMessageStatus(id);
  const status = query.data?.message?.status;
  const final = status && FINAL_STATUSES.includes(status) ? status : undefined;
  useEffect(() => {
    if (final) onFinal?.(final);
    // Once per final status, not on every render of the caller's callback.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [final]);
  if (query.isPending) {
    return (
      <div aria-busy="true">
        <span className="sr-only" role="status">
          Loading the message's status…
        </span>
        <Skeleton className="h-16 w-full" />
      </div>
    );
  }
  if (query.isError) return <ErrorDisplay error={query.error} title="Could not check the message" onRetry={() => void query.refetch()} />;
  const message = query.data.message;
  if (!message) return <p className="text-sm text-zinc-700">This message is no longer in your log. Send another one below.</p>;
  return <MessageStatusView status={message.status} error={message.error} to={message.to} />;
}
