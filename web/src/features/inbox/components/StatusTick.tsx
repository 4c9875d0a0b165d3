import type { MessageStatus } from "../../../graphql/graphql.ts";
import { cn } from "../../../lib/cn.ts";

/** What each status of a sent message means, in words (read out by screen readers, shown on hover). */
export function statusText(status: MessageStatus, error: string | null | undefined): string {
  switch (status) {
    case "QUEUED":
      return "Queued: waiting to be sent";
    case "SENDING":
      return "Sending";
    case "SENT":
      return "Sent";
    case "DELIVERED":
      return "Delivered";
    case "READ":
      return "Read";
    case "FAILED":
      return `Failed: ${error ?? "the provider refused it"}`;
    case "UNKNOWN":
      return "Unknown: we could not tell whether the provider sent it; check with the contact before resending";
    case "RECEIVED":
      return "Received";
  }
}

const MARKS: Record<MessageStatus, { mark: string; className: string }> = {
  QUEUED: { mark: "◷", className: "text-zinc-500" },
  SENDING: { mark: "◷", className: "text-zinc-500" },
  SENT: { mark: "✓", className: "text-zinc-600" },
  DELIVERED: { mark: "✓✓", className: "text-zinc-600" },
  READ: { mark: "✓✓", className: "text-sky-700" },
  FAILED: { mark: "!", className: "font-bold text-red-700" },
  UNKNOWN: { mark: "?", className: "font-bold text-amber-700" },
  RECEIVED: { mark: "", className: "" },
};

/** The tick after an outbound message: a mark for the eye, the status in words for everyone. */
export function StatusTick({ status, error }: { status: MessageStatus; error?: string | null }) {
  const text = statusText(status, error);
  const { mark, className } = MARKS[status];
  return (
    <span data-testid="status-tick" data-status={status} title={text} className={cn("inline-flex items-center gap-1 text-xs", className)}>
      <span aria-hidden="true">{mark}</span>
      <span className="sr-only">{text}</span>
      {(status === "FAILED" || status === "UNKNOWN") && <span className="font-normal">{text}</span>}
    </span>
  );
}
