import type { MessageDirection, MessageStatus } from "../../../graphql/graphql.ts";

export const DIRECTION_LABEL: Record<MessageDirection, string> = { OUTBOUND: "Sent", INBOUND: "Received" };

export const STATUS_LABEL: Record<MessageStatus, string> = {
  QUEUED: "Queued",
  SENDING: "Sending",
  SENT: "Sent",
  DELIVERED: "Delivered",
  READ: "Read",
  FAILED: "Failed",
  RECEIVED: "Received",
  UNKNOWN: "Unknown",
};

/** Colours with at least 4.5:1 contrast for their text; the label, not the colour, carries the meaning. */
export const STATUS_TONE: Record<MessageStatus, string> = {
  QUEUED: "bg-zinc-100 text-zinc-800",
  SENDING: "bg-sky-50 text-sky-900",
  SENT: "bg-sky-50 text-sky-900",
  DELIVERED: "bg-emerald-50 text-emerald-900",
  READ: "bg-emerald-100 text-emerald-900",
  FAILED: "bg-red-50 text-red-900",
  RECEIVED: "bg-violet-50 text-violet-900",
  UNKNOWN: "bg-amber-50 text-amber-900",
};

/** The other party: the recipient of a sent message, the sender of a received one. */
export const contactOf = (message: { direction: MessageDirection; from: string; to: string }) => (message.direction === "INBOUND" ? message.from : message.to);

const TIME = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });
/** Times in UTC, as the filters' dates are. */
export const formatTime = (iso: string) => `${TIME.format(new Date(iso))} UTC`;
