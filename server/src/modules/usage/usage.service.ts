import type { Database } from "../../db/database.ts";
import { badInput } from "../../errors.ts";
import type { TenantPrincipal } from "../auth/principal.ts";
import { usdFromCents } from "./money.ts";
import { PROVIDER_COST_PER_NUMBER_CENTS, tierFor } from "./tiers.ts";

function monthRange(month: string | null | undefined): { label: string; start: Date; end: Date } {
  const label = month ?? new Date().toISOString().slice(0, 7);
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(label);
  if (!match) throw badInput("month", "Give the month as YYYY-MM, e.g. 2026-11.");
  const year = Number(match[1]);
  const monthIndex = Number(match[2]) - 1;
  return { label, start: new Date(Date.UTC(year, monthIndex, 1)), end: new Date(Date.UTC(year, monthIndex + 1, 1)) };
}

/** Derived from the messages themselves: nothing on the send path updates a counter row. */
export function getUsage(db: Database, actor: TenantPrincipal, month?: string | null) {
  const { label, start, end } = monthRange(month);
  return db.withTenantSql(actor.tenantId, async (client) => {
    const daily = await client.query<{ day: string; sent: number; received: number; failed: number }>(
      `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
              count(*) FILTER (WHERE direction = 'OUTBOUND' AND status IN ('SENT', 'DELIVERED', 'READ'))::int AS sent,
              count(*) FILTER (WHERE direction = 'INBOUND')::int AS received,
              count(*) FILTER (WHERE direction = 'OUTBOUND' AND status = 'FAILED')::int AS failed
         FROM messages WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3
        GROUP BY 1`,
      [actor.tenantId, start, end],
    );
    const numbers = await client.query<{ count: number }>(
      `SELECT count(DISTINCT number)::int AS count FROM whatsapp_connections
        WHERE tenant_id = $1 AND connected_at < $3 AND (disconnected_at IS NULL OR disconnected_at >= $2)`,
      [actor.tenantId, start, end],
    );
    const byDay = new Map(daily.rows.map((row) => [row.day, row]));
    const days = [];
    for (let day = new Date(start); day < end; day = new Date(day.getTime() + 86_400_000)) {
      const date = day.toISOString().slice(0, 10);
      days.push({ date, sent: byDay.get(date)?.sent ?? 0, received: byDay.get(date)?.received ?? 0 });
    }
    const sum = (key: "sent" | "received" | "failed") => daily.rows.reduce((total, row) => total + row[key], 0);
    const messagesSent = sum("sent");
    const tier = tierFor(messagesSent);
    const connectedNumbers = numbers.rows[0]?.count ?? 0;
    const providerCostCents = connectedNumbers * PROVIDER_COST_PER_NUMBER_CENTS;
    return {
      month: label,
      messagesSent,
      messagesReceived: sum("received"),
      messagesFailed: sum("failed"),
      tier: tier.tier,
      planPrice: usdFromCents(tier.priceCents),
      connectedNumbers,
      providerCost: usdFromCents(providerCostCents),
      total: usdFromCents(tier.priceCents + providerCostCents),
      daily: days,
    };
  });
}
