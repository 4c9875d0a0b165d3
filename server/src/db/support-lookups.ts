import type pg from "pg";
import { AppError, badInput, forbidden } from "../errors.ts";
import type { MessageDirection, MessageStatus, WebhookDeliveryStatus } from "../generated/prisma/enums.ts";

/**
 * The support console's only way into tenants' data: SECURITY DEFINER functions owned by the NOLOGIN
 * role `switchboard_support` (migration 20261202000000_support_console). Each checks the caller's
 * support session against the staff user id given here and writes its own audit rows in the same
 * statement, so nothing here can read without recording. They run on the support pool, whose
 * connections carry a statement timeout.
 */
export type SupportLookups = ReturnType<typeof createSupportLookups>;

/** Filters as the search function takes them (keys left out when not given). */
export type SupportSearchFilter = {
  contact?: string;
  providerMessageId?: string;
  messageId?: string;
  text?: string;
  tenantId?: string;
  statuses?: MessageStatus[];
  direction?: MessageDirection;
  createdAfter?: string;
  createdBefore?: string;
};

export type SupportSessionRow = { sessionId: string; reason: string; startedAt: Date; expiresAt: Date };

export type SupportStatusChange = { status: MessageStatus; detail: string | null; at: Date };
export type SupportWebhookDelivery = {
  id: string;
  eventType: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  createdAt: Date;
  lastAttemptAt: Date | null;
  lastResponseStatus: number | null;
};

export type SupportMessageRow = {
  tenantId: string;
  companyName: string;
  id: string;
  direction: MessageDirection;
  status: MessageStatus;
  contact: string;
  from: string;
  to: string;
  providerMessageId: string | null;
  error: string | null;
  attempts: number;
  createdAt: Date;
  statusChangedAt: Date;
  history: SupportStatusChange[];
  webhookDeliveries: SupportWebhookDelivery[];
};

type Row = {
  tenant_id: string;
  company_name: string;
  id: string;
  direction: MessageDirection;
  status: MessageStatus;
  contact_number: string;
  from_number: string;
  to_number: string;
  provider_message_id: string | null;
  error: string | null;
  attempts: number;
  created_at: Date;
  status_changed_at: Date;
  history: { status: MessageStatus; detail: string | null; at: string }[];
  webhook_deliveries: (Omit<SupportWebhookDelivery, "createdAt" | "lastAttemptAt"> & { createdAt: string; lastAttemptAt: string | null })[];
};

const toMessage = (row: Row): SupportMessageRow => ({
  tenantId: row.tenant_id,
  companyName: row.company_name,
  id: row.id,
  direction: row.direction,
  status: row.status,
  contact: row.contact_number,
  from: row.from_number,
  to: row.to_number,
  providerMessageId: row.provider_message_id,
  error: row.error,
  attempts: row.attempts,
  createdAt: row.created_at,
  statusChangedAt: row.status_changed_at,
  history: row.history.map((change) => ({ status: change.status, detail: change.detail, at: new Date(change.at) })),
  webhookDeliveries: row.webhook_deliveries.map((delivery) => ({
    ...delivery,
    createdAt: new Date(delivery.createdAt),
    lastAttemptAt: delivery.lastAttemptAt ? new Date(delivery.lastAttemptAt) : null,
  })),
});

/** SQLSTATEs the support functions raise (see the migration). */
const SESSION_REFUSED = "SB101";
const NOT_STAFF = "SB102";
const BAD_INPUT = "SB103";
/** PostgreSQL cancelled the statement: the support pool's statement_timeout. */
const QUERY_CANCELED = "57014";

/** The database's refusals as the errors a client sees; anything else passes through. */
export function supportError(error: unknown): unknown {
  const { code, message, detail } = (error ?? {}) as { code?: string; message?: string; detail?: string };
  if (code === SESSION_REFUSED || code === NOT_STAFF) return forbidden(message ?? "Refused.");
  if (code === BAD_INPUT) return badInput(detail ?? "input", message ?? "Invalid input.");
  if (code === QUERY_CANCELED) {
    return new AppError(
      "TIMEOUT",
      "This search took too long and was stopped; nothing else was affected. Narrow it: add the contact's number, a tenant or a shorter date range.",
    );
  }
  return error;
}

export function createSupportLookups(pool: pg.Pool) {
  const run = async <T extends pg.QueryResultRow>(sql: string, values: unknown[]) => {
    try {
      return (await pool.query<T>(sql, values)).rows;
    } catch (error) {
      throw supportError(error);
    }
  };

  return {
    async startSession(staffUserId: string, reason: string): Promise<SupportSessionRow> {
      const rows = await run<{ session_id: string; reason: string; started_at: Date; expires_at: Date }>(
        "SELECT session_id, reason, started_at, expires_at FROM support_start_session($1, $2)",
        [staffUserId, reason],
      );
      const row = rows[0]!;
      return { sessionId: row.session_id, reason: row.reason, startedAt: row.started_at, expiresAt: row.expires_at };
    },

    async endSession(staffUserId: string, sessionId: string): Promise<void> {
      await run("SELECT support_end_session($1, $2)", [sessionId, staffUserId]);
    },

    /** A page (newest first, after the cursor) and whether more follow; audited per tenant shown. */
    async searchMessages(
      staffUserId: string,
      sessionId: string,
      filter: SupportSearchFilter,
      limit: number,
      after: { at: Date; id: string } | null,
    ): Promise<{ messages: SupportMessageRow[]; hasMore: boolean }> {
      const rows = await run<Row & { has_more: boolean }>("SELECT * FROM support_search_messages($1, $2, $3, $4, $5, $6)", [
        sessionId,
        staffUserId,
        JSON.stringify(filter),
        limit,
        after?.at ?? null,
        after?.id ?? null,
      ]);
      return { messages: rows.map(toMessage), hasMore: rows[0]?.has_more ?? false };
    },

    /**
     * Suspends (with a reason) or reactivates (reason null) a tenant: SUPERADMIN only, checked by the
     * function too. Undefined when there is no such tenant. Audited in the tenant's access log.
     */
    async setTenantSuspension(
      staffUserId: string,
      sessionId: string,
      tenantId: string,
      reason: string | null,
    ): Promise<{ tenantId: string; companyName: string; active: boolean; suspensionReason: string | null; suspendedAt: Date | null } | undefined> {
      const rows = await run<{ tenant_id: string; company_name: string; active: boolean; suspension_reason: string | null; suspended_at: Date | null }>(
        "SELECT * FROM support_set_tenant_suspension($1, $2, $3, $4)",
        [sessionId, staffUserId, tenantId, reason],
      );
      const row = rows[0];
      return (
        row && {
          tenantId: row.tenant_id,
          companyName: row.company_name,
          active: row.active,
          suspensionReason: row.suspension_reason,
          suspendedAt: row.suspended_at,
        }
      );
    },

    /** A tenant's closed months' statements, newest first (columns as `columns` lists them); none for an unknown tenant. Audited. */
    async tenantStatements<T extends pg.QueryResultRow>(staffUserId: string, sessionId: string, tenantId: string, columns: string): Promise<T[]> {
      return run<T>(`SELECT ${columns} FROM support_tenant_statements($1, $2, $3)`, [sessionId, staffUserId, tenantId]);
    },

    /** One message with its text; undefined when no tenant has it. Audited. */
    async openMessage(staffUserId: string, sessionId: string, messageId: string): Promise<(SupportMessageRow & { body: string }) | undefined> {
      const rows = await run<Row & { body: string }>("SELECT * FROM support_open_message($1, $2, $3)", [sessionId, staffUserId, messageId]);
      return rows[0] && { ...toMessage(rows[0]), body: rows[0].body };
    },
  };
}
