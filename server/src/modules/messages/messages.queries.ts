import type { Database } from "../../db/database.ts";
import { isUuid } from "../../db/database.ts";
import { badInput, notFound } from "../../errors.ts";
import type { MessageDirection, MessageStatus } from "../../generated/prisma/enums.ts";
import type { TenantPrincipal } from "../auth/principal.ts";
import { normalizePhoneNumber } from "../whatsapp/phone-number.ts";
import { MESSAGE_COLUMNS, toMessage, type MessageRow } from "./message-row.ts";
import { decodeCursor, encodeCursor, pageSize } from "./pagination.ts";

export type MessageFilterInput = {
  direction?: MessageDirection | null;
  status?: MessageStatus | null;
  contact?: string | null;
  search?: string | null;
  createdAfter?: Date | null;
  createdBefore?: Date | null;
};

/** `%` and `_` typed by a user are literal characters, not wildcards. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (match) => `\\${match}`)}%`;

/**
 * Newest first, keyset-paginated on (created_at, id) over the (tenant_id, created_at DESC, id DESC)
 * index: page 1,000 costs what page 1 does, and inserts meanwhile shift nothing.
 */
export function listMessages(db: Database, actor: TenantPrincipal, filter: MessageFilterInput = {}, first?: number | null, after?: string | null) {
  const limit = pageSize(first);
  const cursor = decodeCursor(after);
  const conditions = ["tenant_id = $1"];
  const values: unknown[] = [actor.tenantId];
  const add = (sql: (placeholder: string) => string, value: unknown) => {
    values.push(value);
    conditions.push(sql(`$${values.length}`));
  };
  if (filter.direction) add((p) => `direction = ${p}::"MessageDirection"`, filter.direction);
  if (filter.status) add((p) => `status = ${p}::"MessageStatus"`, filter.status);
  if (filter.contact) add((p) => `contact_number = ${p}`, normalizePhoneNumber(filter.contact, "filter.contact"));
  if (filter.search) add((p) => `body ILIKE ${p}`, likePattern(filter.search));
  if (filter.createdAfter) add((p) => `created_at >= ${p}`, filter.createdAfter);
  if (filter.createdBefore) add((p) => `created_at < ${p}`, filter.createdBefore);
  if (cursor) {
    values.push(cursor.createdAt, cursor.id);
    conditions.push(`(created_at, id) < ($${values.length - 1}, $${values.length})`);
  }
  values.push(limit + 1);

  return db.withTenantSql(actor.tenantId, async (client) => {
    const { rows } = await client.query<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE ${conditions.join(" AND ")} ORDER BY created_at DESC, id DESC LIMIT $${values.length}`,
      values,
    );
    const page = rows.slice(0, limit).map(toMessage);
    const edges = page.map((node) => ({ cursor: encodeCursor({ createdAt: node.createdAt, id: node.id }), node }));
    return { edges, pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null } };
  });
}

export function getMessage(db: Database, actor: TenantPrincipal, id: string) {
  if (!isUuid(id)) throw badInput("id", "id must be a message id.");
  return db.withTenantSql(actor.tenantId, async (client) => {
    const { rows } = await client.query<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE tenant_id = $1 AND id = $2`, [actor.tenantId, id]);
    if (!rows[0]) throw notFound("That message");
    const message = toMessage(rows[0]);
    const events = await client.query<{ status: MessageStatus; detail: string | null; occurred_at: Date }>(
      `SELECT status, detail, occurred_at FROM message_status_events WHERE tenant_id = $1 AND message_id = $2 ORDER BY occurred_at, id`,
      [actor.tenantId, id],
    );
    const first = { status: message.direction === "INBOUND" ? ("RECEIVED" as const) : ("QUEUED" as const), detail: null, at: message.createdAt };
    const history = [first, ...events.rows.map((event) => ({ status: event.status, detail: event.detail, at: event.occurred_at }))];
    return { ...message, history };
  });
}

type ConversationRow = MessageRow & { contact_number: string; message_count: number; sent_count: number; received_count: number };

/**
 * One row per contact, most recent conversation first. Computed from the messages (index on
 * tenant_id, contact_number, created_at): fine for inboxes of some hundred thousand messages; a
 * larger tenant would want a conversations table maintained off the send path.
 */
export function listConversations(db: Database, actor: TenantPrincipal, search?: string | null, first?: number | null, after?: string | null) {
  const limit = pageSize(first);
  const cursor = decodeCursor(after);
  if (search !== null && search !== undefined && (search.length < 1 || search.length > 200)) throw badInput("search", "Search for 1 to 200 characters.");
  const values: unknown[] = [actor.tenantId, search ? likePattern(search) : null, cursor?.createdAt ?? null, cursor?.id ?? null, limit + 1];
  return db.withTenantSql(actor.tenantId, async (client) => {
    const { rows } = await client.query<ConversationRow>(
      `WITH contacts AS (
         SELECT contact_number, count(*)::int AS message_count,
                count(*) FILTER (WHERE direction = 'OUTBOUND')::int AS sent_count,
                count(*) FILTER (WHERE direction = 'INBOUND')::int AS received_count
           FROM messages WHERE tenant_id = $1
          GROUP BY contact_number
         HAVING $2::text IS NULL OR contact_number ILIKE $2 OR bool_or(body ILIKE $2)
       )
       SELECT c.contact_number, c.message_count, c.sent_count, c.received_count, last.*
         FROM contacts c
         CROSS JOIN LATERAL (
           SELECT ${MESSAGE_COLUMNS} FROM messages m
            WHERE m.tenant_id = $1 AND m.contact_number = c.contact_number
            ORDER BY m.created_at DESC, m.id DESC LIMIT 1
         ) last
        WHERE $3::timestamptz IS NULL OR (last.created_at, last.id) < ($3, $4::uuid)
        ORDER BY last.created_at DESC, last.id DESC
        LIMIT $5`,
      values,
    );
    const page = rows.slice(0, limit);
    const edges = page.map((row) => {
      const lastMessage = toMessage(row);
      return {
        cursor: encodeCursor({ createdAt: lastMessage.createdAt, id: lastMessage.id }),
        node: {
          contact: row.contact_number,
          lastMessage,
          messageCount: row.message_count,
          sentCount: row.sent_count,
          receivedCount: row.received_count,
          lastMessageAt: lastMessage.createdAt,
        },
      };
    });
    return { edges, pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null } };
  });
}
