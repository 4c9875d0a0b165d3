import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../../graphql/context.ts";
import { CurrentTenant, CurrentUser } from "../../graphql/current-principal.ts";
import { Permission } from "../auth/permissions.ts";
import type { TenantPrincipal, UserPrincipal } from "../auth/principal.ts";
import { Membership } from "../auth/auth.types.ts";
import { ChangeTeamMemberRoleInput, InviteTeamMemberInput, MyInvitation, TeamInvitation, TeamMember } from "./team.types.ts";
import { changeTeamMemberRole, leaveTenant, listTeamMembers, removeTeamMember } from "./team.service.ts";
import {
  acceptInvitation,
  declineInvitation,
  inviteTeamMember,
  listMyInvitations,
  listTeamInvitations,
  revokeTeamInvitation,
} from "./team-invitations.service.ts";

@Resolver()
export class TeamResolver {
  @Authorized(Permission.TEAM_READ)
  @Query(() => [TeamMember], { description: "The people in this tenant's team, longest-standing first" })
  teamMembers(@Ctx() context: GraphQLContext, @CurrentTenant() actor: TenantPrincipal): Promise<TeamMember[]> {
    return listTeamMembers(context.db, actor);
  }

  @Authorized(Permission.TEAM_MANAGE)
  @Mutation(() => TeamInvitation, {
    description: "Invite an email to this team (20 per hour per tenant); they join only by accepting. Inviting again renews the open invitation",
  })
  inviteTeamMember(
    @Arg("input", () => InviteTeamMemberInput, { description: "The email to invite and the role to offer" }) input: InviteTeamMemberInput,
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
  ): Promise<TeamInvitation> {
    return inviteTeamMember(context.db, context.limits, actor, input);
  }

  @Authorized(Permission.TEAM_MANAGE)
  @Query(() => [TeamInvitation], {
    description: "This tenant's invitations not yet accepted, declined or revoked (PENDING, and EXPIRED until renewed), oldest first",
  })
  teamInvitations(@Ctx() context: GraphQLContext, @CurrentTenant() actor: TenantPrincipal): Promise<TeamInvitation[]> {
    return listTeamInvitations(context.db, actor);
  }

  @Authorized(Permission.TEAM_MANAGE)
  @Mutation(() => TeamInvitation, { description: "Withdraw an invitation before it is answered" })
  revokeTeamInvitation(
    @Arg("id", () => ID, { description: "The invitation's id" }) id: string,
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
  ): Promise<TeamInvitation> {
    return revokeTeamInvitation(context.db, actor, id);
  }

  @Authorized(Permission.TEAM_MANAGE)
  @Mutation(() => TeamMember, { description: "Give a member another role (only an owner makes or changes owners)" })
  changeTeamMemberRole(
    @Arg("input", () => ChangeTeamMemberRoleInput, { description: "The member and their new role" }) input: ChangeTeamMemberRoleInput,
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
  ): Promise<TeamMember> {
    return changeTeamMemberRole(context.db, actor, input);
  }

  @Authorized(Permission.TEAM_MANAGE)
  @Mutation(() => Boolean, { description: "Take someone out of the team; a tenant always keeps an owner" })
  removeTeamMember(
    @Arg("userId", () => ID, { description: "The member's user id" }) userId: string,
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
  ): Promise<boolean> {
    return removeTeamMember(context.db, actor, userId);
  }

  @Authorized(Permission.ACCOUNT)
  @Query(() => [MyInvitation], { description: "Open, unexpired invitations addressed to your account's email, oldest first" })
  myInvitations(@Ctx() context: GraphQLContext, @CurrentUser() user: UserPrincipal): Promise<MyInvitation[]> {
    return listMyInvitations(context.db, user.userId);
  }

  @Authorized(Permission.ACCOUNT)
  @Mutation(() => Membership, { description: "Join the team that invited you, with the invited role" })
  acceptInvitation(
    @Arg("id", () => ID, { description: "From myInvitations" }) id: string,
    @Ctx() context: GraphQLContext,
    @CurrentUser() user: UserPrincipal,
  ): Promise<Membership> {
    return acceptInvitation(context.db, user.userId, id);
  }

  @Authorized(Permission.ACCOUNT)
  @Mutation(() => Boolean, { description: "Turn an invitation down" })
  declineInvitation(
    @Arg("id", () => ID, { description: "From myInvitations" }) id: string,
    @Ctx() context: GraphQLContext,
    @CurrentUser() user: UserPrincipal,
  ): Promise<boolean> {
    return declineInvitation(context.db, user.userId, id);
  }

  @Authorized(Permission.ACCOUNT)
  @Mutation(() => Boolean, { description: "Leave the tenant this request acts for (X-Tenant-Id); its last owner cannot" })
  leaveTenant(@Ctx() context: GraphQLContext, @CurrentUser() { userId }: UserPrincipal, @CurrentTenant() { tenantId }: TenantPrincipal): Promise<boolean> {
    return leaveTenant(context.db, { userId, tenantId });
  }
}
