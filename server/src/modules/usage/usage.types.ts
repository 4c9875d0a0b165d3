import { Field, Int, ObjectType } from "type-graphql";
import { Plan } from "../../graphql/enums.ts";
import { Money } from "../../graphql/money.ts";
import { usdFromCents } from "./money.ts";
import { PROVIDER_COST_PER_NUMBER_CENTS } from "./tiers.ts";

@ObjectType({ description: "One UTC day of a month's usage" })
export class DailyUsage {
  @Field(() => String, { description: "YYYY-MM-DD (UTC)" }) date!: string;
  @Field(() => Int, { description: "Billable messages created that day (as messagesSent)" }) sent!: number;
  @Field(() => Int, { description: "INBOUND messages received that day" }) received!: number;
}

@ObjectType({ description: "A month's messages and bill. Billable: outbound messages the provider accepted." })
export class Usage {
  @Field(() => String, { description: "YYYY-MM (UTC)" }) month!: string;
  @Field(() => Int, { description: "Billable messages: OUTBOUND ones created in the month that the provider accepted (now SENT, DELIVERED or READ)" })
  messagesSent!: number;
  @Field(() => Int, { description: "INBOUND messages received in the month" }) messagesReceived!: number;
  @Field(() => Int, { description: "OUTBOUND messages created in the month that FAILED (not billed)" }) messagesFailed!: number;
  @Field(() => Plan, { description: "Tier reached by messagesSent" }) tier!: Plan;
  @Field(() => Money, { description: "The month's price of the tier reached (see Plan)" }) planPrice!: Money;
  @Field(() => Int, { description: "Distinct WhatsApp numbers connected at any time in the month" }) connectedNumbers!: number;
  @Field(() => Money, {
    description: `The provider's cost passed on: ${usdFromCents(PROVIDER_COST_PER_NUMBER_CENTS).amount} USD per number connected at any time in the month`,
  })
  providerCost!: Money;
  @Field(() => Money, { description: "What the month costs: planPrice plus providerCost" }) total!: Money;
  @Field(() => [DailyUsage], { description: "Every day of the month" }) daily!: DailyUsage[];
}

@ObjectType({ description: "One pricing tier" })
export class PricingTier {
  @Field(() => Plan, { description: "The tier" }) tier!: Plan;
  @Field(() => Int, { nullable: true, description: "The most billable messages a month this tier covers; null for the last tier (no limit)" })
  upTo!: number | null;
  @Field(() => Money, { description: "Its price per month" }) price!: Money;
}

@ObjectType({ description: "How a month is billed: the tier reached by billable messages, plus a price per connected number" })
export class Pricing {
  @Field(() => [PricingTier], { description: "Cheapest first; a month is billed at the first tier whose upTo covers its billable messages" })
  tiers!: PricingTier[];
  @Field(() => Money, { description: "Per WhatsApp number connected at any time in the month" }) perConnectedNumber!: Money;
}
