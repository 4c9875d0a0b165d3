import type { Database } from "../../db/database.ts";
import { storeInbound } from "./inbox.ts";

/**
 * Applies a delivery or read receipt of a message the server knows (the sandbox's), with its history
 * entry and its webhook event, in one transaction: the path provider receipts take (inbox.ts).
 * Receipts only move a message forward: a late DELIVERED never undoes READ. True when it changed the message.
 */
export async function recordReceipt(db: Database, tenantId: string, messageId: string, status: "DELIVERED" | "READ"): Promise<boolean> {
  const [result] = await storeInbound(db.pool, { tenantId, connectionId: null }, [{ kind: "receipt", status, messageId }]);
  return result!.changed;
}
