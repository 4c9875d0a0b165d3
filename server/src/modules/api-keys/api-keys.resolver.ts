import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../../graphql/context.ts";
import { CurrentTenant } from "../../graphql/current-principal.ts";
import { Permission } from "../auth/permissions.ts";
import type { TenantPrincipal } from "../auth/principal.ts";
import { ApiKey, CreateApiKeyInput, CreatedApiKey } from "./api-key.types.ts";
import { createApiKey, listApiKeys, revokeApiKey } from "./api-keys.service.ts";

@Resolver()
export class ApiKeysResolver {
  @Authorized(Permission.API_KEYS_MANAGE)
  @Query(() => [ApiKey], { description: "This tenant's API keys, newest first, revoked ones included" })
  apiKeys(@Ctx() context: GraphQLContext, @CurrentTenant() actor: TenantPrincipal): Promise<ApiKey[]> {
    return listApiKeys(context.db, actor);
  }

  @Authorized(Permission.API_KEYS_MANAGE)
  @Mutation(() => CreatedApiKey, { description: "A new API key for this tenant; its secret is in this answer only" })
  createApiKey(
    @Arg("input", () => CreateApiKeyInput, { description: "The key's name and scopes" }) input: CreateApiKeyInput,
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
  ): Promise<CreatedApiKey> {
    return createApiKey(context.db, context.keys, actor, input);
  }

  @Authorized(Permission.API_KEYS_MANAGE)
  @Mutation(() => ApiKey, {
    description:
      "Stops the key working, for good: refused on its next request (other server processes within milliseconds). Revoking a revoked key changes nothing",
  })
  async revokeApiKey(
    @Arg("id", () => ID, { description: "The key's id (ApiKey.id)" }) id: string,
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
  ): Promise<ApiKey> {
    const revoked = await revokeApiKey(context.db, actor, id);
    context.forgetApiKey(revoked.prefix);
    return revoked;
  }
}
