import { describe, expect, it } from "vitest";
import { monthDays, niceScale, tierProgress } from "./chart-data.ts";

const TIERS = [
  { tier: "STARTER", upTo: 1_000 },
  { tier: "GROWTH", upTo: 5_000 },
  { tier: "SCALE", upTo: null },
];

describe("the daily chart's data", () => {
  it("has every day of the month, zero where nothing happened", () => {
    const days = monthDays("2026-11", [
      { date: "2026-11-02", sent: 3, received: 1 },
      { date: "2026-11-30", sent: 0, received: 4 },
    ]);
    expect(days).toHaveLength(30);
    expect(days[0]).toEqual({ date: "2026-11-01", day: 1, sent: 0, received: 0 });
    expect(days[1]).toEqual({ date: "2026-11-02", day: 2, sent: 3, received: 1 });
    expect(days.at(-1)).toEqual({ date: "2026-11-30", day: 30, sent: 0, received: 4 });
  });

  it("keeps to the UTC month: 28, 29 or 31 days, and nothing of the months around it", () => {
    expect(monthDays("2026-02", [])).toHaveLength(28);
    expect(monthDays("2028-02", []).at(-1)!.date).toBe("2028-02-29");
    const december = monthDays("2026-12", [
      { date: "2026-11-30", sent: 9, received: 9 },
      { date: "2026-12-31", sent: 2, received: 0 },
      { date: "2027-01-01", sent: 9, received: 9 },
    ]);
    expect(december).toHaveLength(31);
    expect(december.reduce((sum, day) => sum + day.sent + day.received, 0)).toBe(2);
  });

  it("scales to a round top above the busiest day", () => {
    expect(niceScale(0)).toEqual({ top: 4, ticks: [0, 1, 2, 3, 4] });
    expect(niceScale(7)).toEqual({ top: 8, ticks: [0, 2, 4, 6, 8] });
    expect(niceScale(1_234).top).toBe(1_500);
  });
});

describe("progress to the next tier", () => {
  it("is measured within the current tier, and full past the last threshold", () => {
    expect(tierProgress(0, TIERS)).toMatchObject({ current: { tier: "STARTER" }, next: { tier: "GROWTH" }, fraction: 0, remaining: 1_000 });
    expect(tierProgress(1_000, TIERS)).toMatchObject({ current: { tier: "STARTER" }, fraction: 1, remaining: 0 });
    expect(tierProgress(3_000, TIERS)).toMatchObject({ current: { tier: "GROWTH" }, next: { tier: "SCALE" }, fraction: 0.5, remaining: 2_000 });
    expect(tierProgress(9_999, TIERS)).toMatchObject({ current: { tier: "SCALE" }, next: null, fraction: 1 });
  });
});
