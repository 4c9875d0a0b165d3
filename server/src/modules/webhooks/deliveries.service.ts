import { v7 as uuidv7 } from "uuid";
import type pg from "pg";
import type { Database } from "../../db/database.ts";
import { isUuid } from "../../db/database.ts";
import { badInput, conflict } from "../../errors.ts";
import type { TenantPrincipal } from "../auth/principal.ts";
import { actorOf } from "../auth/principal.ts";
import { assertEndpointExists, readWebhookDelivery } from "./deliveries.queries.ts";
import { checkEndpointId } from "./webhooks.service.ts";

// The queueing itself is the app_* functions of the webhooks migration; each scopes itself to the
// tenant it is given, the same one this transaction is scoped to.

async function audit(client: pg.PoolClient, actor: TenantPrincipal, action: string, target: string, details: Record<string, unknown>) {
  await client.query(`INSERT INTO audit_logs (tenant_id, id, actor, action, target, details) VALUES ($1, $2, $3, $4, $5, $6)`, [
    actor.tenantId,
    uuidv7(),
    actorOf(actor),
    action,
    target,
    JSON.stringify(details),
  ]);
}

/**
 * Delivers the delivery's event again, now, with the same webhook-id, whatever its status; an attempt
 * in flight finishes first. To a disabled endpoint it waits until the endpoint is enabled.
 */
export function redeliverWebhook(db: Database, actor: TenantPrincipal, id: string) {
  if (!isUuid(id)) throw badInput("id", "id must be a webhook delivery id.");
  return db.withTenantSql(actor.tenantId, async (client) => {
    const delivery = await readWebhookDelivery(client, actor.tenantId, id);
    if (delivery.payload === null) throw conflict("This event is past the 30-day retention: its data is gone, so it cannot be delivered again.");
    await client.query(`SELECT app_redeliver_webhooks($1, ARRAY[$2]::uuid[], NULL, NULL)`, [actor.tenantId, id]);
    await audit(client, actor, "webhook_delivery.redelivered", `webhook_delivery:${id}`, { eventId: delivery.eventId, eventType: delivery.eventType });
    return readWebhookDelivery(client, actor.tenantId, id);
  });
}

/** Every FAILED delivery of the endpoint created since `since`, delivered again; returns how many. */
export function recoverWebhookDeliveries(db: Database, actor: TenantPrincipal, endpointId: string, since: Date) {
  checkEndpointId(endpointId, "endpointId");
  return db.withTenantSql(actor.tenantId, async (client) => {
    await assertEndpointExists(client, actor.tenantId, endpointId);
    const { rows } = await client.query<{ queued: number }>(`SELECT app_redeliver_webhooks($1, '{}'::uuid[], $2, $3) AS queued`, [
      actor.tenantId,
      endpointId,
      since,
    ]);
    const queued = rows[0]!.queued;
    await audit(client, actor, "webhook_endpoint.deliveries_recovered", `webhook_endpoint:${endpointId}`, { since: since.toISOString(), queued });
    return queued;
  });
}

/** Queues a signed `test` event (payload `{}`) to the endpoint, whatever events it subscribed to. */
export function sendTestWebhook(db: Database, actor: TenantPrincipal, endpointId: string) {
  checkEndpointId(endpointId, "endpointId");
  return db.withTenantSql(actor.tenantId, async (client) => {
    const endpoint = await assertEndpointExists(client, actor.tenantId, endpointId);
    if (!endpoint.enabled) throw conflict("This endpoint is disabled: enable it (updateWebhookEndpoint) to send it a test.");
    const { rows } = await client.query<{ id: string }>(`SELECT app_queue_test_webhook($1, $2) AS id`, [actor.tenantId, endpointId]);
    const id = rows[0]!.id;
    await audit(client, actor, "webhook_endpoint.test_sent", `webhook_endpoint:${endpointId}`, { deliveryId: id });
    return readWebhookDelivery(client, actor.tenantId, id);
  });
}
