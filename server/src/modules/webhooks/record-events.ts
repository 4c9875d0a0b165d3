import type pg from "pg";
import type { TenantTransaction } from "../../db/database.ts";
import type { TEST_EVENT_NAME, WebhookEventName } from "./event-types.ts";

/** An event as recorded: its dotted type and the snapshot its deliveries are built from. */
export type WebhookEventInput = { type: WebhookEventName | typeof TEST_EVENT_NAME; payload: Record<string, unknown> };

const RECORD_SQL = "SELECT app_record_webhook_events($1, $2::text[], $3::jsonb[])";

/**
 * Records events in the caller's transaction (app_record_webhook_events): a delivery for each enabled
 * endpoint that wants them, with its job, or nothing for a tenant without such endpoints. Called with
 * the change it reports, so no change is stored without its deliveries.
 */
export async function recordWebhookEvents(client: pg.PoolClient, tenantId: string, events: WebhookEventInput[]): Promise<void> {
  if (events.length === 0) return;
  await client.query(RECORD_SQL, [tenantId, events.map((event) => event.type), events.map((event) => JSON.stringify(event.payload))]);
}

/** The same, inside a Prisma transaction (`db.withTenant`). */
export async function recordWebhookEventsInTransaction(tx: TenantTransaction, tenantId: string, events: WebhookEventInput[]): Promise<void> {
  if (events.length === 0) return;
  const types = events.map((event) => event.type);
  const payloads = events.map((event) => JSON.stringify(event.payload));
  await tx.$queryRaw`SELECT app_record_webhook_events(${tenantId}::uuid, ${types}::text[], ${payloads}::jsonb[])`;
}
