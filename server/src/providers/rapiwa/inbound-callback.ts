import { createHash } from "node:crypto";
import { v7 as uuidv7 } from "uuid";
import type { Database } from "../../db/database.ts";
import { notFound } from "../../errors.ts";
import { recordReceipt } from "../../modules/messages/message-status.ts";
import { receiveInboundMessage } from "../../modules/messages/receive-message.ts";
import { normalizePhoneNumber } from "../../modules/whatsapp/phone-number.ts";
import { hashInboundToken } from "../../modules/whatsapp/whatsapp.service.ts";
import { storableProviderMessageId } from "../provider-message-id.ts";
import { toStorableJson, truncateText } from "../../security/text-input.ts";

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const text = (...values: unknown[]) => values.find((value): value is string => typeof value === "string" && value.trim() !== "");

export type InboundResult = { handledAs: "message" | "status" | "unknown"; messageId?: string };

/**
 * A callback to a connection's inbound URL. Rapiwa documents no schema or signature for these:
 * payloads seen look like `{ event?, data: { from, message, messageId, ... } }`, and status
 * receipts arrive at the same URL. Every payload is kept as received; what can be read as an
 * incoming message or a receipt is applied, deduplicated on the provider's message id.
 */
export async function handleRapiwaCallback(db: Database, token: string, body: unknown): Promise<InboundResult> {
  const connection = /^[A-Za-z0-9_-]{16,64}$/.test(token) ? await db.auth.inboundConnection(hashInboundToken(token)) : undefined;
  if (!connection) throw notFound("This inbound URL");
  // Refusing a payload would lose a customer's message: text PostgreSQL cannot store (NUL, lone
  // surrogates) becomes U+FFFD everywhere in it, keys included, before anything reads it.
  const payload = toStorableJson(isRecord(body) ? body : { value: body }) as Json;
  const data: Json = isRecord(payload.data) ? payload.data : payload;
  const event = text(payload.event, payload.type, data.event, data.type) ?? "";
  const rawProviderId = text(data.messageId, data.message_id, data.id);
  const providerMessageId = rawProviderId === undefined ? undefined : storableProviderMessageId(rawProviderId);
  const status = text(data.status, data.ack)?.toLowerCase();
  const receipt = status === "delivered" ? "DELIVERED" : status === "read" ? "READ" : undefined;
  const from = text(data.from, data.sender, data.phone, data.number);
  const message = text(data.message, data.text, data.body);

  const handledAs: InboundResult["handledAs"] = receipt && providerMessageId ? "status" : from && message ? "message" : "unknown";
  // Keeping the payload and finding the message a receipt names: one transaction.
  const receiptFor = await db.withTenantSql(connection.tenantId, async (client) => {
    await client.query("INSERT INTO provider_events (tenant_id, id, connection_id, event_type, payload) VALUES ($1, $2, $3, $4, $5)", [
      connection.tenantId,
      uuidv7(),
      connection.connectionId,
      truncateText(event || handledAs, 100),
      JSON.stringify(payload),
    ]);
    if (handledAs !== "status") return undefined;
    // Only a message this connection sent: another number's token must not move it.
    const ours = await client.query<{ id: string }>(
      `SELECT m.id FROM provider_message_refs r JOIN messages m ON m.tenant_id = r.tenant_id AND m.id = r.message_id
        WHERE r.tenant_id = $1 AND r.provider_message_id = $2 AND m.direction = 'OUTBOUND' AND m.connection_id = $3`,
      [connection.tenantId, providerMessageId, connection.connectionId],
    );
    return ours.rows[0]?.id;
  });

  if (handledAs === "status") {
    if (receiptFor) await recordReceipt(db, connection.tenantId, receiptFor, receipt!);
    return { handledAs, ...(receiptFor ? { messageId: receiptFor } : {}) };
  }
  if (handledAs === "message") {
    let sender: string;
    try {
      sender = normalizePhoneNumber(from!, "from");
    } catch {
      return { handledAs: "unknown" };
    }
    const stored = await receiveInboundMessage(db, connection.tenantId, {
      connectionId: connection.connectionId,
      ourNumber: connection.number,
      from: sender,
      text: truncateText(message!, 65_536),
      // Without an id, the payload itself identifies the message: a resent callback is not stored twice.
      providerMessageId: providerMessageId ?? `payload_${createHash("sha256").update(JSON.stringify(payload)).digest("hex")}`,
    });
    return { handledAs, messageId: stored.id };
  }
  return { handledAs };
}
