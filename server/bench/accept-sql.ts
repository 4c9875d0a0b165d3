import { v7 as uuidv7 } from "uuid";
import { ACCEPT_MESSAGES_SQL, acceptRow, validateSendRequest } from "../src/modules/sending/send-message.ts";
import { previewOf } from "../src/modules/messages/message-row.ts";

/**
 * What the server runs to accept messages, for the raw-SQL baseline (raw-sql.mts): send-message.ts'
 * own statement (ACCEPT_MESSAGES_SQL, app_accept_messages, which sets the tenant and writes the
 * messages and their jobs in one statement) with the request rows built by its own functions
 * (validateSendRequest, acceptRow), so the baseline follows the server when either changes. The
 * baseline sends one request per statement; the server batches concurrent requests of a tenant.
 */
export { ACCEPT_MESSAGES_SQL };

/** The statement's parameters for one message of `tenantId`, with a new id each call. */
export function acceptParameters(tenantId: string, input: { to: string; text: string }): () => unknown[] {
  const request = validateSendRequest(input);
  const withPreview = { ...request, preview: previewOf(request.text) };
  return () => [tenantId, JSON.stringify([acceptRow(withPreview, 0, uuidv7())])];
}

/**
 * The raw-SQL baseline's modes (raw-sql.mts), in the order they run: the dispatching mode first,
 * so that it does not start on the accept-only mode's queue.
 */
export const RAW_MODES = ["accept + dispatch", "accept"] as const;
export type RawMode = (typeof RAW_MODES)[number];
