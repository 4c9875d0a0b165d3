import { randomUUID } from "node:crypto";
import type { Database } from "../../db/database.ts";
import { AppError, badInput } from "../../errors.ts";
import type { TenantPrincipal } from "../auth/principal.ts";
import { normalizePhoneNumber } from "../whatsapp/phone-number.ts";
import { storeInbound, type RawProviderEvent } from "./inbox.ts";
import { MAX_TEXT_LENGTH, type MessageView } from "./message-row.ts";

export type InboundMessage = { connectionId: string; from: string; text: string; providerMessageId: string; raw?: RawProviderEvent };

/** Stores an incoming message once: a provider that delivers the same callback twice changes nothing. */
export async function receiveInboundMessage(db: Database, tenantId: string, { connectionId, ...message }: InboundMessage): Promise<MessageView> {
  const [result] = await storeInbound(db.pool, { tenantId, connectionId }, [{ kind: "message", ...message }]);
  return result!.message!;
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
  const providerMessageId = `sandbox_in_${randomUUID()}`;
  return receiveInboundMessage(db, actor.tenantId, {
    connectionId: connection.id,
    from,
    text: input.text,
    providerMessageId,
    // What Rapiwa would have called back with, so the sandbox's replies show a raw payload as real ones do.
    raw: { eventType: "message", payload: { event: "message", sandbox: true, data: { from, message: input.text, messageId: providerMessageId } } },
  });
}
