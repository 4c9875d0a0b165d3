import { ArrayMaxSize, ArrayMinSize, Length } from "class-validator";
import { Field, ID, InputType, ObjectType } from "type-graphql";
import { ApiKeyScope } from "../../graphql/enums.ts";
import { Node } from "../shared/node.types.ts";

@ObjectType({ implements: Node, description: "An integrator's credential; the secret itself is never shown again after creation" })
export class ApiKey implements Node {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: "The visible start of the secret, to tell keys apart" }) prefix!: string;
  @Field(() => [ApiKeyScope]) scopes!: ApiKeyScope[];
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true, description: "Updated at most once a minute" }) lastUsedAt!: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt!: Date | null;
}

@ObjectType()
export class CreatedApiKey {
  @Field(() => ApiKey) apiKey!: ApiKey;
  @Field(() => String, { description: "Shown only this once: store it now" }) secret!: string;
}

@InputType()
export class CreateApiKeyInput {
  @Field(() => String) @Length(1, 100, { message: "Name the key (1 to 100 characters)." }) name!: string;
  @Field(() => [ApiKeyScope])
  @ArrayMinSize(1, { message: "Give the key at least one scope." })
  @ArrayMaxSize(10)
  scopes!: ApiKeyScope[];
}
