import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCode, expectData, signUp, startTestApi, type SignedUp, type TestApi } from "../support/api.ts";

/** The `usage(month:)` argument is exactly YYYY-MM: anything around or inside it is refused, not guessed. */
let api: TestApi;
let owner: SignedUp;

beforeAll(async () => {
  api = await startTestApi();
  owner = await signUp(api, "usage-month");
});
afterAll(() => api?.close());

const USAGE = `query ($month: String) { usage(month: $month) { month daily { date } } }`;
const usage = (month: string) => api.graphql(USAGE, { month }, { token: owner.token, tenantId: owner.tenantId });

describe("usage month", () => {
  it.each(["x2026-11", "2026-11x", "2026-111", "12026-11", "026-11", "2026-00", "2026-1a", "abcd-11", "2026_11"])("refuses %s", async (month) => {
    const result = await usage(month);
    expect(errorCode(result)).toBe("BAD_USER_INPUT");
    expect(result.errors?.[0]).toMatchObject({ message: "Give the month as YYYY-MM, e.g. 2026-11.", extensions: { field: "month" } });
  });

  it.each([
    ["2024-01", 31],
    ["2024-10", 31],
    ["2024-12", 31],
    ["2025-02", 28],
  ])("reports %s day by day", async (month, days) => {
    const { usage: report } = expectData(await usage(month));
    expect(report.month).toBe(month);
    expect(report.daily).toHaveLength(days);
    expect(report.daily[0].date).toBe(`${month}-01`);
  });
});
