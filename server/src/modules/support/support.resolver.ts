import { Arg, Args, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../../graphql/context.ts";
import { CurrentTenant, CurrentUser } from "../../graphql/current-principal.ts";
import { Permission } from "../auth/permissions.ts";
import type { TenantPrincipal, UserPrincipal } from "../auth/principal.ts";
import { PageArgs } from "../relay/pagination.types.ts";
import { Statement } from "../usage/statement.types.ts";
import {
  endSupportSession,
  listSupportAccess,
  openMessage,
  searchMessages,
  setTenantSuspension,
  startSupportSession,
  tenantStatements,
} from "./support.service.ts";
import {
  SupportAccessEntryConnection,
  SupportMessageConnection,
  SupportMessageDetail,
  SupportMessageFilter,
  SupportSession,
  SupportTenantState,
} from "./support.types.ts";

@Resolver()
export class SupportResolver {
  @Authorized(Permission.SUPPORT_CONSOLE)
  @Mutation(() => SupportSession, {
    description:
      "Start a support session: the reason (10 to 500 characters: the ticket and what the customer asked) is recorded with every read it allows and shown to the tenants read. Lasts 30 minutes",
  })
  startSupportSession(
    @Arg("reason", () => String, { description: "Why you need to read tenants' data: 10 to 500 characters" }) reason: string,
    @Ctx() context: GraphQLContext,
    @CurrentUser() staff: UserPrincipal,
  ): Promise<SupportSession> {
    return startSupportSession(context.db, staff, reason);
  }

  @Authorized(Permission.SUPPORT_CONSOLE)
  @Mutation(() => Boolean, { description: "End your support session now (it would end by itself 30 minutes after it started)" })
  endSupportSession(
    @Arg("sessionId", () => ID, { description: "Your support session's id" }) sessionId: string,
    @Ctx() context: GraphQLContext,
    @CurrentUser() staff: UserPrincipal,
  ): Promise<boolean> {
    return endSupportSession(context.db, staff, sessionId);
  }

  @Authorized(Permission.SUPPORT_CONSOLE)
  @Query(() => SupportMessageConnection, {
    description:
      "Search messages across tenants, newest first, without their text; each page is recorded in the access log of every tenant it shows. A search that runs too long is stopped (TIMEOUT): narrow it",
  })
  supportSearchMessages(
    @Arg("sessionId", () => ID, { description: "Your live support session (startSupportSession)" }) sessionId: string,
    @Arg("filter", () => SupportMessageFilter, { description: "What to look for" }) filter: SupportMessageFilter,
    @Ctx() context: GraphQLContext,
    @CurrentUser() staff: UserPrincipal,
    @Arg("first", () => Int, { nullable: true, description: "1 to 100 messages (default 20)" }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: "pageInfo.endCursor of the previous page" }) after?: string | null,
  ): Promise<SupportMessageConnection> {
    return searchMessages(context.db, staff, sessionId, filter, { first, after });
  }

  @Authorized(Permission.SUPPORT_CONSOLE)
  @Query(() => SupportMessageDetail, {
    nullable: true,
    description: "Open one message, with its text; recorded in its tenant's access log. Null when no tenant has a message with this id",
  })
  supportMessage(
    @Arg("sessionId", () => ID, { description: "Your live support session (startSupportSession)" }) sessionId: string,
    @Arg("messageId", () => ID, { description: "The message's id" }) messageId: string,
    @Ctx() context: GraphQLContext,
    @CurrentUser() staff: UserPrincipal,
  ): Promise<SupportMessageDetail | null> {
    return openMessage(context.db, staff, sessionId, messageId);
  }

  @Authorized(Permission.SUPPORT_CONSOLE)
  @Query(() => [Statement], {
    description: "Any tenant's closed months' statements, newest first (none for an unknown tenant); recorded in its access log",
  })
  supportTenantStatements(
    @Arg("sessionId", () => ID, { description: "Your live support session (startSupportSession)" }) sessionId: string,
    @Arg("tenantId", () => ID, { description: "The tenant whose statements to read" }) tenantId: string,
    @Ctx() context: GraphQLContext,
    @CurrentUser() staff: UserPrincipal,
  ): Promise<Statement[]> {
    return tenantStatements(context.db, staff, sessionId, tenantId);
  }

  @Authorized(Permission.SUPPORT_CONSOLE)
  @Mutation(() => SupportTenantState, {
    description:
      "SUPERADMIN only (SUPPORT staff are refused): suspend a tenant. Its sends and API keys are refused at once, its queued sends and webhook deliveries wait; nothing is deleted. Its team sees the reason; recorded in its access log",
  })
  suspendTenant(
    @Arg("sessionId", () => ID, { description: "Your live support session (startSupportSession)" }) sessionId: string,
    @Arg("tenantId", () => ID, { description: "The tenant to suspend" }) tenantId: string,
    @Arg("reason", () => String, { description: "Why, in 10 to 500 characters: the tenant's team sees it" }) reason: string,
    @Ctx() context: GraphQLContext,
    @CurrentUser() staff: UserPrincipal,
  ): Promise<SupportTenantState> {
    return setTenantSuspension(context.db, staff, sessionId, tenantId, reason);
  }

  @Authorized(Permission.SUPPORT_CONSOLE)
  @Mutation(() => SupportTenantState, {
    description: "SUPERADMIN only (SUPPORT staff are refused): lift a tenant's suspension; its waiting sends and deliveries go out. Recorded in its access log",
  })
  reactivateTenant(
    @Arg("sessionId", () => ID, { description: "Your live support session (startSupportSession)" }) sessionId: string,
    @Arg("tenantId", () => ID, { description: "The tenant to reactivate" }) tenantId: string,
    @Ctx() context: GraphQLContext,
    @CurrentUser() staff: UserPrincipal,
  ): Promise<SupportTenantState> {
    return setTenantSuspension(context.db, staff, sessionId, tenantId, null);
  }

  @Authorized(Permission.SUPPORT_ACCESS_READ)
  @Query(() => SupportAccessEntryConnection, {
    description: "When Switchboard support read this tenant's data: who, why, what they searched for and which messages they opened; newest first",
  })
  supportAccessLog(
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
    @Args(() => PageArgs) page: PageArgs,
  ): Promise<SupportAccessEntryConnection> {
    return listSupportAccess(context.db, actor, page);
  }
}
