import type { Database } from "../../db/database.ts";
import { batched, requestBatcher } from "../relay/batch.ts";
import type { ProviderEvent } from "./provider-event.types.ts";

type ProviderEventRow = { message_id: string; event_type: string; received_at: Date; payload: unknown };

/**
 * `Message.providerEvents`: the raw callbacks linked to each message of the response that asks for
 * them (index on tenant_id, message_id), oldest first, in one query per response (`request`: its GraphQL context).
 */
export function messageProviderEvents(db: Database, request: object, tenantId: string, messageId: string): Promise<ProviderEvent[]> {
  const load = requestBatcher(request, `message-provider-events:${tenantId}`, () =>
    batched((ids: string[]) =>
      db.withTenantSql(tenantId, async (client) => {
        const { rows } = await client.query<ProviderEventRow>(
          `SELECT message_id, event_type, received_at, payload FROM provider_events
            WHERE tenant_id = $1 AND message_id = ANY ($2::uuid[]) ORDER BY message_id, received_at, id`,
          [tenantId, ids],
        );
        const byMessage = new Map<string, ProviderEvent[]>();
        for (const row of rows) {
          const list = byMessage.get(row.message_id) ?? [];
          list.push({ type: row.event_type, receivedAt: row.received_at, payload: row.payload });
          byMessage.set(row.message_id, list);
        }
        return byMessage;
      }),
    ),
  );
  return load(messageId).then((events) => events ?? []);
}
