import { IsEmail, MaxLength } from "class-validator";
import { Field, ID, InputType, ObjectType } from "type-graphql";
import { MembershipRole } from "../../graphql/enums.ts";
import { User } from "../auth/auth.types.ts";

@ObjectType({ description: "A person in this tenant's team" })
export class TeamMember {
  @Field(() => User) user!: User;
  @Field(() => MembershipRole) role!: MembershipRole;
  @Field(() => Date) createdAt!: Date;
}

@InputType()
export class AddTeamMemberInput {
  @Field(() => String, { description: "Email of an existing Switchboard account" })
  @IsEmail({}, { message: "Enter a valid email address." })
  @MaxLength(320)
  email!: string;
  @Field(() => MembershipRole) role!: MembershipRole;
}

@InputType()
export class ChangeTeamMemberRoleInput {
  @Field(() => ID) userId!: string;
  @Field(() => MembershipRole) role!: MembershipRole;
}
