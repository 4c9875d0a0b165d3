import { Authorized, Ctx, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../../graphql/context.ts";
import { CurrentTenant } from "../../graphql/current-principal.ts";
import { Permission } from "../auth/permissions.ts";
import type { TenantPrincipal } from "../auth/principal.ts";
import { Tenant } from "./tenant.types.ts";
import { getTenant } from "./tenants.service.ts";

@Resolver()
export class TenantsResolver {
  @Authorized(Permission.TENANT_READ)
  @Query(() => Tenant, { description: "The tenant this request acts for (X-Tenant-Id, else your first)" })
  tenant(@Ctx() context: GraphQLContext, @CurrentTenant() actor: TenantPrincipal): Promise<Tenant> {
    return getTenant(context.db, actor);
  }
}
