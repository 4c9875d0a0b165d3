/** A day of the month's chart: UTC date and counts (zero when nothing happened that day). */
export type ChartDay = { date: string; day: number; sent: number; received: number };

/**
 * Every day of `month` (YYYY-MM, UTC), in order, with the counts the server reported for it and zero
 * for days it did not mention, so the chart never skips a day or runs into the next month.
 */
export function monthDays(month: string, daily: readonly { date: string; sent: number; received: number }[]): ChartDay[] {
  const [year, monthNumber] = month.split("-").map(Number) as [number, number];
  const count = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  const byDate = new Map(daily.map((entry) => [entry.date, entry]));
  return Array.from({ length: count }, (_, index) => {
    const date = `${month}-${String(index + 1).padStart(2, "0")}`;
    const found = byDate.get(date);
    return { date, day: index + 1, sent: found?.sent ?? 0, received: found?.received ?? 0 };
  });
}

/** The top of the chart's scale: a round number at or above `max` (1, 2 or 5 times a power of ten), and its gridlines. */
export function niceScale(max: number, lines = 4): { top: number; ticks: number[] } {
  if (max <= 0) return { top: lines, ticks: Array.from({ length: lines + 1 }, (_, index) => index) };
  const rough = max / lines;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough)!;
  const stepWhole = Math.max(1, Math.ceil(step));
  const top = stepWhole * Math.ceil(max / stepWhole);
  return { top, ticks: Array.from({ length: Math.round(top / stepWhole) + 1 }, (_, index) => index * stepWhole) };
}

export type Tier = { tier: string; upTo: number | null };

/**
 * Where this month's billable messages stand: the tier reached, and how far through it towards the
 * next one (null past the last threshold). Thresholds come from the server's pricing.
 */
export function tierProgress(sent: number, tiers: readonly Tier[]) {
  const index = tiers.findIndex((tier) => tier.upTo === null || sent <= tier.upTo);
  const current = tiers[index === -1 ? tiers.length - 1 : index]!;
  const next = tiers[index + 1];
  if (current.upTo === null || !next) return { current, next: null, fraction: 1, remaining: 0 };
  const floor = index > 0 ? tiers[index - 1]!.upTo! : 0;
  return { current, next, fraction: Math.min(1, (sent - floor) / (current.upTo - floor)), remaining: current.upTo - sent };
}
