import { Field, ID, ObjectType } from "type-graphql";
import { Plan } from "../../graphql/enums.ts";
import { Node } from "../shared/node.types.ts";

@ObjectType({ implements: Node, description: "A customer company using Switchboard" })
export class Tenant implements Node {
  @Field(() => ID) id!: string;
  @Field(() => String) companyName!: string;
  @Field(() => String, { description: "Unique, URL-safe name" }) slug!: string;
  @Field(() => Plan) plan!: Plan;
  @Field(() => Boolean, { description: "Inactive tenants cannot send messages" }) active!: boolean;
  @Field(() => Date) createdAt!: Date;
}
