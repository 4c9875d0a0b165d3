import type { Plan } from "../../generated/prisma/enums.ts";

/** Billing tiers from the product brief: by outbound messages the provider accepted in the month. Prices in US cents. */
export const TIERS: { tier: Plan; upTo: number; priceCents: number }[] = [
  { tier: "STARTER", upTo: 1_000, priceCents: 29_00 },
  { tier: "GROWTH", upTo: 5_000, priceCents: 79_00 },
  { tier: "SCALE", upTo: Number.POSITIVE_INFINITY, priceCents: 199_00 },
];

/** Rapiwa's cost, passed on: per connected number per month, in US cents; no per-message fee. */
export const PROVIDER_COST_PER_NUMBER_CENTS = 5_00;

export function tierFor(messagesSent: number) {
  return TIERS.find((tier) => messagesSent <= tier.upTo)!;
}
