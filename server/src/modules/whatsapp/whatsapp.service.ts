import { createHash, randomBytes } from "node:crypto";
import type { Database } from "../../db/database.ts";
import { isUniqueViolation } from "../../db/prisma-errors.ts";
import { AppError, badInput, conflict, notFound } from "../../errors.ts";
import type { WhatsAppConnection as ConnectionRow } from "../../generated/prisma/client.ts";
import { Permission } from "../auth/permissions.ts";
import type { TenantPrincipal } from "../auth/principal.ts";
import { byId, findById, type NodeSource } from "../relay/node-source.ts";
import type { Providers } from "../../providers/providers.ts";
import { decryptSecret, encryptSecret, type ServerKeys } from "../../security/secrets.ts";
import { actorOf } from "../auth/principal.ts";
import { normalizePhoneNumber } from "./phone-number.ts";
import { recordWebhookEventsInTransaction, type WebhookEventInput } from "../webhooks/record-events.ts";

export type WhatsAppDependencies = { db: Database; providers: Providers; keys: ServerKeys; publicUrl: string };

const CONFIRMATION_TEXT = "Switchboard: this WhatsApp number is now connected. Messages you send through the API will come from it.";

/**
 * The URL Rapiwa posts to for this connection; its token is a credential (whoever has it can add
 * inbound messages and receipts), so it is decrypted only for callers allowed to manage WhatsApp,
 * and only while the connection is connected (the token stops working when it is disconnected).
 */
export function inboundWebhookUrl(deps: Pick<WhatsAppDependencies, "publicUrl" | "keys">, connection: ConnectionView): string | null {
  if (connection.status !== "CONNECTED") return null;
  return `${deps.publicUrl}/webhooks/rapiwa/${decryptSecret(deps.keys.encryptionKey, connection.inboundTokenCiphertext)}`;
}

export type ConnectionView = ReturnType<typeof toConnectionView>;

type ConnectionColumns = Pick<
  ConnectionRow,
  "id" | "number" | "status" | "provider" | "sendRatePerSecond" | "connectedAt" | "disconnectedAt" | "inboundTokenCiphertext"
>;

export function toConnectionView(row: ConnectionColumns) {
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    provider: row.provider,
    sendRatePerSecond: row.sendRatePerSecond,
    connectedAt: row.connectedAt,
    disconnectedAt: row.disconnectedAt,
    /** Not a GraphQL field: `inboundWebhookUrl` decrypts it for those allowed to see it. */
    inboundTokenCiphertext: row.inboundTokenCiphertext,
  };
}

/** The `connection.disconnected` webhook event: the number as the API shows it, nothing secret. */
function disconnectedEvent(row: ConnectionRow): WebhookEventInput {
  const { inboundTokenCiphertext: _secret, ...connection } = toConnectionView(row);
  return { type: "connection.disconnected", payload: { connection } };
}

/** What is stored of an inbound token, and what a callback's token is looked up by. */
export const hashInboundToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** A new secret token for an inbound URL: what is stored is its SHA-256 (to route callbacks) and its ciphertext (to show it again). */
function newInboundToken(keys: ServerKeys) {
  const token = randomBytes(24).toString("base64url");
  return { inboundTokenHash: hashInboundToken(token), inboundTokenCiphertext: encryptSecret(keys.encryptionKey, token) };
}

/**
 * Checks the key the way the provider will use it, by sending a confirmation message to the number
 * itself, and only then stores the key (encrypted). A failed check saves nothing.
 */
export async function connectWhatsApp(
  deps: WhatsAppDependencies,
  actor: TenantPrincipal,
  input: { apiKey: string; number: string; sendRatePerSecond?: number | null },
) {
  const number = normalizePhoneNumber(input.number, "number");
  const apiKey = input.apiKey.trim();
  if (!apiKey) throw badInput("apiKey", "Paste the number's Rapiwa API key.");
  const kind = deps.providers.kindForKey(apiKey);

  const outcome = await deps.providers.get(kind).sendText({ apiKey, to: number, text: CONFIRMATION_TEXT });
  if (!outcome.ok) {
    if (outcome.badCredential) throw badInput("apiKey", `Rapiwa rejected this API key (${outcome.reason}). Nothing was saved.`);
    if (outcome.retryable) throw new AppError("PROVIDER_ERROR", `Could not reach Rapiwa to check the key: ${outcome.reason}. Nothing was saved; try again.`);
    throw badInput("number", `Rapiwa could not send to ${number}: ${outcome.reason}. Nothing was saved.`);
  }

  const apiKeyCiphertext = encryptSecret(deps.keys.encryptionKey, apiKey);
  try {
    const row = await deps.db.withTenant(actor.tenantId, async (tx) => {
      const current = await tx.whatsAppConnection.findFirst({ where: { tenantId: actor.tenantId, status: "CONNECTED" } });
      const rate = input.sendRatePerSecond ?? current?.sendRatePerSecond ?? undefined;
      let saved: ConnectionRow;
      if (current && current.number === number) {
        // A new key for the same number: queued messages carry on, the inbound URL stays valid.
        saved = await tx.whatsAppConnection.update({
          where: { tenantId_id: { tenantId: actor.tenantId, id: current.id } },
          data: { apiKeyCiphertext, provider: kind, connectedAt: new Date(), ...(rate ? { sendRatePerSecond: rate } : {}) },
        });
      } else {
        if (current) {
          const replaced = await tx.whatsAppConnection.update({
            where: { tenantId_id: { tenantId: actor.tenantId, id: current.id } },
            data: { status: "DISCONNECTED", disconnectedAt: new Date() },
          });
          await recordWebhookEventsInTransaction(tx, actor.tenantId, [disconnectedEvent(replaced)]);
        }
        saved = await tx.whatsAppConnection.create({
          data: {
            tenantId: actor.tenantId,
            provider: kind,
            number,
            apiKeyCiphertext,
            ...newInboundToken(deps.keys),
            ...(rate ? { sendRatePerSecond: rate } : {}),
          },
        });
      }
      await tx.auditLog.create({
        data: { tenantId: actor.tenantId, actor: actorOf(actor), action: "whatsapp.connected", target: number, details: { provider: kind } },
      });
      return saved;
    });
    return toConnectionView(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict("Another connection of this tenant was saved at the same moment; reload and try again.");
    throw error;
  }
}

export async function disconnectWhatsApp(deps: WhatsAppDependencies, actor: TenantPrincipal) {
  const row = await deps.db.withTenant(actor.tenantId, async (tx) => {
    const current = await tx.whatsAppConnection.findFirst({ where: { tenantId: actor.tenantId, status: "CONNECTED" } });
    if (!current) throw notFound("A connected WhatsApp number");
    await tx.auditLog.create({ data: { tenantId: actor.tenantId, actor: actorOf(actor), action: "whatsapp.disconnected", target: current.number } });
    const disconnected = await tx.whatsAppConnection.update({
      where: { tenantId_id: { tenantId: actor.tenantId, id: current.id } },
      data: { status: "DISCONNECTED", disconnectedAt: new Date() },
    });
    await recordWebhookEventsInTransaction(tx, actor.tenantId, [disconnectedEvent(disconnected)]);
    return disconnected;
  });
  return toConnectionView(row);
}

/** The connected number, else the most recently disconnected one, else null. */
export async function getWhatsAppConnection(deps: WhatsAppDependencies, tenantId: string) {
  const row = await deps.db.withTenant(tenantId, (tx) =>
    tx.whatsAppConnection.findFirst({ where: { tenantId }, orderBy: [{ status: "asc" }, { connectedAt: "desc" }] }),
  );
  return row ? toConnectionView(row) : null;
}

/** `node(id:)` for WhatsApp connections (the current one and earlier ones): seen as `tenant { whatsapp }` is. */
export const whatsAppConnectionNodes: NodeSource = {
  typename: "WhatsAppConnection",
  permission: Permission.TENANT_READ,
  find: findById("whatsapp_connections"),
  async load(client, tenantId, found) {
    const { rows } = await client.query<ConnectionColumns>(
      `SELECT id, number, status, provider, send_rate_per_second AS "sendRatePerSecond", connected_at AS "connectedAt",
              disconnected_at AS "disconnectedAt", inbound_token_ciphertext AS "inboundTokenCiphertext"
         FROM whatsapp_connections WHERE tenant_id = $1 AND id = ANY ($2::uuid[])`,
      [tenantId, found.map((node) => node.id)],
    );
    return byId(rows.map(toConnectionView));
  },
};

/** Replaces the connected number's inbound token: the old URL stops working at once. */
export async function rotateInboundWebhookToken(deps: WhatsAppDependencies, actor: TenantPrincipal) {
  const row = await deps.db.withTenant(actor.tenantId, async (tx) => {
    const current = await tx.whatsAppConnection.findFirst({ where: { tenantId: actor.tenantId, status: "CONNECTED" } });
    if (!current) throw notFound("A connected WhatsApp number");
    await tx.auditLog.create({ data: { tenantId: actor.tenantId, actor: actorOf(actor), action: "whatsapp.inbound_token_rotated", target: current.number } });
    return tx.whatsAppConnection.update({ where: { tenantId_id: { tenantId: actor.tenantId, id: current.id } }, data: newInboundToken(deps.keys) });
  });
  return toConnectionView(row);
}
