import type { Message } from "./message.types.ts";

/** The most characters (code points) a WhatsApp text message may have. */
export const MAX_TEXT_LENGTH = 4_096;

/** The first 100 characters (code points) of a message's text, stored for lists. */
export const previewOf = (text: string) => [...text].slice(0, 100).join("");

/** The API's view of a message: the GraphQL `Message` type's fields, and the preview lists show. */
export type MessageView = { [K in keyof Message]: Message[K] } & { preview: string };

/**
 * Where each field of the view comes from in the `messages` table: with the GraphQL class, the only
 * place the message shape is written. The column list of the raw-SQL reads, the row type and the mapping derive from it.
 */
const COLUMN_OF = {
  id: "id",
  direction: "direction",
  from: "from_number",
  to: "to_number",
  text: "body",
  preview: "preview",
  status: "status",
  error: "error",
  providerMessageId: "provider_message_id",
  idempotencyKey: "idempotency_key",
  attempts: "attempts",
  createdAt: "created_at",
  statusChangedAt: "status_changed_at",
} as const satisfies Record<keyof MessageView, string>;

type Field = keyof typeof COLUMN_OF;
const FIELDS = Object.keys(COLUMN_OF) as Field[];
const DATE_FIELDS = new Set<Field>(["createdAt", "statusChangedAt"]);

/** Columns read by the raw-SQL paths, in the shape `toMessage` expects. */
export const MESSAGE_COLUMNS = FIELDS.map((field) => COLUMN_OF[field]).join(", ");

/**
 * A `messages` row as node-postgres returns it, or as `row_to_json` makes it (timestamps are then
 * strings): other columns may be present and are ignored.
 */
export type MessageRow = { [F in Field as (typeof COLUMN_OF)[F]]: F extends "createdAt" | "statusChangedAt" ? Date | string : MessageView[F] };

export function toMessage(row: MessageRow): MessageView {
  const view: Record<string, unknown> = {};
  for (const field of FIELDS) {
    const value = row[COLUMN_OF[field]];
    view[field] = DATE_FIELDS.has(field) ? new Date(value as Date | string) : value;
  }
  return view as MessageView;
}
