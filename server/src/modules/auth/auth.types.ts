import { IsEmail, Length, MaxLength } from "class-validator";
import { Field, ID, InputType, ObjectType } from "type-graphql";
import { MembershipRole } from "../../graphql/enums.ts";
import { PASSWORD_MAX_LENGTH } from "../../security/passwords.ts";
import { Node } from "../shared/node.types.ts";
import { Tenant } from "../tenants/tenant.types.ts";

@ObjectType({ description: "A tenant you belong to, and your role in it" })
export class Membership {
  @Field(() => Tenant, { description: "The tenant" }) tenant!: Tenant;
  @Field(() => MembershipRole, { description: "Your role in it" }) role!: MembershipRole;
  @Field(() => Date, { description: "When you joined" }) createdAt!: Date;
}

@ObjectType({ implements: Node, description: "A person with a dashboard login" })
export class User implements Node {
  @Field(() => ID) id!: string;
  @Field(() => String) email!: string;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType({ description: "You, with the tenants you belong to" })
export class Me extends User {
  @Field(() => [Membership]) memberships!: Membership[];
}

@ObjectType()
export class AuthPayload {
  @Field(() => String, { description: "Session token: send as `Authorization: Bearer <token>` (the dashboard gets a cookie)" })
  token!: string;
  @Field(() => Date) expiresAt!: Date;
  @Field(() => User) user!: User;
  @Field(() => Tenant, { description: "The tenant the session acts for by default" }) tenant!: Tenant;
}

@InputType()
export class SignUpInput {
  @Field(() => String) @IsEmail({}, { message: "Enter a valid email address." }) @MaxLength(320) email!: string;
  @Field(() => String, { description: "At least 12 characters, not a common password" })
  @MaxLength(PASSWORD_MAX_LENGTH, { message: `Use at most ${PASSWORD_MAX_LENGTH} characters for the password.` })
  password!: string;
  @Field(() => String) @Length(1, 200, { message: "Enter the company name (up to 200 characters)." }) companyName!: string;
}

@InputType()
export class LogInInput {
  @Field(() => String) @MaxLength(320) email!: string;
  @Field(() => String) @MaxLength(PASSWORD_MAX_LENGTH) password!: string;
}
