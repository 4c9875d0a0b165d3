import { Authorized, Ctx, Query, Resolver } from "type-graphql";
import { Permission } from "../../graphql/auth-checker.ts";
import { tenantPrincipalOf, type GraphQLContext } from "../../graphql/context.ts";
import { Tenant } from "./tenant.types.ts";
import { getTenant } from "./tenants.service.ts";

@Resolver()
export class TenantsResolver {
  @Authorized(Permission.TENANT_READ)
  @Query(() => Tenant, { description: "The tenant this request acts for (X-Tenant-Id, else your first)" })
  tenant(@Ctx() context: GraphQLContext): Promise<Tenant> {
    return getTenant(context.db, tenantPrincipalOf(context));
  }
}
