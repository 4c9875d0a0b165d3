import { IsEmail, MaxLength } from "class-validator";
import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { MembershipRole } from "../../graphql/enums.ts";
import { User } from "../auth/auth.types.ts";
import { Node } from "../relay/node.types.ts";

@ObjectType({ implements: Node, description: "A person in this tenant's team" })
export class TeamMember implements Node {
  @Field(() => ID, {
    description: "This membership's id (not the user's: the same person in two teams is two members); a new one after leaving and joining again",
  })
  id!: string;
  @Field(() => User, { description: "The member's account" }) user!: User;
  @Field(() => MembershipRole, { description: "What the member may do in this tenant" }) role!: MembershipRole;
  @Field(() => Date, { description: "When they joined" }) createdAt!: Date;
}

@InputType({ description: "Who to invite, and as what" })
export class InviteTeamMemberInput {
  @Field(() => String, { description: "Email address to invite; the person accepts after logging in (or signing up) with it" })
  @IsEmail({}, { message: "Enter a valid email address." })
  @MaxLength(320)
  email!: string;
  @Field(() => MembershipRole, { description: "The role they get on accepting (only an owner may invite an owner)" }) role!: MembershipRole;
}

@InputType({ description: "A member and their new role" })
export class ChangeTeamMemberRoleInput {
  @Field(() => ID, { description: "The member's user id" }) userId!: string;
  @Field(() => MembershipRole, { description: "The role they get" }) role!: MembershipRole;
}

export enum InvitationStatus {
  PENDING = "PENDING",
  EXPIRED = "EXPIRED",
  ACCEPTED = "ACCEPTED",
  DECLINED = "DECLINED",
  REVOKED = "REVOKED",
}
registerEnumType(InvitationStatus, {
  name: "InvitationStatus",
  description: "Where a team invitation stands",
  valuesConfig: {
    PENDING: { description: "Open: the invitee may accept or decline it until expiresAt" },
    EXPIRED: { description: "Not answered before expiresAt; inviting the email again renews it" },
    ACCEPTED: { description: "The invitee joined the team" },
    DECLINED: { description: "The invitee turned it down" },
    REVOKED: { description: "Withdrawn by the team (revokeTeamInvitation) before it was answered" },
  },
});

@ObjectType({ implements: Node, description: "An invitation to join this tenant's team; nobody joins until the invitee accepts" })
export class TeamInvitation implements Node {
  @Field(() => ID, { description: "The invitation's id" }) id!: string;
  @Field(() => String, { description: "The email address it was sent to" }) email!: string;
  @Field(() => MembershipRole, { description: "The role the invitee gets on accepting" }) role!: MembershipRole;
  @Field(() => InvitationStatus, { description: "Pending until accepted, declined, revoked or expired" }) status!: InvitationStatus;
  @Field(() => Date, { description: "When it was first sent" }) createdAt!: Date;
  @Field(() => Date, { description: "After this it can no longer be accepted (7 days after it was last sent)" }) expiresAt!: Date;
}

@ObjectType({ description: "An invitation addressed to you to join a tenant's team" })
export class MyInvitation {
  @Field(() => ID, { description: "Pass to acceptInvitation or declineInvitation" }) id!: string;
  @Field(() => String, { description: "The inviting tenant's company name" }) companyName!: string;
  @Field(() => MembershipRole, { description: "The role you get on accepting" }) role!: MembershipRole;
  @Field(() => Date, { description: "When you were invited" }) createdAt!: Date;
  @Field(() => Date, { description: "Accept before this" }) expiresAt!: Date;
}
