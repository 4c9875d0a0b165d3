import { describe, expect, it } from "vitest";
import { PROVIDER_COST_PER_NUMBER_USD, tierFor } from "../../src/modules/usage/tiers.ts";

/** The billing tiers of the product brief: Starter up to 1,000 sent, Growth up to 5,000, Scale above. */
describe("billing tiers", () => {
  it("bills by messages sent in the month, the limits included in the lower tier", () => {
    expect(tierFor(0)).toMatchObject({ tier: "STARTER", priceUsd: 29 });
    expect(tierFor(1_000)).toMatchObject({ tier: "STARTER", priceUsd: 29 });
    expect(tierFor(1_001)).toMatchObject({ tier: "GROWTH", priceUsd: 79 });
    expect(tierFor(5_000)).toMatchObject({ tier: "GROWTH", priceUsd: 79 });
    expect(tierFor(5_001)).toMatchObject({ tier: "SCALE", priceUsd: 199 });
    expect(tierFor(10_000_000)).toMatchObject({ tier: "SCALE", priceUsd: 199 });
  });

  it("passes on $5 per connected number", () => {
    expect(PROVIDER_COST_PER_NUMBER_USD).toBe(5);
  });
});
