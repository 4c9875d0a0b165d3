import { createHash } from "node:crypto";
import { v7 as uuidv7 } from "uuid";
import type pg from "pg";
import type { JobKey } from "../../jobs/engine.ts";
import { createGroupCommit } from "../../jobs/group-commit.ts";
import { badInput, conflict, forbidden } from "../../errors.ts";
import type { TenantPrincipal } from "../auth/principal.ts";
import { normalizePhoneNumber } from "../whatsapp/phone-number.ts";
import { MAX_TEXT_LENGTH, previewOf, toMessage, type MessageRow } from "../messages/message-row.ts";
import { messagesChanged } from "../live/message-changes.ts";
import { SEND_QUEUE } from "./send-consumer.ts";

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

export type SendMessageInput = { to: string; text: string; idempotencyKey?: string | null };

export function validateSendRequest(input: SendMessageInput) {
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

/** The SQL of the accept path: one statement (one commit) for a batch of a tenant's requests. */
export const ACCEPT_MESSAGES_SQL = "SELECT ord, outcome, connection_id, message FROM app_accept_messages($1, $2::jsonb)";

type AcceptOutcome = "created" | "replayed" | "idempotency_conflict" | "tenant_inactive" | "not_connected";
export type AcceptRequest = ReturnType<typeof validateSendRequest> & { preview: string };
/** The message comes as `row_to_json` of its row. */
type AcceptResult = { outcome: AcceptOutcome; connection_id: string | null; message: MessageRow | null };

/** One request as app_accept_messages reads it. */
export const acceptRow = (request: AcceptRequest, ord: number, id: string) => ({
  ord,
  id,
  to: request.to,
  body: request.text,
  preview: request.preview,
  idempotency_key: request.idempotencyKey,
  request_hash: request.requestHash,
});

/** Where accepted messages go: the batched accept statement, and the wake-up of the work engine. */
export type Outbox = { accept(tenantId: string, request: AcceptRequest): Promise<AcceptResult> };

/**
 * Micro-batched accepts: sendMessage calls of a tenant that arrive while its accept statement is
 * in flight go together in the next one (group commit), one statement and one commit for all,
 * each request still getting its own answer, none before its commit. At low load a request is
 * written at once; under load the batches grow with it. A created message wakes the work engine
 * for its connection.
 */
export function createOutbox(pool: pg.Pool, wake: (key: JobKey) => void): Outbox {
  const batches = createGroupCommit<AcceptRequest, AcceptResult>(
    async (tenantId, requests) => {
      const payload = requests.map((request, ord) => acceptRow(request, ord, uuidv7()));
      const { rows } = await pool.query<AcceptResult & { ord: number }>(ACCEPT_MESSAGES_SQL, [tenantId, JSON.stringify(payload)]);
      const results: AcceptResult[] = new Array(requests.length);
      for (const row of rows) results[row.ord] = row;
      return results;
    },
    { maxBatch: 256, maxInFlight: 2 },
  );
  return {
    async accept(tenantId, request) {
      const result = await batches.submit(tenantId, request);
      if (result.outcome === "created" && result.connection_id) {
        wake({ queue: SEND_QUEUE, tenantId, paceKey: result.connection_id });
        // After the batch's commit, gathered with the others: never a NOTIFY in the accept statement.
        messagesChanged(pool, tenantId);
      }
      return result;
    },
  };
}

/**
 * Accepts an outbound message durably: the message (QUEUED) and its job are written in one
 * statement, batched with concurrent requests of the tenant. With an idempotency key already used,
 * the original message is returned and nothing is sent.
 */
export async function acceptOutboundMessage(outbox: Outbox, actor: TenantPrincipal, input: SendMessageInput) {
  const message = validateSendRequest(input);
  const { outcome, message: row } = await outbox.accept(actor.tenantId, { ...message, preview: previewOf(message.text) });
  switch (outcome) {
    case "created":
      return { message: toMessage(row!), created: true };
    case "replayed":
      return { message: toMessage(row!), created: false };
    case "idempotency_conflict":
      throw conflict("This idempotency key was already used for a different message (other recipient or text).", "idempotencyKey");
    case "tenant_inactive":
      throw forbidden(
        "This company is suspended by Switchboard: sending is paused until it is reactivated. Its owners and admins see the reason in the dashboard.",
      );
    case "not_connected":
      throw conflict("Connect a WhatsApp number first (connectWhatsApp); no number is connected.");
  }
}
