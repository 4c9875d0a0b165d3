import { Authorized, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import type { GraphQLContext } from "../../graphql/context.ts";
import { CurrentTenant } from "../../graphql/current-principal.ts";
import { Permission } from "../auth/permissions.ts";
import type { TenantPrincipal } from "../auth/principal.ts";
import { Tenant, TenantSuspension } from "./tenant.types.ts";
import { getTenant, suspensionOf } from "./tenants.service.ts";

@Resolver(() => Tenant)
export class TenantsResolver {
  @Authorized(Permission.TENANT_READ)
  @Query(() => Tenant, { description: "The tenant this request acts for (X-Tenant-Id, else your first)" })
  tenant(@Ctx() context: GraphQLContext, @CurrentTenant() actor: TenantPrincipal): Promise<Tenant> {
    return getTenant(context.db, actor);
  }

  @FieldResolver(() => TenantSuspension, {
    nullable: true,
    description:
      "Set while Switchboard has suspended the tenant: sends and API keys are refused, queued sends and webhook deliveries wait; nothing is deleted, and all of it resumes on reactivation",
  })
  suspension(@Root() tenant: Tenant): TenantSuspension | null {
    return suspensionOf(tenant);
  }
}
