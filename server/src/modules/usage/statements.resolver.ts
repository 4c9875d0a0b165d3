import { Arg, Authorized, Ctx, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../../graphql/context.ts";
import { CurrentTenant } from "../../graphql/current-principal.ts";
import { Permission } from "../auth/permissions.ts";
import type { TenantPrincipal } from "../auth/principal.ts";
import { Statement } from "./statement.types.ts";
import { getStatement, listStatements } from "./statements.ts";

@Resolver()
export class StatementsResolver {
  @Authorized(Permission.USAGE_READ)
  @Query(() => [Statement], { description: "This tenant's closed months, newest first (the current month is in `usage` until it closes)" })
  statements(@Ctx() context: GraphQLContext, @CurrentTenant() actor: TenantPrincipal): Promise<Statement[]> {
    return listStatements(context.db, actor);
  }

  @Authorized(Permission.USAGE_READ)
  @Query(() => Statement, { nullable: true, description: "One closed month's statement; null while the month is not closed" })
  statement(
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
    @Arg("month", () => String, { description: "The month as YYYY-MM (UTC), e.g. 2026-10" }) month: string,
  ): Promise<Statement | null> {
    return getStatement(context.db, actor, month);
  }
}
