import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { Permission } from "../../graphql/auth-checker.ts";
import { tenantPrincipalOf, type GraphQLContext } from "../../graphql/context.ts";
import { ApiKey, CreateApiKeyInput, CreatedApiKey } from "./api-key.types.ts";
import { createApiKey, listApiKeys, revokeApiKey } from "./api-keys.service.ts";

@Resolver()
export class ApiKeysResolver {
  @Authorized(Permission.API_KEYS_MANAGE)
  @Query(() => [ApiKey], { description: "This tenant's API keys, newest first, revoked ones included" })
  apiKeys(@Ctx() context: GraphQLContext): Promise<ApiKey[]> {
    return listApiKeys(context.db, tenantPrincipalOf(context));
  }

  @Authorized(Permission.API_KEYS_MANAGE)
  @Mutation(() => CreatedApiKey)
  createApiKey(@Arg("input", () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() context: GraphQLContext): Promise<CreatedApiKey> {
    return createApiKey(context.db, context.keys, tenantPrincipalOf(context), input);
  }

  @Authorized(Permission.API_KEYS_MANAGE)
  @Mutation(() => ApiKey)
  async revokeApiKey(@Arg("id", () => ID) id: string, @Ctx() context: GraphQLContext): Promise<ApiKey> {
    const revoked = await revokeApiKey(context.db, tenantPrincipalOf(context), id);
    context.forgetApiKey(revoked.prefix);
    return revoked;
  }
}
