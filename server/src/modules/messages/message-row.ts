import type { MessageDirection, MessageStatus } from "../../generated/prisma/enums.ts";

/** The first 100 characters (code points) of a message's text, stored for lists. */
export const previewOf = (text: string) => [...text].slice(0, 100).join("");

/** Columns read by the raw-SQL paths, in the shape `toMessage` expects. */
export const MESSAGE_COLUMNS =
  "id, direction, from_number, to_number, body, preview, status, error, provider_message_id, idempotency_key, attempts, created_at, status_changed_at";

export type MessageRow = {
  id: string;
  direction: MessageDirection;
  from_number: string;
  to_number: string;
  body: string;
  preview: string;
  status: MessageStatus;
  error: string | null;
  provider_message_id: string | null;
  idempotency_key: string | null;
  attempts: number;
  created_at: Date;
  status_changed_at: Date;
};

/** The API's view of a message, whether read by Prisma or by raw SQL. */
export type MessageView = {
  id: string;
  direction: MessageDirection;
  from: string;
  to: string;
  text: string;
  preview: string;
  status: MessageStatus;
  error: string | null;
  providerMessageId: string | null;
  idempotencyKey: string | null;
  attempts: number;
  createdAt: Date;
  statusChangedAt: Date;
};

export function toMessage(row: MessageRow): MessageView {
  return {
    id: row.id,
    direction: row.direction,
    from: row.from_number,
    to: row.to_number,
    text: row.body,
    preview: row.preview,
    status: row.status,
    error: row.error,
    providerMessageId: row.provider_message_id,
    idempotencyKey: row.idempotency_key,
    attempts: row.attempts,
    createdAt: row.created_at,
    statusChangedAt: row.status_changed_at,
  };
}
