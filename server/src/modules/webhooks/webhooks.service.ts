import { randomBytes } from "node:crypto";
import type { Database, TenantTransaction } from "../../db/database.ts";
import { isUuid } from "../../db/database.ts";
import { badInput, conflict, notFound } from "../../errors.ts";
import { encryptSecret, type ServerKeys } from "../../security/secrets.ts";
import { Permission } from "../auth/permissions.ts";
import type { TenantPrincipal } from "../auth/principal.ts";
import { byId, findById, type NodeSource } from "../relay/node-source.ts";
import { actorOf } from "../auth/principal.ts";
import { eventNameOf, eventTypeOfName, type WebhookEventType } from "./event-types.ts";
import { checkWebhookUrl } from "../../webhooks/url-policy.ts";
import { MAX_WEBHOOK_ENDPOINTS } from "./webhook.types.ts";

export type WebhookDependencies = {
  db: Database;
  keys: ServerKeys;
  /** WEBHOOK_ALLOW_PRIVATE_URLS: endpoints may be on private addresses (development only). */
  allowPrivateUrls: boolean;
};

/** After a rotation, the previous secret keeps signing beside the new one this long. */
export const PREVIOUS_SECRET_LIFETIME_MS = 24 * 60 * 60 * 1000;

const endpointFields = { id: true, url: true, description: true, eventTypes: true, enabled: true, disabledReason: true, createdAt: true } as const;

type EndpointRow = { id: string; url: string; description: string; eventTypes: string[]; enabled: boolean; disabledReason: string | null; createdAt: Date };

/** The API's view: the fields named, never the secrets' ciphertexts a row may also carry. */
export function toWebhookEndpoint(row: EndpointRow) {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.eventTypes.map(eventTypeOfName).filter((type): type is WebhookEventType => type !== undefined),
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    createdAt: row.createdAt,
  };
}

/** `whsec_` + base64 of 32 random bytes (Standard Webhooks), and how it is stored. */
function newSigningSecret(keys: ServerKeys) {
  const secret = `whsec_${randomBytes(32).toString("base64")}`;
  return { secret, ciphertext: encryptSecret(keys.encryptionKey, secret) };
}

/** The URL as it will be called (normalised by the URL parser), or BAD_USER_INPUT on `url` with the reason. */
function checkedUrl(deps: Pick<WebhookDependencies, "allowPrivateUrls">, url: string): string {
  const checked = checkWebhookUrl(url.trim(), { allowPrivate: deps.allowPrivateUrls });
  if (!checked.ok) throw badInput("url", checked.reason);
  return checked.url.href;
}

/** What the audit log keeps of a URL: no query or fragment, where receivers often put a token. */
const auditedUrl = (url: string) => {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
};

const eventNamesOf = (events: WebhookEventType[] | null | undefined) => (events ?? []).map(eventNameOf);

export function checkEndpointId(id: string, field = "id") {
  if (!isUuid(id)) throw badInput(field, `${field} must be a webhook endpoint id.`);
}

async function findEndpoint(tx: TenantTransaction, tenantId: string, id: string) {
  const endpoint = await tx.webhookEndpoint.findUnique({ where: { tenantId_id: { tenantId, id } }, select: { ...endpointFields, secretCiphertext: true } });
  if (!endpoint) throw notFound("That webhook endpoint");
  return endpoint;
}

const audit = (tx: TenantTransaction, actor: TenantPrincipal, action: string, endpointId: string, details?: Record<string, unknown>) =>
  tx.auditLog.create({
    data: { tenantId: actor.tenantId, actor: actorOf(actor), action, target: `webhook_endpoint:${endpointId}`, details: details as object },
  });

export function createWebhookEndpoint(
  deps: WebhookDependencies,
  actor: TenantPrincipal,
  input: { url: string; events?: WebhookEventType[] | null; description?: string | null },
) {
  const url = checkedUrl(deps, input.url);
  const eventTypes = eventNamesOf(input.events);
  const description = input.description?.trim() ?? "";
  const { secret, ciphertext } = newSigningSecret(deps.keys);
  return deps.db.withTenant(actor.tenantId, async (tx) => {
    // One count at a time per tenant, so two creations at once cannot both take the last place.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`webhook_endpoints:${actor.tenantId}`}, 0))`;
    const count = await tx.webhookEndpoint.count({ where: { tenantId: actor.tenantId } });
    if (count >= MAX_WEBHOOK_ENDPOINTS) {
      throw conflict(`A tenant can have at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints; delete one first (one endpoint can receive every event).`);
    }
    const row = await tx.webhookEndpoint.create({
      data: { tenantId: actor.tenantId, url, description, eventTypes, secretCiphertext: ciphertext },
      select: endpointFields,
    });
    await audit(tx, actor, "webhook_endpoint.created", row.id, { url: auditedUrl(url), events: eventTypes, description });
    return { endpoint: toWebhookEndpoint(row), secret };
  });
}

export function listWebhookEndpoints(db: Database, actor: TenantPrincipal) {
  return db.withTenant(actor.tenantId, async (tx) => {
    const rows = await tx.webhookEndpoint.findMany({
      where: { tenantId: actor.tenantId },
      select: endpointFields,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    });
    return rows.map(toWebhookEndpoint);
  });
}

/** Null when there is no such endpoint in the caller's tenant. */
export function getWebhookEndpoint(db: Database, actor: TenantPrincipal, id: string) {
  checkEndpointId(id);
  return db.withTenant(actor.tenantId, async (tx) => {
    const row = await tx.webhookEndpoint.findUnique({ where: { tenantId_id: { tenantId: actor.tenantId, id } }, select: endpointFields });
    return row ? toWebhookEndpoint(row) : null;
  });
}

/** `node(id:)` for webhook endpoints: the primary key; the columns of `endpointFields`, never the secrets. */
export const webhookEndpointNodes: NodeSource = {
  typename: "WebhookEndpoint",
  permission: Permission.WEBHOOKS_MANAGE,
  find: findById("webhook_endpoints"),
  async load(client, tenantId, found) {
    const { rows } = await client.query<EndpointRow>(
      `SELECT id, url, description, event_types::text[] AS "eventTypes", enabled, disabled_reason AS "disabledReason", created_at AS "createdAt"
         FROM webhook_endpoints WHERE tenant_id = $1 AND id = ANY ($2::uuid[])`,
      [tenantId, found.map((node) => node.id)],
    );
    return byId(rows.map(toWebhookEndpoint));
  },
};

export type UpdateWebhookEndpoint = { url?: string | null; events?: WebhookEventType[] | null; description?: string | null; enabled?: boolean | null };

/**
 * Changes only the fields given. Enabling a disabled endpoint clears why it was disabled and brings
 * back the deliveries that waited (their jobs are due again at once); disabling parks them.
 */
export function updateWebhookEndpoint(deps: WebhookDependencies, actor: TenantPrincipal, id: string, input: UpdateWebhookEndpoint) {
  checkEndpointId(id);
  const url = input.url === null || input.url === undefined ? undefined : checkedUrl(deps, input.url);
  const eventTypes = input.events === null || input.events === undefined ? undefined : eventNamesOf(input.events);
  const description = input.description === null || input.description === undefined ? undefined : input.description.trim();
  return deps.db.withTenant(actor.tenantId, async (tx) => {
    const existing = await findEndpoint(tx, actor.tenantId, id);
    const toggled = input.enabled !== null && input.enabled !== undefined && input.enabled !== existing.enabled;
    const changes = {
      ...(url !== undefined && url !== existing.url ? { url } : {}),
      ...(eventTypes !== undefined && eventTypes.join() !== existing.eventTypes.join() ? { eventTypes } : {}),
      ...(description !== undefined && description !== existing.description ? { description } : {}),
      ...(toggled ? { enabled: input.enabled! } : {}),
    };
    if (Object.keys(changes).length === 0) return toWebhookEndpoint(existing);
    const health = toggled && input.enabled ? { disabledReason: null, failingSince: null } : {};
    // Guarded by the state the changes were computed from: a concurrent toggle (or the delivery
    // consumer disabling it) in between would make parking or un-parking the jobs wrong.
    const written = await tx.webhookEndpoint.updateMany({
      where: { tenantId: actor.tenantId, id, enabled: existing.enabled },
      data: { ...changes, ...health },
    });
    if (written.count === 0)
      throw conflict("That webhook endpoint changed a moment ago (another request, or it was disabled for failing); reload and try again.");
    if (toggled) await tx.$executeRaw`SELECT app_park_webhook_jobs(${actor.tenantId}::uuid, ${id}::uuid, ${!input.enabled})`;
    await audit(tx, actor, "webhook_endpoint.updated", id, {
      ...changes,
      ...(changes.url ? { url: auditedUrl(changes.url) } : {}),
    });
    const row = await tx.webhookEndpoint.findUniqueOrThrow({ where: { tenantId_id: { tenantId: actor.tenantId, id } }, select: endpointFields });
    return toWebhookEndpoint(row);
  });
}

/** Deletes the endpoint with its deliveries and their pending jobs. */
export function deleteWebhookEndpoint(db: Database, actor: TenantPrincipal, id: string) {
  checkEndpointId(id);
  return db.withTenant(actor.tenantId, async (tx) => {
    const existing = await findEndpoint(tx, actor.tenantId, id);
    await tx.webhookEndpoint.delete({ where: { tenantId_id: { tenantId: actor.tenantId, id } } });
    // Jobs are not tied to their delivery by a foreign key; parked ones (a disabled endpoint) would stay forever.
    await tx.job.deleteMany({ where: { tenantId: actor.tenantId, queue: "deliver_webhook", paceKey: id } });
    await audit(tx, actor, "webhook_endpoint.deleted", id, { url: auditedUrl(existing.url) });
    return true;
  });
}

/**
 * A new signing secret, shown once. The one it replaces keeps signing beside it for 24 hours (both
 * signatures are sent), so receivers can switch without losing events; a secret older than that
 * stops at once.
 */
export function rotateWebhookSecret(deps: WebhookDependencies, actor: TenantPrincipal, id: string) {
  checkEndpointId(id);
  const { secret, ciphertext } = newSigningSecret(deps.keys);
  return deps.db.withTenant(actor.tenantId, async (tx) => {
    const existing = await findEndpoint(tx, actor.tenantId, id);
    const previousSecretExpiresAt = new Date(Date.now() + PREVIOUS_SECRET_LIFETIME_MS);
    // Two rotations at once: only one may keep the current secret as the previous one.
    const written = await tx.webhookEndpoint.updateMany({
      where: { tenantId: actor.tenantId, id, secretCiphertext: existing.secretCiphertext },
      data: { secretCiphertext: ciphertext, previousSecretCiphertext: existing.secretCiphertext, previousSecretExpiresAt },
    });
    if (written.count === 0) throw conflict("The secret was rotated a moment ago by another request; rotate again if you need a secret you can see.");
    await audit(tx, actor, "webhook_endpoint.secret_rotated", id, { previousSecretExpiresAt: previousSecretExpiresAt.toISOString() });
    return { endpoint: toWebhookEndpoint(existing), secret };
  });
}
