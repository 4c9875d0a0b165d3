import { isUuid, type Database } from "../../db/database.ts";
import type { SupportMessageRow, SupportSearchFilter } from "../../db/support-lookups.ts";
import { badInput, forbidden } from "../../errors.ts";
import type { MessageDirection, MessageStatus } from "../../generated/prisma/enums.ts";
import { storableProviderMessageId } from "../../providers/provider-message-id.ts";
import type { TenantPrincipal, UserPrincipal } from "../auth/principal.ts";
import { STATEMENT_COLUMNS, toStatement, type StatementRow } from "../usage/statements.ts";
import { decodeCursor, encodeCursor, PAGE_SIZE, planPage, readPage, type Keyset, type PageArgs, type PageQuery } from "../relay/pagination.ts";
import { normalizePhoneNumber } from "../whatsapp/phone-number.ts";
import type { SupportAccessAction, SupportAccessEntry, SupportMessage, SupportMessageConnection, SupportMessageDetail } from "./support.types.ts";

export const REASON_LENGTH = { min: 10, max: 500 } as const;
export const SEARCH_TEXT_LENGTH = { min: 3, max: 200 } as const;

/** Staff ids come from the authenticated principal; the support functions check them against the session. */
type Staff = Pick<UserPrincipal, "userId">;

/** Any tenant's statements, for billing tickets: audited (VIEW_STATEMENTS) in that tenant's access log. */
export async function tenantStatements(db: Database, staff: Staff, sessionId: string, tenantId: string) {
  checkSessionId(sessionId);
  if (!isUuid(tenantId)) throw badInput("tenantId", "tenantId must be a tenant's id.");
  const rows = await db.support.tenantStatements<StatementRow>(staff.userId, sessionId, tenantId.toLowerCase(), STATEMENT_COLUMNS);
  return rows.map(toStatement);
}

/**
 * Suspends a tenant with a reason its team sees (`reason`), or reactivates it (null): SUPERADMIN only
 * (the function checks the role again), inside a support session, recorded in the tenant's access log.
 */
export async function setTenantSuspension(
  db: Database,
  staff: Pick<UserPrincipal, "userId" | "platformRole">,
  sessionId: string,
  tenantId: string,
  reason: string | null,
) {
  if (staff.platformRole !== "SUPERADMIN") throw forbidden("Only a Switchboard SUPERADMIN can suspend or reactivate a tenant; SUPPORT staff read only.");
  checkSessionId(sessionId);
  if (!isUuid(tenantId)) throw badInput("tenantId", "tenantId must be a tenant's id.");
  const trimmed = reason?.trim() ?? null;
  if (trimmed !== null && (trimmed.length < REASON_LENGTH.min || trimmed.length > REASON_LENGTH.max)) {
    throw badInput("reason", `Say why in ${REASON_LENGTH.min} to ${REASON_LENGTH.max} characters: the tenant's team sees it.`);
  }
  const state = await db.support.setTenantSuspension(staff.userId, sessionId, tenantId.toLowerCase(), trimmed);
  if (!state) throw badInput("tenantId", "No tenant has this id.");
  return { id: state.tenantId, companyName: state.companyName, active: state.active, suspensionReason: state.suspensionReason, suspendedAt: state.suspendedAt };
}

export async function startSupportSession(db: Database, staff: Staff, reason: string) {
  const trimmed = reason.trim();
  if (trimmed.length < REASON_LENGTH.min || trimmed.length > REASON_LENGTH.max) {
    throw badInput(
      "reason",
      `Say why you need to read tenants' data in ${REASON_LENGTH.min} to ${REASON_LENGTH.max} characters (the ticket and what the customer asked): the tenants see it.`,
    );
  }
  const session = await db.support.startSession(staff.userId, trimmed);
  return { id: session.sessionId, reason: session.reason, startedAt: session.startedAt, expiresAt: session.expiresAt };
}

function checkSessionId(sessionId: string) {
  if (!isUuid(sessionId)) throw badInput("sessionId", "sessionId must be the id startSupportSession returned.");
}

export async function endSupportSession(db: Database, staff: Staff, sessionId: string): Promise<boolean> {
  checkSessionId(sessionId);
  await db.support.endSession(staff.userId, sessionId);
  return true;
}

export type SupportMessageFilterInput = {
  contact?: string | null;
  providerMessageId?: string | null;
  messageId?: string | null;
  text?: string | null;
  tenantId?: string | null;
  statuses?: MessageStatus[] | null;
  direction?: MessageDirection | null;
  createdAfter?: Date | null;
  createdBefore?: Date | null;
};

/** The filter as the search function takes it, checked; refuses a search with nothing to narrow it. */
export function searchFilterOf(input: SupportMessageFilterInput): SupportSearchFilter {
  const filter: SupportSearchFilter = {};
  if (input.contact) filter.contact = normalizePhoneNumber(input.contact, "filter.contact");
  if (input.providerMessageId) filter.providerMessageId = storableProviderMessageId(input.providerMessageId.trim());
  if (input.messageId) {
    if (!isUuid(input.messageId)) throw badInput("filter.messageId", "filter.messageId must be a message id.");
    filter.messageId = input.messageId.toLowerCase();
  }
  if (input.text !== null && input.text !== undefined) {
    const text = input.text.trim();
    if (text.length < SEARCH_TEXT_LENGTH.min || text.length > SEARCH_TEXT_LENGTH.max) {
      throw badInput(
        "filter.text",
        `Search for ${SEARCH_TEXT_LENGTH.min} to ${SEARCH_TEXT_LENGTH.max} characters: shorter text matches too much to search by.`,
      );
    }
    filter.text = text;
  }
  if (input.tenantId) {
    if (!isUuid(input.tenantId)) throw badInput("filter.tenantId", "filter.tenantId must be a tenant id.");
    filter.tenantId = input.tenantId.toLowerCase();
  }
  if (input.statuses?.length) filter.statuses = [...new Set(input.statuses)];
  if (input.direction) filter.direction = input.direction;
  if (input.createdAfter) filter.createdAfter = input.createdAfter.toISOString();
  if (input.createdBefore) filter.createdBefore = input.createdBefore.toISOString();
  if (!filter.contact && !filter.providerMessageId && !filter.messageId && !filter.text && !filter.tenantId) {
    throw badInput("filter", "Name what you are looking for: a contact's number, a provider message id, a message id, text (3+ characters) or a tenant.");
  }
  return filter;
}

const SEARCH_ORDER: Keyset = { order: "SUPPORT_CREATED_AT", columns: ["created_at", "id"], descending: true };

const toSupportMessage = (row: SupportMessageRow): SupportMessage => ({
  id: row.id,
  tenant: { id: row.tenantId, companyName: row.companyName },
  direction: row.direction,
  status: row.status,
  contact: row.contact,
  from: row.from,
  to: row.to,
  providerMessageId: row.providerMessageId,
  error: row.error,
  attempts: row.attempts,
  createdAt: row.createdAt,
  statusChangedAt: row.statusChangedAt,
  history: row.history,
  webhookDeliveries: row.webhookDeliveries,
});

/** Newest first, forward pages only; every page is audited by the function that reads it. */
export async function searchMessages(
  db: Database,
  staff: Staff,
  sessionId: string,
  input: SupportMessageFilterInput,
  page: { first?: number | null; after?: string | null },
): Promise<SupportMessageConnection> {
  checkSessionId(sessionId);
  const filter = searchFilterOf(input);
  const first = page.first ?? PAGE_SIZE.default;
  if (!Number.isInteger(first) || first < 1 || first > PAGE_SIZE.max) throw badInput("first", `Ask for 1 to ${PAGE_SIZE.max} messages per page.`);
  const after = decodeCursor(SEARCH_ORDER, page.after, "after");
  const { messages, hasMore } = await db.support.searchMessages(staff.userId, sessionId, filter, first, after);
  const edges = messages.map((row) => ({ cursor: encodeCursor(SEARCH_ORDER, { at: row.createdAt, id: row.id }), node: toSupportMessage(row) }));
  return {
    edges,
    pageInfo: { hasNextPage: hasMore, hasPreviousPage: after !== null, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
  };
}

export async function openMessage(db: Database, staff: Staff, sessionId: string, messageId: string): Promise<SupportMessageDetail | null> {
  checkSessionId(sessionId);
  if (!isUuid(messageId)) throw badInput("messageId", "messageId must be a message id.");
  const row = await db.support.openMessage(staff.userId, sessionId, messageId.toLowerCase());
  return row ? { ...toSupportMessage(row), text: row.body } : null;
}

type AccessRow = {
  id: string;
  created_at: Date;
  staff_email: string;
  reason: string;
  support_session_id: string;
  action: SupportAccessAction;
  query: SupportSearchFilter;
  message_id: string | null;
};

const ACCESS_ORDER: Keyset = { order: "CREATED_AT", columns: ["created_at", "id"], descending: true };

/** The tenant's own access log (RLS on app.tenant_id, and the tenant id in the query), newest first. */
export function listSupportAccess(db: Database, actor: TenantPrincipal, page: PageArgs) {
  const plan = planPage(ACCESS_ORDER, page);
  const query: PageQuery = (param, { conditions, tail }) =>
    `SELECT id, created_at, staff_email, reason, support_session_id, action, query, message_id FROM support_access_log
      WHERE ${[`tenant_id = ${param(actor.tenantId)}`, ...conditions].join(" AND ")} ${tail}`;
  return db.withTenantSql(actor.tenantId, (client) =>
    readPage<AccessRow, SupportAccessEntry>(
      client,
      plan,
      query,
      (rows) =>
        rows.map((row) => ({
          id: row.id,
          createdAt: row.created_at,
          staffEmail: row.staff_email,
          reason: row.reason,
          supportSessionId: row.support_session_id,
          action: row.action,
          messageId: row.message_id,
          query: {
            contact: row.query.contact ?? null,
            providerMessageId: row.query.providerMessageId ?? null,
            messageId: row.query.messageId ?? null,
            text: row.query.text ?? null,
            statuses: row.query.statuses ?? null,
            direction: row.query.direction ?? null,
            createdAfter: row.query.createdAfter ? new Date(row.query.createdAfter) : null,
            createdBefore: row.query.createdBefore ? new Date(row.query.createdBefore) : null,
            tenantNamed: Boolean(row.query.tenantId),
          },
        })),
      (entry) => ({ at: entry.createdAt, id: entry.id }),
    ),
  );
}
