import { Field, Int, ObjectType } from "type-graphql";
import { Plan } from "../../graphql/enums.ts";
import { Money } from "../../graphql/money.ts";

@ObjectType({
  description:
    "A closed month's usage and price, frozen when the month was closed (automatically within the hour after it ends): later changes to messages or numbers do not alter it",
})
export class Statement {
  @Field(() => String, { description: "YYYY-MM (UTC)" }) month!: string;
  @Field(() => Int, { description: "Billable messages: OUTBOUND ones created in the month that the provider had accepted when it closed" })
  messagesSent!: number;
  @Field(() => Int, { description: "INBOUND messages received in the month" }) messagesReceived!: number;
  @Field(() => Int, { description: "OUTBOUND messages created in the month that had FAILED (not billed)" }) messagesFailed!: number;
  @Field(() => Int, { description: "Distinct WhatsApp numbers connected at any time in the month" }) connectedNumbers!: number;
  @Field(() => Plan, { description: "Tier reached by messagesSent" }) tier!: Plan;
  @Field(() => Money, { description: "The tier's price" }) planPrice!: Money;
  @Field(() => Money, { description: "5.00 USD per connected number" }) providerCost!: Money;
  @Field(() => Money, { description: "What the month cost: planPrice plus providerCost" }) total!: Money;
  @Field(() => Date, { description: "When the month was closed" }) closedAt!: Date;
}
