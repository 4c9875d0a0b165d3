import { Arg, Authorized, Ctx, Int, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../../graphql/context.ts";
import { CurrentTenant } from "../../graphql/current-principal.ts";
import { Permission } from "../auth/permissions.ts";
import type { TenantPrincipal } from "../auth/principal.ts";
import { Pricing, Usage, UsageMonth } from "./usage.types.ts";
import { getUsage } from "./usage.service.ts";
import { getUsageHistory, MAX_HISTORY_MONTHS, pricing } from "./usage-history.ts";

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

  @Authorized(Permission.USAGE_READ)
  @Query(() => [UsageMonth], { description: "The months before the current one (UTC), newest first, each with its counts and bill" })
  usageHistory(
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
    @Arg("months", () => Int, { defaultValue: 12, description: `How many months back: 1 to ${MAX_HISTORY_MONTHS}` }) months: number,
  ): Promise<UsageMonth[]> {
    return getUsageHistory(context.db, actor, months);
  }

  @Authorized(Permission.TENANT_READ)
  @Query(() => Pricing, { description: "The pricing tiers and the price per connected number, as bills use them" })
  pricing(): Pricing {
    return pricing();
  }
}
