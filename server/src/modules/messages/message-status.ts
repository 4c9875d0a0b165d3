import type { Database } from "../../db/database.ts";

/** Receipts only move a message forward: a late DELIVERED never undoes READ. */
const PREDECESSORS = { DELIVERED: ["SENT", "UNKNOWN"], READ: ["SENT", "DELIVERED", "UNKNOWN"] } as const;

export async function recordReceipt(db: Database, tenantId: string, messageId: string, status: "DELIVERED" | "READ"): Promise<boolean> {
  return db.withTenantSql(tenantId, async (client) => {
    const updated = await client.query(
      `UPDATE messages SET status = $3, status_changed_at = now() WHERE tenant_id = $1 AND id = $2 AND status = ANY($4::"MessageStatus"[])`,
      [tenantId, messageId, status, PREDECESSORS[status]],
    );
    if (!updated.rowCount) return false;
    await client.query(`INSERT INTO message_status_events (tenant_id, id, message_id, status) VALUES ($1, gen_random_uuid(), $2, $3)`, [
      tenantId,
      messageId,
      status,
    ]);
    return true;
  });
}
