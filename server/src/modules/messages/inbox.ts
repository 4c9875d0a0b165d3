import type pg from "pg";
import { v7 as uuidv7 } from "uuid";
import type { JobKey } from "../../jobs/engine.ts";
import { createGroupCommit } from "../../jobs/group-commit.ts";
import { messagesChanged } from "../live/message-changes.ts";
import { WEBHOOK_QUEUE } from "../webhooks/delivery-consumer.ts";
import { previewOf, toMessage, type MessageRow, type MessageView } from "./message-row.ts";

/** The raw callback, kept as received in `provider_events`. */
export type RawProviderEvent = { eventType: string; payload: Record<string, unknown> };

/** What a provider told us about a connection, as understood. */
export type InboundItem = (
  | { kind: "message"; from: string; text: string; providerMessageId: string }
  | { kind: "receipt"; status: "DELIVERED" | "READ"; providerMessageId: string }
  /** Receipts the server itself knows the message of (the sandbox's). */
  | { kind: "receipt"; status: "DELIVERED" | "READ"; messageId: string }
  | { kind: "unknown" }
) & {
  raw?: RawProviderEvent;
  /** The hash of the inbound URL's token it came in on: checked against the connection where it is stored. */
  tokenHash?: string;
};

export type InboundResult = {
  /** `rejected`: its token no longer opens the connection (rotated, disconnected); nothing was stored. */
  handledAs: "message" | "status" | "unknown" | "rejected";
  /** The message the item concerns, if known: the stored (or earlier stored) message, the receipt's message. */
  messageId?: string;
  /** A new message stored, or a receipt applied (receipts only move a message forward). */
  changed: boolean;
  /** For messages: as stored (the first one for a resent callback). */
  message?: MessageView;
};

/** Whose callbacks: receipts by message id (the sandbox's) need no connection. */
export type InboundConnection = { tenantId: string; connectionId: string | null };

type ResultRow =
  | { ord: number; handled_as: InboundResult["handledAs"]; message_id: string | null; changed: boolean; message: MessageRow | null }
  /** The last row, without an item: the endpoints that got deliveries (only when the caller wakes them). */
  | { ord: null; handled_as: "wake"; woken_endpoints: string[] };

const RECEIVE_SQL = "SELECT * FROM app_receive_inbound($1, $2, $3::jsonb, $4)";

/**
 * Stores items of one connection in one statement and one transaction (app_receive_inbound): raw
 * payloads, incoming messages (once per provider message id), receipts, and the webhook events they
 * cause. Results are in the items' order. With `wake`, the webhook engines of the endpoints that got
 * deliveries are woken through it after the commit; without, by a NOTIFY inside the transaction
 * (which lines up concurrent commits: for low-rate paths only).
 */
export async function storeInbound(
  pool: pg.Pool,
  { tenantId, connectionId }: InboundConnection,
  items: InboundItem[],
  wake?: (key: JobKey) => void,
): Promise<InboundResult[]> {
  const rows = items.map((item, ord) => {
    const raw = {
      ...(item.raw ? { event_id: uuidv7(), event_type: item.raw.eventType, payload: item.raw.payload } : {}),
      ...(item.tokenHash ? { token_hash: item.tokenHash } : {}),
    };
    switch (item.kind) {
      case "message":
        return {
          ord,
          kind: item.kind,
          ...raw,
          new_id: uuidv7(),
          from_number: item.from,
          body: item.text,
          preview: previewOf(item.text),
          provider_message_id: item.providerMessageId,
        };
      case "receipt":
        return {
          ord,
          kind: item.kind,
          ...raw,
          status: item.status,
          ...("messageId" in item ? { message_id: item.messageId } : { provider_message_id: item.providerMessageId }),
        };
      case "unknown":
        return { ord, kind: item.kind, ...raw };
    }
  });
  const { rows: stored } = await pool.query<ResultRow>(RECEIVE_SQL, [tenantId, connectionId, JSON.stringify(rows), wake === undefined]);
  const results: InboundResult[] = new Array(items.length);
  // Committed: a new message or a receipt applied reaches the open dashboards (announced after commit).
  if (stored.some((row) => row.ord !== null && row.changed)) messagesChanged(pool, tenantId);
  for (const row of stored) {
    if (row.ord === null) {
      for (const endpointId of row.woken_endpoints) wake?.({ queue: WEBHOOK_QUEUE, tenantId, paceKey: endpointId });
      continue;
    }
    results[row.ord] = {
      handledAs: row.handled_as,
      changed: row.changed,
      ...(row.message_id ? { messageId: row.message_id } : {}),
      ...(row.message ? { message: toMessage(row.message) } : {}),
    };
  }
  return results;
}

/** A connected number whose provider calls back. */
export type CallingConnection = { tenantId: string; connectionId: string };

export type Inbox = { receive(connection: CallingConnection, item: InboundItem): Promise<InboundResult> };

/**
 * Micro-batched storage of provider callbacks: a connection's callbacks that arrive while its
 * previous batch is being written go together in the next one (group commit), each caller answered
 * once its batch is committed. Providers call back at about three times the send rate.
 */
export function createInbox(pool: pg.Pool, wake: (key: JobKey) => void): Inbox {
  const batches = createGroupCommit<{ connection: CallingConnection; item: InboundItem }, InboundResult>(
    (_connectionId, rows) =>
      storeInbound(
        pool,
        rows[0]!.connection,
        rows.map((row) => row.item),
        wake,
      ),
    { maxBatch: 256, maxInFlight: 2 },
  );
  return { receive: (connection, item) => batches.submit(connection.connectionId, { connection, item }) };
}
