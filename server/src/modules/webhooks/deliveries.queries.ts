import type pg from "pg";
import type { Database } from "../../db/database.ts";
import { badInput, notFound } from "../../errors.ts";
import type { WebhookDeliveryStatus } from "../../generated/prisma/enums.ts";
import type { TenantPrincipal } from "../auth/principal.ts";
import { Permission } from "../auth/permissions.ts";
import { byId, findById, type NodeSource } from "../relay/node-source.ts";
import { planPage, readPage, type Keyset, type PageArgs, type PageQuery } from "../relay/pagination.ts";
import { deliveryBody } from "./delivery-consumer.ts";
import { isDeliveredEventName } from "./event-types.ts";
import type { WebhookDelivery, WebhookDeliveryAttempt } from "./webhook.types.ts";
import { checkEndpointId } from "./webhooks.service.ts";

export type WebhookDeliveryFilterInput = { status?: WebhookDeliveryStatus | null; eventType?: string | null };

type DeliveryRow = {
  id: string;
  event_id: string;
  event_type: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  created_at: Date;
  last_attempt_at: Date | null;
  next_attempt_at: Date | null;
  last_response_status: number | null;
  last_duration_ms: number | null;
  last_response_snippet: string | null;
  last_error: string | null;
  payload: Record<string, unknown> | null;
  occurred_at: Date;
};

type AttemptRow = {
  delivery_id: string;
  attempted_at: Date;
  response_status: number | null;
  duration_ms: number | null;
  response_snippet: string | null;
  error: string | null;
};

/** Deliveries (`d`) with their event's payload; the caller adds the conditions. */
const DELIVERY_SELECT = `
  SELECT d.id, d.event_id, d.event_type, d.status, d.attempts, d.created_at, d.last_attempt_at, d.next_attempt_at,
         d.last_response_status, d.last_duration_ms, d.last_response_snippet, d.last_error, ev.payload, ev.occurred_at
    FROM webhook_deliveries d
    JOIN webhook_events ev ON ev.tenant_id = d.tenant_id AND ev.id = d.event_id`;

/** The rows as the API shows them, each with its attempts (oldest first), read in one more query. */
async function withAttempts(client: pg.PoolClient, tenantId: string, rows: DeliveryRow[]): Promise<WebhookDelivery[]> {
  if (rows.length === 0) return [];
  const { rows: attempts } = await client.query<AttemptRow>(
    `SELECT delivery_id, attempted_at, response_status, duration_ms, response_snippet, error
       FROM webhook_delivery_attempts WHERE tenant_id = $1 AND delivery_id = ANY ($2::uuid[])
      ORDER BY attempted_at, id`,
    [tenantId, rows.map((row) => row.id)],
  );
  const byDelivery = new Map<string, WebhookDeliveryAttempt[]>();
  for (const attempt of attempts) {
    const list = byDelivery.get(attempt.delivery_id) ?? [];
    list.push({
      attemptedAt: attempt.attempted_at,
      responseStatus: attempt.response_status,
      durationMs: attempt.duration_ms,
      responseSnippet: attempt.response_snippet,
      error: attempt.error,
    });
    byDelivery.set(attempt.delivery_id, list);
  }
  return rows.map((row) => ({
    id: row.id,
    eventId: row.event_id,
    eventType: row.event_type,
    status: row.status,
    attempts: row.attempts,
    createdAt: row.created_at,
    lastAttemptAt: row.last_attempt_at,
    nextAttemptAt: row.next_attempt_at,
    lastResponseStatus: row.last_response_status,
    lastDurationMs: row.last_duration_ms,
    lastResponseSnippet: row.last_response_snippet,
    lastError: row.last_error,
    // What the endpoint is sent, built as the delivery builds it (the message as the API shows it).
    payload:
      row.payload === null
        ? null
        : (JSON.parse(JSON.stringify(deliveryBody(tenantId, { event_type: row.event_type, occurred_at: row.occurred_at, payload: row.payload }))) as unknown),
    attemptLog: byDelivery.get(row.id) ?? [],
  }));
}

/** One delivery of the tenant, or NOT_FOUND. */
export async function readWebhookDelivery(client: pg.PoolClient, tenantId: string, id: string): Promise<WebhookDelivery> {
  const { rows } = await client.query<DeliveryRow>(`${DELIVERY_SELECT} WHERE d.tenant_id = $1 AND d.id = $2`, [tenantId, id]);
  if (!rows[0]) throw notFound("That webhook delivery");
  return (await withAttempts(client, tenantId, rows))[0]!;
}

/** NOT_FOUND unless the endpoint is the tenant's. */
export async function assertEndpointExists(client: pg.PoolClient, tenantId: string, endpointId: string): Promise<{ enabled: boolean }> {
  const { rows } = await client.query<{ enabled: boolean }>(`SELECT enabled FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2`, [tenantId, endpointId]);
  if (!rows[0]) throw notFound("That webhook endpoint");
  return rows[0];
}

/** Newest first; cursors made before cursors named their order are read as this one. */
const DELIVERY_ORDER: Keyset = { order: "CREATED_AT", columns: ["d.created_at", "d.id"], descending: true, legacy: true };

/**
 * An endpoint's deliveries, newest first, keyset-paginated on (created_at, id) as `messages` is, over
 * the (tenant_id, endpoint_id, created_at DESC) index.
 */
export function listWebhookDeliveries(db: Database, actor: TenantPrincipal, endpointId: string, filter: WebhookDeliveryFilterInput = {}, page: PageArgs = {}) {
  checkEndpointId(endpointId, "endpointId");
  const plan = planPage(DELIVERY_ORDER, page);
  if (filter.eventType && !isDeliveredEventName(filter.eventType)) {
    throw badInput("filter.eventType", `"${filter.eventType.slice(0, 64)}" is not an event type; use a dotted name such as message.received, or test.`);
  }
  const query: PageQuery = (param, { conditions, tail }) => {
    const where = [`d.tenant_id = ${param(actor.tenantId)}`, `d.endpoint_id = ${param(endpointId)}`];
    if (filter.status) where.push(`d.status = ${param(filter.status)}::"WebhookDeliveryStatus"`);
    if (filter.eventType) where.push(`d.event_type = ${param(filter.eventType)}`);
    return `${DELIVERY_SELECT} WHERE ${[...where, ...conditions].join(" AND ")} ${tail}`;
  };
  return db.withTenantSql(actor.tenantId, async (client) => {
    await assertEndpointExists(client, actor.tenantId, endpointId);
    return readPage<DeliveryRow, WebhookDelivery>(
      client,
      plan,
      query,
      (rows) => withAttempts(client, actor.tenantId, rows),
      (delivery) => ({ at: delivery.createdAt, id: delivery.id }),
    );
  });
}

/** `node(id:)` for webhook deliveries: the primary key. */
export const webhookDeliveryNodes: NodeSource = {
  typename: "WebhookDelivery",
  permission: Permission.WEBHOOKS_MANAGE,
  find: findById("webhook_deliveries"),
  async load(client, tenantId, found) {
    const { rows } = await client.query<DeliveryRow>(`${DELIVERY_SELECT} WHERE d.tenant_id = $1 AND d.id = ANY ($2::uuid[])`, [
      tenantId,
      found.map((node) => node.id),
    ]);
    return byId(await withAttempts(client, tenantId, rows));
  },
};
