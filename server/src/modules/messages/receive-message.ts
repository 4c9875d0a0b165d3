import { randomUUID } from "node:crypto";
import { v7 as uuidv7 } from "uuid";
import type { Database } from "../../db/database.ts";
import { AppError, badInput } from "../../errors.ts";
import type { TenantPrincipal } from "../auth/principal.ts";
import { normalizePhoneNumber } from "../whatsapp/phone-number.ts";
import { recordWebhookEvents } from "../webhooks/record-events.ts";
import { MAX_TEXT_LENGTH, MESSAGE_COLUMNS, previewOf, toMessage, type MessageRow } from "./message-row.ts";

export type InboundMessage = { connectionId: string; ourNumber: string; from: string; text: string; providerMessageId: string };

/** Stores an incoming message once: a provider that delivers the same callback twice changes nothing. */
export async function receiveInboundMessage(db: Database, tenantId: string, inbound: InboundMessage) {
  return db.withTenantSql(tenantId, async (client) => {
    // The provider id is claimed first: a second delivery of the callback finds it taken.
    const { rows } = await client.query<MessageRow>(
      `WITH ref AS (
         INSERT INTO provider_message_refs (tenant_id, provider_message_id, message_id) VALUES ($1, $8, $2)
         ON CONFLICT DO NOTHING RETURNING message_id
       )
       INSERT INTO messages (tenant_id, id, connection_id, direction, from_number, to_number, contact_number, body, preview, status, provider_message_id)
       SELECT $1, ref.message_id, $3, 'INBOUND', $4, $5, $4, $6, $7, 'RECEIVED', $8 FROM ref
       RETURNING ${MESSAGE_COLUMNS}`,
      [tenantId, uuidv7(), inbound.connectionId, inbound.from, inbound.ourNumber, inbound.text, previewOf(inbound.text), inbound.providerMessageId],
    );
    if (rows[0]) {
      await recordWebhookEvents(client, tenantId, [{ type: "message.received", payload: { message: rows[0] } }]);
      return toMessage(rows[0]);
    }
    const existing = await client.query<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages
        WHERE tenant_id = $1 AND id = (SELECT message_id FROM provider_message_refs WHERE tenant_id = $1 AND provider_message_id = $2)`,
      [tenantId, inbound.providerMessageId],
    );
    return toMessage(existing.rows[0]!);
  });
}

/** The sandbox's stand-in for a contact's reply (development only, sandbox numbers only). */
export async function simulateInboundMessage(db: Database, sandboxEnabled: boolean, actor: TenantPrincipal, input: { from: string; text: string }) {
  const from = normalizePhoneNumber(input.from, "from");
  const length = [...input.text].length;
  if (length < 1 || length > MAX_TEXT_LENGTH) throw badInput("text", `Write 1 to ${MAX_TEXT_LENGTH} characters.`);
  const connection = await db.withTenant(actor.tenantId, (tx) => tx.whatsAppConnection.findFirst({ where: { tenantId: actor.tenantId, status: "CONNECTED" } }));
  if (!connection || connection.provider !== "SANDBOX" || !sandboxEnabled) {
    throw new AppError("CONFLICT", "Simulated replies need a connected sandbox number (an API key starting with sandbox_, in development).");
  }
  return receiveInboundMessage(db, actor.tenantId, {
    connectionId: connection.id,
    ourNumber: connection.number,
    from,
    text: input.text,
    providerMessageId: `sandbox_in_${randomUUID()}`,
  });
}
