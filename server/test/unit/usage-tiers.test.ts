import "reflect-metadata";
import { describe, expect, it } from "vitest";
import { Decimal } from "../../src/graphql/money.ts";
import { usdFromCents } from "../../src/modules/usage/money.ts";
import { PROVIDER_COST_PER_NUMBER_CENTS, tierFor } from "../../src/modules/usage/tiers.ts";

/** The billing tiers of the product brief: Starter up to 1,000 sent, Growth up to 5,000, Scale above. */
describe("billing tiers", () => {
  it("bills by messages sent in the month, the limits included in the lower tier", () => {
    expect(tierFor(0)).toMatchObject({ tier: "STARTER", priceCents: 29_00 });
    expect(tierFor(1_000)).toMatchObject({ tier: "STARTER", priceCents: 29_00 });
    expect(tierFor(1_001)).toMatchObject({ tier: "GROWTH", priceCents: 79_00 });
    expect(tierFor(5_000)).toMatchObject({ tier: "GROWTH", priceCents: 79_00 });
    expect(tierFor(5_001)).toMatchObject({ tier: "SCALE", priceCents: 199_00 });
    expect(tierFor(10_000_000)).toMatchObject({ tier: "SCALE", priceCents: 199_00 });
  });

  it("passes on $5 per connected number", () => {
    expect(PROVIDER_COST_PER_NUMBER_CENTS).toBe(5_00);
  });
});

describe("money", () => {
  it("writes whole cents as exact dollar amounts with two decimals", () => {
    expect(usdFromCents(0)).toEqual({ amount: "0.00", currencyCode: "USD" });
    expect(usdFromCents(5)).toEqual({ amount: "0.05", currencyCode: "USD" });
    expect(usdFromCents(50)).toEqual({ amount: "0.50", currencyCode: "USD" });
    expect(usdFromCents(29_00)).toEqual({ amount: "29.00", currencyCode: "USD" });
    expect(usdFromCents(1_234_567_89)).toEqual({ amount: "1234567.89", currencyCode: "USD" });
    expect(usdFromCents(-1_50)).toEqual({ amount: "-1.50", currencyCode: "USD" });
    // Where a float sum would drift (0.1 + 0.2), cents stay exact.
    expect(usdFromCents(10 + 20).amount).toBe("0.30");
    expect(usdFromCents(Number.MAX_SAFE_INTEGER).amount).toBe("90071992547409.91");
  });

  it("refuses anything but whole cents", () => {
    expect(() => usdFromCents(0.5)).toThrow(RangeError);
    expect(() => usdFromCents(Number.NaN)).toThrow(RangeError);
    expect(() => usdFromCents(2 ** 53)).toThrow(RangeError);
  });

  it("has the Decimal scalar carry strings only, in and out", () => {
    for (const value of ["29.00", "-0.5", "1200", "0"]) {
      expect(Decimal.serialize(value)).toBe(value);
      expect(Decimal.parseValue(value)).toBe(value);
    }
    for (const value of [29, 29.5, "29.", ".5", "1e3", "+1", " 1", "29,00", "", null, true]) {
      expect(() => Decimal.serialize(value), String(value)).toThrow(/decimal number written as a string/);
      expect(() => Decimal.parseValue(value), String(value)).toThrow(/decimal number written as a string/);
    }
  });
});
