import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { Permission } from "../../graphql/auth-checker.ts";
import { tenantPrincipalOf, type GraphQLContext } from "../../graphql/context.ts";
import { AddTeamMemberInput, ChangeTeamMemberRoleInput, TeamMember } from "./team.types.ts";
import { addTeamMember, changeTeamMemberRole, listTeamMembers, removeTeamMember } from "./team.service.ts";

@Resolver()
export class TeamResolver {
  @Authorized(Permission.TENANT_READ)
  @Query(() => [TeamMember])
  teamMembers(@Ctx() context: GraphQLContext): Promise<TeamMember[]> {
    return listTeamMembers(context.db, tenantPrincipalOf(context));
  }

  @Authorized(Permission.TEAM_MANAGE)
  @Mutation(() => TeamMember, { description: "Add an existing Switchboard account to this tenant" })
  addTeamMember(@Arg("input", () => AddTeamMemberInput) input: AddTeamMemberInput, @Ctx() context: GraphQLContext): Promise<TeamMember> {
    return addTeamMember(context.db, tenantPrincipalOf(context), input);
  }

  @Authorized(Permission.TEAM_MANAGE)
  @Mutation(() => TeamMember)
  changeTeamMemberRole(
    @Arg("input", () => ChangeTeamMemberRoleInput) input: ChangeTeamMemberRoleInput,
    @Ctx() context: GraphQLContext,
  ): Promise<TeamMember> {
    return changeTeamMemberRole(context.db, tenantPrincipalOf(context), input);
  }

  @Authorized(Permission.TEAM_MANAGE)
  @Mutation(() => Boolean)
  removeTeamMember(@Arg("userId", () => ID) userId: string, @Ctx() context: GraphQLContext): Promise<boolean> {
    return removeTeamMember(context.db, tenantPrincipalOf(context), userId);
  }
}
