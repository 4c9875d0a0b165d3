import { usdFromCents } from "./money.ts";
import { PROVIDER_COST_PER_NUMBER_CENTS, TIERS } from "./tiers.ts";

/** The tiers and the price per number, for showing progress to the next tier without copying prices. */
export function pricing() {
  return {
    tiers: TIERS.map((tier) => ({ tier: tier.tier, upTo: Number.isFinite(tier.upTo) ? tier.upTo : null, price: usdFromCents(tier.priceCents) })),
    perConnectedNumber: usdFromCents(PROVIDER_COST_PER_NUMBER_CENTS),
  };
}
