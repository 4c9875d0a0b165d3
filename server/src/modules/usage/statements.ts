import { stringify } from "csv-stringify/sync";
import type { Database } from "../../db/database.ts";
import { badInput } from "../../errors.ts";
import type { PeriodicTask } from "../../jobs/periodic.ts";
import type { TenantPrincipal } from "../auth/principal.ts";
import { usdFromCents } from "./money.ts";
import { computeUsage, monthRange, type MonthRange } from "./usage.service.ts";

const BATCH = 100;

export type StatementRow = {
  month: string;
  messages_sent: number;
  messages_received: number;
  messages_failed: number;
  connected_numbers: number;
  tier: "STARTER" | "GROWTH" | "SCALE";
  plan_price_cents: number;
  provider_cost_cents: number;
  total_cents: number;
  closed_at: Date;
};

export const STATEMENT_COLUMNS = `to_char(month, 'YYYY-MM') AS month, messages_sent, messages_received, messages_failed, connected_numbers,
  tier::text AS tier, plan_price_cents, provider_cost_cents, total_cents, closed_at`;

export function toStatement(row: StatementRow) {
  return {
    month: row.month,
    messagesSent: row.messages_sent,
    messagesReceived: row.messages_received,
    messagesFailed: row.messages_failed,
    connectedNumbers: row.connected_numbers,
    tier: row.tier,
    planPrice: usdFromCents(row.plan_price_cents),
    providerCost: usdFromCents(row.provider_cost_cents),
    total: usdFromCents(row.total_cents),
    closedAt: row.closed_at,
  };
}
export type StatementView = ReturnType<typeof toStatement>;

/** The month before the current one (UTC): the one the hourly task closes. */
export function previousMonth(now = new Date()): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}

/**
 * Freezes one tenant's usage for an ended month into its statement, computed exactly as `usage`
 * answers; a statement already there is kept as it is (closing twice changes nothing).
 */
function closeTenantMonth(db: Database, tenantId: string, range: MonthRange): Promise<void> {
  return db.withTenantSql(tenantId, async (client) => {
    const usage = await computeUsage(client, tenantId, range);
    await client.query(
      `INSERT INTO monthly_statements (tenant_id, month, messages_sent, messages_received, messages_failed, connected_numbers, tier,
                                       plan_price_cents, provider_cost_cents, total_cents)
       VALUES ($1, $2::date, $3, $4, $5, $6, $7::"Plan", $8, $9, $10)
       ON CONFLICT (tenant_id, month) DO NOTHING`,
      [
        tenantId,
        range.start.toISOString().slice(0, 10),
        usage.messagesSent,
        usage.messagesReceived,
        usage.messagesFailed,
        usage.connectedNumbers,
        usage.tier,
        usage.planPriceCents,
        usage.providerCostCents,
        usage.totalCents,
      ],
    );
  });
}

/**
 * Closes up to one batch of tenants' statements for an ended month; resolves with how many tenants it
 * took (another process may have closed one meanwhile: that one is kept). The tenants still to close
 * come from `billing_tenants_to_close` (migration 20261202100000), which refuses a month not yet ended.
 */
export async function closeMonthBatch(db: Database, month: string, limit = BATCH): Promise<number> {
  const range = monthRange(month);
  const { rows } = await db.backgroundPool.query<{ id: string }>("SELECT billing_tenants_to_close($1::date, $2) AS id", [
    range.start.toISOString().slice(0, 10),
    limit,
  ]);
  for (const { id } of rows) await closeTenantMonth(db, id, range);
  return rows.length;
}

/** Closes every tenant's statement for an ended month (the command, and the hourly task through batches). */
export async function closeMonth(db: Database, month: string): Promise<number> {
  let total = 0;
  for (;;) {
    const handled = await closeMonthBatch(db, month);
    total += handled;
    if (handled < BATCH) return total;
  }
}

/** The hourly task: once a month has ended, every tenant's statement for it is written. */
export function statementClosing(db: Database, now: () => Date = () => new Date()): PeriodicTask {
  return {
    name: "monthly-statements",
    batchSize: BATCH,
    done: "monthly statements closed",
    batch: () => closeMonthBatch(db, previousMonth(now())),
  };
}

/** This tenant's statements, newest month first. */
export function listStatements(db: Database, actor: TenantPrincipal): Promise<StatementView[]> {
  return db.withTenantSql(actor.tenantId, async (client) => {
    const { rows } = await client.query<StatementRow>(`SELECT ${STATEMENT_COLUMNS} FROM monthly_statements WHERE tenant_id = $1 ORDER BY month DESC`, [
      actor.tenantId,
    ]);
    return rows.map(toStatement);
  });
}

/** One month's statement; null while that month is not closed. */
export function getStatement(db: Database, actor: TenantPrincipal, month: string): Promise<StatementView | null> {
  const range = monthRange(month);
  return db.withTenantSql(actor.tenantId, async (client) => {
    const { rows } = await client.query<StatementRow>(`SELECT ${STATEMENT_COLUMNS} FROM monthly_statements WHERE tenant_id = $1 AND month = $2::date`, [
      actor.tenantId,
      range.start.toISOString().slice(0, 10),
    ]);
    return rows[0] ? toStatement(rows[0]) : null;
  });
}

/** The statements as a CSV file (newest month first): a few dozen rows, so built whole, not streamed. */
export async function statementsCsv(db: Database, actor: TenantPrincipal, query: Record<string, unknown>): Promise<string> {
  const unknown = Object.keys(query).find((name) => name !== "tenant");
  if (unknown) throw badInput(unknown, `"${unknown}" is not a parameter of this export; it takes only "tenant".`);
  const statements = await listStatements(db, actor);
  return stringify(
    statements.map((statement) => ({
      ...statement,
      planPrice: statement.planPrice.amount,
      providerCost: statement.providerCost.amount,
      total: statement.total.amount,
      currency: statement.total.currencyCode,
      closedAt: statement.closedAt.toISOString(),
    })),
    {
      header: true,
      columns: [
        { key: "month", header: "month" },
        { key: "messagesSent", header: "messages_sent" },
        { key: "messagesReceived", header: "messages_received" },
        { key: "messagesFailed", header: "messages_failed" },
        { key: "connectedNumbers", header: "connected_numbers" },
        { key: "tier", header: "tier" },
        { key: "planPrice", header: "plan_price" },
        { key: "providerCost", header: "provider_cost" },
        { key: "total", header: "total" },
        { key: "currency", header: "currency" },
        { key: "closedAt", header: "closed_at" },
      ],
    },
  );
}
