import type { Plan } from "../../generated/prisma/enums.ts";

/** Billing tiers from the product brief: by outbound messages the provider accepted in the month. */
export const TIERS: { tier: Plan; upTo: number; priceUsd: number }[] = [
  { tier: "STARTER", upTo: 1_000, priceUsd: 29 },
  { tier: "GROWTH", upTo: 5_000, priceUsd: 79 },
  { tier: "SCALE", upTo: Number.POSITIVE_INFINITY, priceUsd: 199 },
];

/** Rapiwa's cost, passed on: per connected number per month; no per-message fee. */
export const PROVIDER_COST_PER_NUMBER_USD = 5;

export function tierFor(messagesSent: number) {
  return TIERS.find((tier) => messagesSent <= tier.upTo)!;
}
