import { Field, Int, ObjectType } from "type-graphql";
import { Plan } from "../../graphql/enums.ts";
import { Money } from "../../graphql/money.ts";

@ObjectType()
export class DailyUsage {
  @Field(() => String, { description: "YYYY-MM-DD (UTC)" }) date!: string;
  @Field(() => Int) sent!: number;
  @Field(() => Int) received!: number;
}

@ObjectType({ description: "A month's messages and bill. Billable: outbound messages the provider accepted." })
export class Usage {
  @Field(() => String, { description: "YYYY-MM (UTC)" }) month!: string;
  @Field(() => Int) messagesSent!: number;
  @Field(() => Int) messagesReceived!: number;
  @Field(() => Int) messagesFailed!: number;
  @Field(() => Plan, { description: "Tier reached by messagesSent" }) tier!: Plan;
  @Field(() => Money, { description: "The month's price of the tier reached: STARTER 29.00, GROWTH 79.00, SCALE 199.00 USD" }) planPrice!: Money;
  @Field(() => Int) connectedNumbers!: number;
  @Field(() => Money, { description: "The provider's cost passed on: 5.00 USD per number connected at any time in the month" }) providerCost!: Money;
  @Field(() => Money, { description: "What the month costs: planPrice plus providerCost" }) total!: Money;
  @Field(() => [DailyUsage], { description: "Every day of the month" }) daily!: DailyUsage[];
}
