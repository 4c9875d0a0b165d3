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
  @Mutation(() => CreatedApiKey)
  createApiKey(
    @Arg("input", () => CreateApiKeyInput) input: CreateApiKeyInput,
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
  ): Promise<CreatedApiKey> {
    return createApiKey(context.db, context.keys, actor, input);
  }

  @Authorized(Permission.API_KEYS_MANAGE)
  @Mutation(() => ApiKey)
  async revokeApiKey(@Arg("id", () => ID) id: string, @Ctx() context: GraphQLContext, @CurrentTenant() actor: TenantPrincipal): Promise<ApiKey> {
    const revoked = await revokeApiKey(context.db, actor, id);
    context.forgetApiKey(revoked.prefix);
    return revoked;
  }
}
