import type { Database } from "../../db/database.ts";
import { badInput } from "../../errors.ts";
import type { TenantPrincipal } from "../auth/principal.ts";
import { usdFromCents } from "./money.ts";
import { PROVIDER_COST_PER_NUMBER_CENTS, TIERS, tierFor } from "./tiers.ts";

export const MAX_HISTORY_MONTHS = 36;

/** A month's bill from its counts, as `usage` bills it: the tier its billable messages reach, plus each connected number. */
function bill(month: string, counts: { sent: number; received: number; failed: number }, connectedNumbers: number) {
  const tier = tierFor(counts.sent);
  const providerCostCents = connectedNumbers * PROVIDER_COST_PER_NUMBER_CENTS;
  return {
    month,
    messagesSent: counts.sent,
    messagesReceived: counts.received,
    messagesFailed: counts.failed,
    tier: tier.tier,
    planPrice: usdFromCents(tier.priceCents),
    connectedNumbers,
    providerCost: usdFromCents(providerCostCents),
    total: usdFromCents(tier.priceCents + providerCostCents),
  };
}

/**
 * The `months` whole months before the current one (UTC), newest first, each billed as `usage` bills
 * it: one grouped query over the messages of the whole span and one over the connections, however
 * many months. Months without messages are listed too (a connected number still costs).
 */
export function getUsageHistory(db: Database, actor: TenantPrincipal, months: number, now = new Date()) {
  if (!Number.isInteger(months) || months < 1 || months > MAX_HISTORY_MONTHS) throw badInput("months", `Ask for 1 to ${MAX_HISTORY_MONTHS} months.`);
  const spans = Array.from({ length: months }, (_, index) => {
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1 - index, 1));
    const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
    return { label: start.toISOString().slice(0, 7), start, end };
  });
  const from = spans.at(-1)!.start;
  const to = spans[0]!.end;
  return db.withTenantSql(actor.tenantId, async (client) => {
    const counts = await client.query<{ month: string; sent: number; received: number; failed: number }>(
      `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month,
              count(*) FILTER (WHERE direction = 'OUTBOUND' AND status IN ('SENT', 'DELIVERED', 'READ'))::int AS sent,
              count(*) FILTER (WHERE direction = 'INBOUND')::int AS received,
              count(*) FILTER (WHERE direction = 'OUTBOUND' AND status = 'FAILED')::int AS failed
         FROM messages WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3
        GROUP BY 1`,
      [actor.tenantId, from, to],
    );
    const numbers = await client.query<{ month: string; count: number }>(
      `SELECT m.month, count(DISTINCT c.number)::int AS count
         FROM unnest($2::text[], $3::timestamptz[], $4::timestamptz[]) AS m(month, start_at, end_at)
         JOIN whatsapp_connections c
           ON c.tenant_id = $1 AND c.connected_at < m.end_at AND (c.disconnected_at IS NULL OR c.disconnected_at >= m.start_at)
        GROUP BY m.month`,
      [actor.tenantId, spans.map((span) => span.label), spans.map((span) => span.start), spans.map((span) => span.end)],
    );
    const countsOf = new Map(counts.rows.map((row) => [row.month, row]));
    const numbersOf = new Map(numbers.rows.map((row) => [row.month, row.count]));
    return spans.map(({ label }) => bill(label, countsOf.get(label) ?? { sent: 0, received: 0, failed: 0 }, numbersOf.get(label) ?? 0));
  });
}

/** The tiers and the price per number, for showing progress to the next tier without copying prices. */
export function pricing() {
  return {
    tiers: TIERS.map((tier) => ({ tier: tier.tier, upTo: Number.isFinite(tier.upTo) ? tier.upTo : null, price: usdFromCents(tier.priceCents) })),
    perConnectedNumber: usdFromCents(PROVIDER_COST_PER_NUMBER_CENTS),
  };
}
