import { createHash } from "node:crypto";
import type { Database } from "../../db/database.ts";
import { notFound } from "../../errors.ts";
import type { CallingConnection, InboundItem, InboundResult, Inbox } from "../../modules/messages/inbox.ts";
import { normalizePhoneNumber } from "../../modules/whatsapp/phone-number.ts";
import { hashInboundToken } from "../../modules/whatsapp/whatsapp.service.ts";
import { storableProviderMessageId } from "../provider-message-id.ts";
import { toStorableJson, truncateText } from "../../security/text-input.ts";

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const text = (...values: unknown[]) => values.find((value): value is string => typeof value === "string" && value.trim() !== "");

/**
 * A callback to a connection's inbound URL. Rapiwa documents no schema or signature for these:
 * payloads seen look like `{ event?, data: { from, message, messageId, ... } }`, and status
 * receipts arrive at the same URL. Every payload is kept as received; what can be read as an
 * incoming message or a receipt is applied, deduplicated on the provider's message id, in the same
 * transaction (batched with the connection's concurrent callbacks, see inbox.ts).
 */
export async function handleRapiwaCallback(db: Database, inbox: Inbox, token: string, body: unknown): Promise<Pick<InboundResult, "handledAs" | "messageId">> {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) throw notFound("This inbound URL");
  const tokenHash = hashInboundToken(token);
  const connection = await inboundConnection(db, tokenHash);
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
  const item = understood({ receipt, providerMessageId, from, message, payload });
  const raw = { eventType: truncateText(event || (item.kind === "receipt" ? "status" : item.kind), 100), payload };

  const { handledAs, messageId } = await inbox.receive(connection, { ...item, raw, tokenHash });
  if (handledAs === "rejected") {
    // Rotated away or disconnected since it was cached: checked again where it is stored, nothing was kept.
    knownConnections(db).delete(tokenHash);
    throw notFound("This inbound URL");
  }
  return { handledAs, ...(messageId ? { messageId } : {}) };
}

type KnownConnection = CallingConnection & { seenAt: number };

/** How long a token's connection is remembered, and how many are: a look-up saved per callback. */
const KNOWN_FOR_MS = 60_000;
const MAX_KNOWN = 10_000;
const known = new WeakMap<Database, Map<string, KnownConnection>>();

const knownConnections = (db: Database) => {
  let connections = known.get(db);
  if (!connections) known.set(db, (connections = new Map()));
  return connections;
};

/**
 * The connection an inbound token belongs to, remembered for a minute. Safe to remember: the batch that
 * stores the callback checks the token against the connection again (app_receive_inbound), so a rotated
 * token or a disconnected number is refused at once all the same. Unknown tokens are not remembered.
 */
async function inboundConnection(db: Database, tokenHash: string): Promise<CallingConnection | undefined> {
  const connections = knownConnections(db);
  const cached = connections.get(tokenHash);
  if (cached && Date.now() - cached.seenAt < KNOWN_FOR_MS) return cached;
  const found = await db.auth.inboundConnection(tokenHash);
  if (!found) {
    connections.delete(tokenHash);
    return undefined;
  }
  // A Map keeps insertion order: the oldest entry goes first when full.
  if (connections.size >= MAX_KNOWN) connections.delete(connections.keys().next().value!);
  const entry = { tenantId: found.tenantId, connectionId: found.connectionId, seenAt: Date.now() };
  connections.delete(tokenHash);
  connections.set(tokenHash, entry);
  return entry;
}

function understood({
  receipt,
  providerMessageId,
  from,
  message,
  payload,
}: {
  receipt: "DELIVERED" | "READ" | undefined;
  providerMessageId: string | undefined;
  from: string | undefined;
  message: string | undefined;
  payload: Json;
}): InboundItem {
  if (receipt && providerMessageId) return { kind: "receipt", status: receipt, providerMessageId };
  if (!from || !message) return { kind: "unknown" };
  let sender: string;
  try {
    sender = normalizePhoneNumber(from, "from");
  } catch {
    return { kind: "unknown" };
  }
  return {
    kind: "message",
    from: sender,
    text: truncateText(message, 65_536),
    // Without an id, the payload itself identifies the message: a resent callback is not stored twice.
    providerMessageId: providerMessageId ?? `payload_${createHash("sha256").update(JSON.stringify(payload)).digest("hex")}`,
  };
}
