import type pg from "pg";
import type { Database } from "../../db/database.ts";
import { isUuid } from "../../db/database.ts";
import { AppError, badInput } from "../../errors.ts";
import type { MessageDirection, MessageStatus } from "../../generated/prisma/enums.ts";
import { Permission } from "../auth/permissions.ts";
import type { TenantPrincipal } from "../auth/principal.ts";
import { batched, requestBatcher } from "../relay/batch.ts";
import { byId, findById, type NodeSource } from "../relay/node-source.ts";
import { planPage, readPage, unpagedSql, type Keyset, type PageArgs, type PageQuery, type Seek } from "../relay/pagination.ts";
import { normalizePhoneNumber } from "../whatsapp/phone-number.ts";
import { MESSAGE_COLUMNS, toMessage, type MessageRow, type MessageView } from "./message-row.ts";
import { MessageOrder, type MessageStatusChange } from "./message.types.ts";

export type MessageFilterInput = {
  direction?: MessageDirection | null;
  status?: MessageStatus | null;
  statuses?: MessageStatus[] | null;
  contact?: string | null;
  search?: string | null;
  createdAfter?: Date | null;
  createdBefore?: Date | null;
  statusChangedAfter?: Date | null;
};

/** `%` and `_` typed by a user are literal characters, not wildcards. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (match) => `\\${match}`)}%`;

/**
 * The two orders of the message log, each on an index that starts with the tenant: newest first over
 * (tenant_id, created_at DESC, id DESC), and oldest change first over (tenant_id, status_changed_at, id)
 * (migration 20261201010000). Cursors made before cursors named their order are CREATED_AT ones.
 */
/** messages(orderBy: STATUS_CHANGED_AT)'s order, which the live feed's cursors share (modules/live/). */
export const STATUS_CHANGED_KEYSET: Keyset = { order: "STATUS_CHANGED_AT", columns: ["status_changed_at", "id"], descending: false };

const MESSAGE_ORDERS: Record<MessageOrder, { keyset: Keyset; at: (message: MessageView) => Date }> = {
  CREATED_AT: { keyset: { order: "CREATED_AT", columns: ["created_at", "id"], descending: true, legacy: true }, at: (message) => message.createdAt },
  STATUS_CHANGED_AT: {
    keyset: STATUS_CHANGED_KEYSET,
    at: (message) => message.statusChangedAt,
  },
};

/** A filter as read once: the statuses asked for (from `statuses` or the deprecated `status`), the contact as stored. */
export type CheckedMessageFilter = Omit<MessageFilterInput, "status" | "statuses" | "contact"> & {
  statuses: MessageStatus[] | null;
  contact: string | null;
};

/** Checks a filter before anything is read: a bad one is refused, naming the field. */
export function checkMessageFilter(filter: MessageFilterInput): CheckedMessageFilter {
  if (filter.status && filter.statuses) throw badInput("filter.statuses", "Pass statuses alone: status is deprecated and cannot be combined with it.");
  return {
    ...filter,
    statuses: filter.statuses?.length ? filter.statuses : filter.status ? [filter.status] : null,
    contact: filter.contact ? normalizePhoneNumber(filter.contact, "filter.contact") : null,
  };
}

/** The SQL conditions of a checked filter (the tenant's first), for the message log and its CSV export. */
export function messageFilterConditions(tenantId: string, filter: CheckedMessageFilter): (param: (value: unknown) => string) => string[] {
  const { statuses, contact } = filter;
  return (param) => {
    const where = [`tenant_id = ${param(tenantId)}`];
    if (filter.direction) where.push(`direction = ${param(filter.direction)}::"MessageDirection"`);
    if (statuses) where.push(`status = ANY (${param(statuses)}::"MessageStatus"[])`);
    if (contact) where.push(`contact_number = ${param(contact)}`);
    if (filter.search) where.push(`body ILIKE ${param(likePattern(filter.search))}`);
    if (filter.createdAfter) where.push(`created_at >= ${param(filter.createdAfter)}`);
    if (filter.createdBefore) where.push(`created_at < ${param(filter.createdBefore)}`);
    if (filter.statusChangedAfter) where.push(`status_changed_at >= ${param(filter.statusChangedAfter)}`);
    return where;
  };
}

/**
 * The message log, keyset-paginated in either order: page 1,000 costs what page 1 does, and messages
 * written or changed meanwhile shift nothing already paged past. In STATUS_CHANGED_AT order a message
 * whose status changes after it was paged past appears again further on: what a poller wants.
 */
export function listMessages(
  db: Database,
  actor: TenantPrincipal,
  filter: MessageFilterInput = {},
  page: PageArgs = {},
  orderBy: MessageOrder = MessageOrder.CREATED_AT,
) {
  const order = MESSAGE_ORDERS[orderBy];
  const plan = planPage(order.keyset, page);
  const checked = checkMessageFilter(filter);
  const where = messageFilterConditions(actor.tenantId, checked);
  const search = checked.search && orderBy === MessageOrder.CREATED_AT ? textSearchFilter(checked) : null;
  const query: PageQuery = (param, { conditions, tail, seek }) => {
    const found = search ? [`id = ANY (ARRAY(SELECT ${textSearchIds(search, seek, param)}))`] : [];
    return `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE ${[...where(param), ...found, ...conditions].join(" AND ")} ${tail}`;
  };
  return db.withTenantSql(actor.tenantId, (client) =>
    readPage<MessageRow, MessageView>(
      client,
      plan,
      query,
      (rows) => rows.map(toMessage),
      (message) => ({ at: order.at(message), id: message.id }),
    ),
  );
}

/**
 * Text search in the log, newest first: under row-level security PostgreSQL applies ILIKE only after
 * the tenant policy, so never through the trigram index; tenant_search_message_ids (migration
 * 20261203000000) finds the page's ids, for this transaction's tenant only, reading the newest
 * messages first and the trigram index for older ones. The filter's other conditions still apply.
 */
function textSearchFilter(filter: CheckedMessageFilter): Record<string, unknown> {
  return {
    text: filter.search,
    ...(filter.direction ? { direction: filter.direction } : {}),
    ...(filter.statuses ? { statuses: filter.statuses } : {}),
    ...(filter.contact ? { contact: filter.contact } : {}),
    ...(filter.createdAfter ? { createdAfter: filter.createdAfter.toISOString() } : {}),
    ...(filter.createdBefore ? { createdBefore: filter.createdBefore.toISOString() } : {}),
    ...(filter.statusChangedAfter ? { statusChangedAfter: filter.statusChangedAfter.toISOString() } : {}),
  };
}

const textSearchIds = (search: Record<string, unknown>, seek: Seek, param: (value: unknown) => string) =>
  `tenant_search_message_ids(${param({ ...search, order: seek.order.toLowerCase(), inclusive: seek.inclusive })}::jsonb, ${param(seek.limit)}::int, ` +
  `${param(seek.from?.at ?? null)}::timestamptz, ${param(seek.from?.id ?? null)}::uuid)`;

type StatusEventRow = { message_id: string; status: MessageStatus; detail: string | null; occurred_at: Date };

/** The recorded status changes of these messages, oldest first, by message id. */
async function statusEvents(client: pg.PoolClient, tenantId: string, ids: string[]): Promise<Map<string, MessageStatusChange[]>> {
  const { rows } = await client.query<StatusEventRow>(
    `SELECT message_id, status, detail, occurred_at FROM message_status_events
      WHERE tenant_id = $1 AND message_id = ANY ($2::uuid[]) ORDER BY message_id, occurred_at, id`,
    [tenantId, ids],
  );
  const byMessage = new Map<string, MessageStatusChange[]>();
  for (const row of rows) {
    const list = byMessage.get(row.message_id) ?? [];
    list.push({ status: row.status, detail: row.detail, at: row.occurred_at });
    byMessage.set(row.message_id, list);
  }
  return byMessage;
}

/** A message's history: its first status (QUEUED or RECEIVED, when it was written), then every recorded change. */
const historyOf = (message: Pick<MessageView, "direction" | "createdAt">, events: MessageStatusChange[]): MessageStatusChange[] => [
  { status: message.direction === "INBOUND" ? "RECEIVED" : "QUEUED", detail: null, at: message.createdAt },
  ...events,
];

/**
 * `Message.history`: what `message(id:)` read with the message, else the recorded changes of every
 * message of the response that asks for it, in one query per response (`request`: its GraphQL context).
 */
export function messageHistory(
  db: Database,
  request: object,
  tenantId: string,
  message: MessageView & { history?: MessageStatusChange[] },
): Promise<MessageStatusChange[]> {
  if (message.history) return Promise.resolve(message.history);
  const load = requestBatcher(request, `message-history:${tenantId}`, () =>
    batched((ids: string[]) => db.withTenantSql(tenantId, (client) => statusEvents(client, tenantId, ids))),
  );
  return load(message.id).then((events) => historyOf(message, events ?? []));
}

/** One message with its history, or null when the tenant has no such message. A string that is no id at all is the caller's mistake. */
export function getMessage(db: Database, actor: TenantPrincipal, id: string) {
  if (!isUuid(id)) throw badInput("id", "id must be a message id.");
  return db.withTenantSql(actor.tenantId, async (client) => {
    const { rows } = await client.query<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE tenant_id = $1 AND id = $2`, [actor.tenantId, id]);
    if (!rows[0]) return null;
    const message = toMessage(rows[0]);
    const events = await statusEvents(client, actor.tenantId, [message.id]);
    return { ...message, history: historyOf(message, events.get(message.id) ?? []) };
  });
}

type ConversationRow = MessageRow & { contact_number: string; conversation_id: string };

/** The tenant's distinct contact numbers: a loose index scan, one probe of (tenant_id, contact_number, ...) per contact. */
const distinctContacts = (tenant: string) => `
    WITH RECURSIVE contact AS (
      (SELECT m.contact_number FROM messages m WHERE m.tenant_id = ${tenant} ORDER BY m.contact_number LIMIT 1)
      UNION ALL
      SELECT (SELECT m.contact_number FROM messages m WHERE m.tenant_id = ${tenant} AND m.contact_number > c.contact_number ORDER BY m.contact_number LIMIT 1)
        FROM contact c WHERE c.contact_number IS NOT NULL
    )
    SELECT c.contact_number FROM contact c WHERE c.contact_number IS NOT NULL`;

/**
 * One row per contact: its latest message, newest first. The work is proportional to the page, not to
 * the tenant's messages (measured at 1,000,000 messages and 10,000 contacts: README, "Conversations at
 * scale"), and nothing is maintained on the send path:
 * - the list walks messages newest first on (tenant_id, created_at DESC, id DESC) and keeps the rows
 *   that are their contact's latest (no newer message of that contact: one probe of
 *   (tenant_id, contact_number, created_at DESC, id DESC)), until the page is full;
 * - a search for rare text collects the matching contacts first (numbers by a loose index scan of the
 *   contacts, text by tenant_message_text_contacts through the trigram index, which RLS keeps the
 *   tenant's own query from: migration 20261203010000), then takes each one's latest message;
 * - a search for common text (`textContacts` null: a sample found it in one message of 500 or more)
 *   walks like the list and keeps the contacts whose number or any message contains it (one probe of
 *   the contact's messages each, stopping at the first match);
 * - `contacts` (the node look-up) takes those contacts' latest messages.
 * Counts and unread are read only when asked for, for the page's contacts only (`conversationCount`).
 */
type ConversationSource = { contacts: string[] } | { search: string; textContacts: string[] | null } | Record<string, never>;

const conversationsQuery =
  (tenantId: string, source: ConversationSource): PageQuery =>
  (param, { conditions, tail }) => {
    const tenant = `${param(tenantId)}::uuid`;
    const where = ["true", ...conditions].join(" AND ");
    const columns = `${MESSAGE_COLUMNS.split(", ")
      .map((column) => `m.${column}`)
      .join(", ")}, m.contact_number, app_conversation_id(${tenant}, m.contact_number) AS conversation_id`;
    if (!("contacts" in source) && !("textContacts" in source && source.textContacts)) {
      const newer = `SELECT 1 FROM messages newer
             WHERE newer.tenant_id = ${tenant} AND newer.contact_number = m.contact_number
               AND (newer.created_at, newer.id) > (m.created_at, m.id)`;
      if (!("search" in source)) return `SELECT ${columns} FROM messages m WHERE m.tenant_id = ${tenant} AND ${where} AND NOT EXISTS (${newer}) ${tail}`;
      // CASE: the match is checked only for a contact's latest message, after the probe for a newer one (as a
      // plain AND, PostgreSQL may check it first, for every message): one probe of that contact's messages,
      // stopping at the first match (LATERAL ... LIMIT 1: never one scan of every message).
      const pattern = param(likePattern(source.search));
      return `SELECT ${columns} FROM messages m
        WHERE m.tenant_id = ${tenant} AND ${where}
          AND CASE WHEN EXISTS (${newer}) THEN false
                   ELSE m.contact_number ILIKE ${pattern} OR EXISTS (SELECT 1 FROM LATERAL (
                     SELECT 1 FROM messages hit WHERE hit.tenant_id = ${tenant} AND hit.contact_number = m.contact_number AND hit.body ILIKE ${pattern} LIMIT 1) h) END
        ${tail}`;
    }
    let contacts: string;
    if ("contacts" in source) contacts = `SELECT DISTINCT unnest(${param(source.contacts)}::text[]) AS contact_number`;
    else {
      contacts = `SELECT unnest(${param(source.textContacts)}::text[]) AS contact_number`;
      // Numbers are stored as E.164 (+ and digits): other text is in none of them, and needs no look at each.
      if (/^[+\d]+$/.test(source.search)) {
        contacts += ` UNION SELECT contact_number FROM (${distinctContacts(tenant)}) contacts WHERE contact_number ILIKE ${param(likePattern(source.search))}`;
      }
    }
    return `SELECT ${columns} FROM (${contacts}) c
       CROSS JOIN LATERAL (
         SELECT * FROM messages latest
          WHERE latest.tenant_id = ${tenant} AND latest.contact_number = c.contact_number
          ORDER BY latest.created_at DESC, latest.id DESC LIMIT 1
       ) m
      WHERE ${where}
      ${tail}`;
  };

/** What a conversation can count, each read only when a response asks for it. */
export type ConversationCount = "messageCount" | "sentCount" | "receivedCount" | "unreadCount";

/**
 * Each count over one index range per contact: INBOUND ones (received, unread after the read mark) on
 * the partial INBOUND index, index-only; the others on (tenant_id, contact_number, created_at, id).
 */
const COUNT_SQL: Record<ConversationCount, string> = {
  messageCount: `SELECT c.contact_number, (SELECT count(*) FROM messages m WHERE m.tenant_id = $1 AND m.contact_number = c.contact_number)::int AS n
      FROM unnest($2::text[]) c(contact_number)`,
  sentCount: `SELECT c.contact_number, (SELECT count(*) FROM messages m WHERE m.tenant_id = $1 AND m.contact_number = c.contact_number AND m.direction = 'OUTBOUND')::int AS n
      FROM unnest($2::text[]) c(contact_number)`,
  receivedCount: `SELECT c.contact_number, (SELECT count(*) FROM messages m WHERE m.tenant_id = $1 AND m.contact_number = c.contact_number AND m.direction = 'INBOUND')::int AS n
      FROM unnest($2::text[]) c(contact_number)`,
  unreadCount: `SELECT c.contact_number,
           (SELECT count(*) FROM messages m
             WHERE m.tenant_id = $1 AND m.contact_number = c.contact_number AND m.direction = 'INBOUND'
               AND m.created_at > COALESCE((SELECT r.read_until FROM conversation_reads r WHERE r.tenant_id = $1 AND r.contact_number = c.contact_number), '-infinity'))::int AS n
      FROM unnest($2::text[]) c(contact_number)`,
};

/**
 * A count of a conversation (`Conversation.unreadCount`, ...), read for every conversation of the
 * response that asks for it in one query (`request`: its GraphQL context): a page costs the counts its
 * client selects, no more (the inbox asks only for unreadCount).
 */
export function conversationCount(db: Database, request: object, tenantId: string, count: ConversationCount, contact: string): Promise<number> {
  const load = requestBatcher(request, `conversation-${count}:${tenantId}`, () =>
    batched((contacts: string[]) =>
      db.withTenantSql(tenantId, async (client) => {
        const { rows } = await client.query<{ contact_number: string; n: number }>(COUNT_SQL[count], [tenantId, contacts]);
        return new Map(rows.map((row) => [row.contact_number, row.n]));
      }),
    ),
  );
  return load(contact).then((value) => value ?? 0);
}

function toConversation(row: ConversationRow) {
  const lastMessage = toMessage(row);
  return { id: row.conversation_id, contact: row.contact_number, lastMessage, lastMessageAt: lastMessage.createdAt };
}
export type ConversationView = ReturnType<typeof toConversation>;

/** Conversations are ordered by their latest message, newest first; cursors made before cursors named their order are read as this one. */
const CONVERSATION_ORDER: Keyset = { order: "LAST_MESSAGE_AT", columns: ["m.created_at", "m.id"], descending: true, legacy: true };

export function listConversations(db: Database, actor: TenantPrincipal, search: string | null | undefined, page: PageArgs = {}) {
  const plan = planPage(CONVERSATION_ORDER, page);
  if (search !== null && search !== undefined && (search.length < 1 || search.length > 200)) throw badInput("search", "Search for 1 to 200 characters.");
  return db.withTenantSql(actor.tenantId, async (client) => {
    // The contacts whose messages contain the text, when it is rare enough to list them (else null).
    const source: ConversationSource = search
      ? {
          search,
          textContacts: (await client.query<{ contacts: string[] | null }>("SELECT tenant_message_text_contacts($1) AS contacts", [search])).rows[0]!.contacts,
        }
      : {};
    return readPage<ConversationRow, ConversationView>(
      client,
      plan,
      conversationsQuery(actor.tenantId, source),
      (rows) => rows.map(toConversation),
      (conversation) => ({ at: conversation.lastMessage.createdAt, id: conversation.lastMessage.id }),
    );
  });
}

/**
 * Marks the conversation with `contact` read up to its latest INBOUND message: only forward, never back
 * (two tabs, or a late request, cannot make read messages unread again). NOT_FOUND when the tenant has
 * exchanged no message with the number.
 */
export async function markConversationRead(db: Database, actor: TenantPrincipal, contactInput: string): Promise<ConversationView> {
  const contact = normalizePhoneNumber(contactInput, "contact");
  const conversation = await db.withTenantSql(actor.tenantId, async (client) => {
    await client.query(
      `INSERT INTO conversation_reads (tenant_id, contact_number, read_until)
       SELECT $1::uuid, $2::varchar, max(created_at) FROM messages WHERE tenant_id = $1::uuid AND contact_number = $2::varchar AND direction = 'INBOUND' HAVING count(*) > 0
       ON CONFLICT (tenant_id, contact_number)
       DO UPDATE SET read_until = GREATEST(conversation_reads.read_until, EXCLUDED.read_until), updated_at = now()`,
      [actor.tenantId, contact],
    );
    const { text, values } = unpagedSql(conversationsQuery(actor.tenantId, { contacts: [contact] }));
    const { rows } = await client.query<ConversationRow>(text, values);
    return rows.map(toConversation)[0];
  });
  if (!conversation) throw new AppError("NOT_FOUND", "This tenant has exchanged no message with this number.");
  return conversation;
}

/** `node(id:)` for messages: the primary key. */
export const messageNodes: NodeSource = {
  typename: "Message",
  permission: Permission.MESSAGES_READ,
  find: findById("messages"),
  async load(client, tenantId, found) {
    const { rows } = await client.query<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE tenant_id = $1 AND id = ANY ($2::uuid[])`, [
      tenantId,
      found.map((node) => node.id),
    ]);
    return byId(rows.map(toMessage));
  },
};

/**
 * `node(id:)` for conversations. Their ids are name-based (version 8) UUIDs of tenant and contact
 * (`app_conversation_id`), so only such ids are looked for, by walking the tenant's distinct contact
 * numbers (a loose index scan: one index probe per contact, not per message) and hashing each.
 */
export const conversationNodes: NodeSource = {
  typename: "Conversation",
  permission: Permission.MESSAGES_READ,
  candidate: (id) => id[14] === "8",
  find: (tenant, ids) => `
    SELECT app_conversation_id(${tenant}, c.contact_number) AS id, c.contact_number::text AS key
      FROM (${distinctContacts(tenant)}) c
     WHERE app_conversation_id(${tenant}, c.contact_number) = ANY (${ids})`,
  async load(client, tenantId, found) {
    const { text, values } = unpagedSql(conversationsQuery(tenantId, { contacts: found.map((node) => node.key!) }));
    const { rows } = await client.query<ConversationRow>(text, values);
    return byId(rows.map(toConversation));
  },
};
