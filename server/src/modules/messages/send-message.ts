import { createHash } from "node:crypto";
import { v7 as uuidv7 } from "uuid";
import type { Database } from "../../db/database.ts";
import { badInput, conflict, forbidden } from "../../errors.ts";
import type { TenantPrincipal } from "../auth/principal.ts";
import { normalizePhoneNumber } from "../whatsapp/phone-number.ts";
import { previewOf, toMessage, type MessageRow } from "./message-row.ts";

export const MAX_TEXT_LENGTH = 4_096;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

export type SendMessageInput = { to: string; text: string; idempotencyKey?: string | null };

function validate(input: SendMessageInput) {
  const to = normalizePhoneNumber(input.to, "to");
  // Characters as people count them (code points), not UTF-16 units.
  const length = [...input.text].length;
  if (length === 0 || input.text.trim() === "") throw badInput("text", "Write the message text.");
  if (length > MAX_TEXT_LENGTH) throw badInput("text", `The text is ${length} characters; WhatsApp allows at most ${MAX_TEXT_LENGTH}.`);
  const idempotencyKey = input.idempotencyKey ?? null;
  if (idempotencyKey !== null && (idempotencyKey.length === 0 || idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH)) {
    throw badInput("idempotencyKey", `An idempotency key has 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`);
  }
  const requestHash = createHash("sha256").update(`${to}\n${input.text}`).digest("hex");
  return { to, text: input.text, idempotencyKey, requestHash };
}

/** The SQL of the accept path (one statement, one round trip: see the accept_message_function migration). */
export const ACCEPT_MESSAGE_SQL = "SELECT outcome, message FROM app_accept_message($1, $2, $3, $4, $5, $6, $7)";

/** Told when a message was queued, so the dispatcher looks at once rather than at its next poll. */
export type Outbox = { notify(): void };

type AcceptOutcome = "created" | "replayed" | "idempotency_conflict" | "tenant_inactive" | "not_connected";

/**
 * Accepts an outbound message durably: one statement inserts it as QUEUED in its own transaction,
 * and the row is its own outbox entry (no queue job, no NOTIFY, no counter row: each of those
 * halved the accept rate or worse when measured with pgbench); a new message wakes the dispatcher through `outbox`. With an idempotency key
 * already used, the original message is returned and nothing is sent.
 */
export async function acceptOutboundMessage(db: Database, outbox: Outbox, actor: TenantPrincipal, input: SendMessageInput) {
  const message = validate(input);
  const preview = previewOf(message.text);
  const { rows } = await db.pool.query<{ outcome: AcceptOutcome; message: JsonMessageRow | null }>(ACCEPT_MESSAGE_SQL, [
    actor.tenantId,
    uuidv7(),
    message.to,
    message.text,
    preview,
    message.idempotencyKey,
    message.requestHash,
  ]);
  const { outcome, message: row } = rows[0]!;
  switch (outcome) {
    case "created":
      outbox.notify();
      return { message: toMessage(fromJsonRow(row!)), created: true };
    case "replayed":
      return { message: toMessage(fromJsonRow(row!)), created: false };
    case "idempotency_conflict":
      throw conflict("This idempotency key was already used for a different message (other recipient or text).", "idempotencyKey");
    case "tenant_inactive":
      throw forbidden("This tenant is deactivated and cannot send messages.");
    case "not_connected":
      throw conflict("Connect a WhatsApp number first (connectWhatsApp); no number is connected.");
  }
}

type JsonMessageRow = Omit<MessageRow, "created_at" | "status_changed_at"> & { created_at: string; status_changed_at: string };

const fromJsonRow = (row: JsonMessageRow): MessageRow => ({ ...row, created_at: new Date(row.created_at), status_changed_at: new Date(row.status_changed_at) });
