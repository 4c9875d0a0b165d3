import { Arg, Authorized, Ctx, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../../graphql/context.ts";
import { CurrentTenant } from "../../graphql/current-principal.ts";
import { Permission } from "../auth/permissions.ts";
import type { TenantPrincipal } from "../auth/principal.ts";
import { Pricing, Usage } from "./usage.types.ts";
import { getUsage } from "./usage.service.ts";
import { pricing } from "./pricing.ts";

@Resolver()
export class UsageResolver {
  @Authorized(Permission.USAGE_READ)
  @Query(() => Usage, { description: "Messages and bill for a month (default: the current one, UTC)" })
  usage(
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
    @Arg("month", () => String, { nullable: true, description: "The month as YYYY-MM (UTC), e.g. 2026-11; omitted: the current month" }) month?: string,
  ): Promise<Usage> {
    return getUsage(context.db, actor, month);
  }

  @Authorized(Permission.TENANT_READ)
  @Query(() => Pricing, { description: "The pricing tiers and the price per connected number, as bills use them" })
  pricing(): Pricing {
    return pricing();
  }
}
