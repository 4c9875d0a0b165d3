import { Field, Float, Int, ObjectType } from "type-graphql";
import { Plan } from "../../graphql/enums.ts";

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
  @Field(() => Float, { description: "USD" }) planPrice!: number;
  @Field(() => Int) connectedNumbers!: number;
  @Field(() => Float, { description: "USD: $5 per connected number" }) providerCost!: number;
  @Field(() => Float, { description: "USD" }) total!: number;
  @Field(() => [DailyUsage], { description: "Every day of the month" }) daily!: DailyUsage[];
}
