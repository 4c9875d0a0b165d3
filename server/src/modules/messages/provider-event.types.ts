import { GraphQLJSON } from "graphql-scalars";
import { Field, ObjectType } from "type-graphql";

@ObjectType({ description: "A callback the provider (Rapiwa) made about a message, kept as received" })
export class ProviderEvent {
  @Field(() => String, { description: "The payload's `event` (or what it was read as: message, status, unknown)" }) type!: string;
  @Field(() => Date, { description: "When the server received it" }) receivedAt!: Date;
  @Field(() => GraphQLJSON, { description: "The body as the provider sent it (text PostgreSQL cannot store reads U+FFFD)" }) payload!: unknown;
}
