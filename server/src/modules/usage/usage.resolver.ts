import { Arg, Authorized, Ctx, Query, Resolver } from "type-graphql";
import { Permission } from "../../graphql/auth-checker.ts";
import { tenantPrincipalOf, type GraphQLContext } from "../../graphql/context.ts";
import { Usage } from "./usage.types.ts";
import { getUsage } from "./usage.service.ts";

@Resolver()
export class UsageResolver {
  @Authorized(Permission.USAGE_READ)
  @Query(() => Usage, { description: "Messages and bill for a month (default: the current one, UTC)" })
  usage(@Ctx() context: GraphQLContext, @Arg("month", () => String, { nullable: true, description: "YYYY-MM" }) month?: string): Promise<Usage> {
    return getUsage(context.db, tenantPrincipalOf(context), month);
  }
}
