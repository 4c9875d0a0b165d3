import { createHash } from "node:crypto";
import { v7 as uuidv7 } from "uuid";
import type { Database } from "../../db/database.ts";
import { badInput, conflict, forbidden } from "../../errors.ts";
import type { TenantPrincipal } from "../../graphql/context.ts";
import { normalizePhoneNumber } from "../whatsapp/phone-number.ts";
import { MESSAGE_COLUMNS, toMessage, type MessageRow } from "./message-row.ts";

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

/**
 * Accepts an outbound message durably: one short transaction inserts it as QUEUED, and the row is
 * its own outbox entry (no queue job, no NOTIFY, no counter row: see GUIDE.md's measurements).
 * With an idempotency key already used, the original message is returned and nothing is sent.
 */
export async function acceptOutboundMessage(db: Database, actor: TenantPrincipal, input: SendMessageInput) {
  const message = validate(input);
  const id = uuidv7();
  const preview = [...message.text].slice(0, 100).join("");

  return db.withTenantSql(actor.tenantId, async (client) => {
    // Inserting through the connection (and the tenant's active flag) makes the checks and the
    // write one statement; a missing row below says which check failed.
    const inserted = await client.query<MessageRow>(
      `INSERT INTO messages (tenant_id, id, connection_id, direction, from_number, to_number, contact_number, body, preview,
                             status, idempotency_key, request_hash, next_attempt_at)
       SELECT $1, $2, c.id, 'OUTBOUND', c.number, $3, $3, $4, $5, 'QUEUED', $6, $7, now()
         FROM whatsapp_connections c JOIN tenants t ON t.id = c.tenant_id
        WHERE c.tenant_id = $1 AND c.status = 'CONNECTED' AND t.active
       ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
       RETURNING ${MESSAGE_COLUMNS}`,
      [actor.tenantId, id, message.to, message.text, preview, message.idempotencyKey, message.requestHash],
    );
    if (inserted.rows[0]) return { message: toMessage(inserted.rows[0]), created: true };

    if (message.idempotencyKey) {
      const earlier = await client.query<MessageRow & { request_hash: string }>(
        `SELECT ${MESSAGE_COLUMNS}, request_hash FROM messages WHERE tenant_id = $1 AND idempotency_key = $2`,
        [actor.tenantId, message.idempotencyKey],
      );
      const original = earlier.rows[0];
      if (original) {
        if (original.request_hash !== message.requestHash) {
          throw conflict("This idempotency key was already used for a different message (other recipient or text).", "idempotencyKey");
        }
        return { message: toMessage(original), created: false };
      }
    }
    const state = await client.query<{ active: boolean; connected: boolean }>(
      `SELECT t.active, EXISTS (SELECT 1 FROM whatsapp_connections c WHERE c.tenant_id = t.id AND c.status = 'CONNECTED') AS connected
         FROM tenants t WHERE t.id = $1`,
      [actor.tenantId],
    );
    if (!state.rows[0]?.active) throw forbidden("This tenant is deactivated and cannot send messages.");
    throw conflict("Connect a WhatsApp number first (connectWhatsApp); no number is connected.");
  });
}
