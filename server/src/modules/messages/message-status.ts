import type { Database } from "../../db/database.ts";
import { recordWebhookEvents } from "../webhooks/record-events.ts";
import { MESSAGE_COLUMNS, type MessageRow } from "./message-row.ts";

/** Receipts only move a message forward: a late DELIVERED never undoes READ. */
const PREDECESSORS = { DELIVERED: ["SENT", "UNKNOWN"], READ: ["SENT", "DELIVERED", "UNKNOWN"] } as const;

/** Applies a delivery or read receipt, with its history entry and its webhook event, in one transaction. */
export async function recordReceipt(db: Database, tenantId: string, messageId: string, status: "DELIVERED" | "READ"): Promise<boolean> {
  return db.withTenantSql(tenantId, async (client) => {
    const updated = await client.query<MessageRow>(
      `UPDATE messages SET status = $3, status_changed_at = now() WHERE tenant_id = $1 AND id = $2 AND status = ANY($4::"MessageStatus"[])
       RETURNING ${MESSAGE_COLUMNS}`,
      [tenantId, messageId, status, PREDECESSORS[status]],
    );
    if (!updated.rows[0]) return false;
    await client.query(`INSERT INTO message_status_events (tenant_id, id, message_id, status) VALUES ($1, gen_random_uuid(), $2, $3)`, [
      tenantId,
      messageId,
      status,
    ]);
    await recordWebhookEvents(client, tenantId, [
      { type: status === "DELIVERED" ? "message.delivered" : "message.read", payload: { message: updated.rows[0] } },
    ]);
    return true;
  });
}
