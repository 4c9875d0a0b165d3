import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ACCEPT_MESSAGE_SQL } from "../src/modules/messages/send-message.ts";
import { previewOf } from "../src/modules/messages/message-row.ts";
import { normalizePhoneNumber } from "../src/modules/whatsapp/phone-number.ts";

/**
 * What the server runs to accept one message, for the raw-SQL baseline (raw-sql.mts): the
 * statement is send-message.ts' own export (ACCEPT_MESSAGE_SQL, one `SELECT ... FROM
 * app_accept_message(...)` that sets the tenant and inserts in one statement, sent with
 * `pool.query`, no explicit transaction), so it follows the server when that changes.
 */
export { ACCEPT_MESSAGE_SQL };

export const SEND_MESSAGE_SOURCE = fileURLToPath(new URL("../src/modules/messages/send-message.ts", import.meta.url));

/**
 * The statement's parameters for a message, computed as acceptOutboundMessage does (its
 * validation is not exported): tenant, a new UUIDv7 per message, the normalized recipient, the
 * text, its preview, no idempotency key, the request hash over recipient and text.
 *
 * KEEP IN SYNC with the parameter list in acceptOutboundMessage (send-message.ts) and with the
 * way it runs the statement (`db.pool.query`, one round trip): `acceptSqlInSync()` checks both in
 * the source at every run and the bench prints a warning when they changed.
 */
export function acceptParameters(tenantId: string, input: { to: string; text: string }): (id: string) => unknown[] {
  const to = normalizePhoneNumber(input.to, "to");
  const preview = previewOf(input.text);
  const requestHash = createHash("sha256").update(`${to}\n${input.text}`).digest("hex");
  return (id) => [tenantId, id, to, input.text, preview, null, requestHash];
}

/** As written in acceptOutboundMessage, whitespace aside: the call and its parameters in order. */
const SERVER_CALL = ["db.pool.query<", "(ACCEPT_MESSAGE_SQL,[actor.tenantId,uuidv7(),message.to,message.text,preview,message.idempotencyKey,message.requestHash,]"];

/** Whether send-message.ts still runs ACCEPT_MESSAGE_SQL as the baseline does, with the same parameters. */
export function acceptSqlInSync(): boolean {
  try {
    const source = readFileSync(SEND_MESSAGE_SOURCE, "utf8").replace(/\s+/g, "");
    const call = source.indexOf(SERVER_CALL[0]!);
    return call !== -1 && source.indexOf(SERVER_CALL[1]!, call) !== -1;
  } catch {
    return false;
  }
}

/**
 * The raw-SQL baseline's modes (raw-sql.mts), in the order they run: the dispatching mode first,
 * so that it does not start on the accept-only mode's queue.
 */
export const RAW_MODES = ["accept + dispatch", "accept"] as const;
export type RawMode = (typeof RAW_MODES)[number];
