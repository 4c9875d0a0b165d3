import { Field, ID, ObjectType } from "type-graphql";
import { Plan } from "../../graphql/enums.ts";
import { Node } from "../relay/node.types.ts";

@ObjectType({ description: "Why and since when Switchboard suspended a tenant" })
export class TenantSuspension {
  @Field(() => String, { description: "The reason, as Switchboard's administrator wrote it" }) reason!: string;
  @Field(() => Date, { description: "When it was suspended" }) since!: Date;
}

@ObjectType({ implements: Node, description: "A customer company using Switchboard" })
export class Tenant implements Node {
  @Field(() => ID, { description: "The tenant's id: the value of the X-Tenant-Id header that picks it" }) id!: string;
  @Field(() => String, { description: "The company's name, as given at sign-up" }) companyName!: string;
  @Field(() => String, { description: "Unique, URL-safe name" }) slug!: string;
  @Field(() => Plan, { description: "The plan on record (STARTER from sign-up; no operation changes it). Bills follow usage.tier, not this" }) plan!: Plan;
  @Field(() => Boolean, { description: "False while suspended (see suspension): no sends, no API keys, no webhook deliveries" }) active!: boolean;
  /** Read by the `suspension` field resolver (tenants.resolver.ts), from the service's rows and Prisma's alike. */
  suspensionReason?: string | null;
  suspendedAt?: Date | null;
  @Field(() => Date, { description: "When it signed up" }) createdAt!: Date;
}
