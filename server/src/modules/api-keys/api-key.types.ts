import { ArrayMaxSize, ArrayMinSize, Length } from "class-validator";
import { Field, ID, InputType, ObjectType } from "type-graphql";
import { ApiKeyScope } from "../../graphql/enums.ts";
import { Node } from "../relay/node.types.ts";

@ObjectType({ implements: Node, description: "An integrator's credential; the secret itself is never shown again after creation" })
export class ApiKey implements Node {
  @Field(() => ID, { description: "The key's id: pass it to revokeApiKey" }) id!: string;
  @Field(() => String, { description: "What the key is for, as given at creation (1 to 100 characters)" }) name!: string;
  @Field(() => String, { description: "The visible start of the secret (`swb_` and 8 characters), to tell keys apart" }) prefix!: string;
  @Field(() => [ApiKeyScope], { description: "What the key may do" }) scopes!: ApiKeyScope[];
  @Field(() => Date, { description: "When it was created" }) createdAt!: Date;
  @Field(() => Date, { nullable: true, description: "When it last authenticated a request, updated at most once a minute; null if never used" })
  lastUsedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: "When it was revoked (it authenticates nothing since); null while it works" }) revokedAt!: Date | null;
}

@ObjectType({ description: "A new API key and its secret, which no later answer contains" })
export class CreatedApiKey {
  @Field(() => ApiKey, { description: "The key as apiKeys lists it" }) apiKey!: ApiKey;
  @Field(() => String, { description: "The secret (`swb_...`), to send as `Authorization: Bearer <secret>`. Shown only this once: store it now" })
  secret!: string;
}

@InputType({ description: "A name and scopes for a new API key" })
export class CreateApiKeyInput {
  @Field(() => String, { description: "What the key is for, to tell keys apart: 1 to 100 characters" })
  @Length(1, 100, { message: "Name the key (1 to 100 characters)." })
  name!: string;
  @Field(() => [ApiKeyScope], { description: "What the key may do: 1 to 10 scopes" })
  @ArrayMinSize(1, { message: "Give the key at least one scope." })
  @ArrayMaxSize(10)
  scopes!: ApiKeyScope[];
}
