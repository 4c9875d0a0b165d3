import { IsEmail, Length, MaxLength } from "class-validator";
import { Field, ID, InputType, ObjectType } from "type-graphql";
import { MembershipRole, PlatformRole } from "../../graphql/enums.ts";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../../security/passwords.ts";
import { SESSION_TTL_MS } from "./session-token.ts";
import { Node } from "../relay/node.types.ts";
import { Tenant } from "../tenants/tenant.types.ts";

@ObjectType({ description: "A tenant you belong to, and your role in it" })
export class Membership {
  @Field(() => Tenant, { description: "The tenant" }) tenant!: Tenant;
  @Field(() => MembershipRole, { description: "Your role in it" }) role!: MembershipRole;
  @Field(() => Date, { description: "When you joined" }) createdAt!: Date;
}

@ObjectType({ implements: Node, description: "A person with a dashboard login" })
export class User implements Node {
  @Field(() => ID, { description: "The user's id (the same in every tenant they belong to)" }) id!: string;
  @Field(() => String, { description: "The email they log in with, lower-cased" }) email!: string;
  @Field(() => Date, { description: "When the account was created" }) createdAt!: Date;
}

@ObjectType({ description: "You, with the tenants you belong to" })
export class Me extends User {
  @Field(() => [Membership], {
    description: "Every tenant you belong to, oldest membership first: the first is the one a request acts for without X-Tenant-Id",
  })
  memberships!: Membership[];
  @Field(() => PlatformRole, {
    nullable: true,
    description: "Your role as Switchboard staff (the support console); null for everyone else. Staff act in no tenant",
  })
  platformRole!: PlatformRole | null;
}

@ObjectType({ description: "A new session, from signUp or logIn" })
export class AuthPayload {
  @Field(() => String, { description: "Session token: send as `Authorization: Bearer <token>` (the dashboard gets a cookie)" })
  token!: string;
  @Field(() => Date, { description: `When the session ends (${SESSION_TTL_MS / 86_400_000} days after it began), unless logOut ends it sooner` })
  expiresAt!: Date;
  @Field(() => User, { description: "Whose session it is" }) user!: User;
  @Field(() => Tenant, {
    nullable: true,
    description: "The tenant the session acts for by default; null for Switchboard staff (platformRole), who act in no tenant",
  })
  tenant!: Tenant | null;
  @Field(() => PlatformRole, { nullable: true, description: "Switchboard staff's platform role (they use the support console); null for everyone else" })
  platformRole!: PlatformRole | null;
}

@InputType({ description: "A new account and its tenant" })
export class SignUpInput {
  @Field(() => String, { description: "Your email address, to log in with (at most 320 characters; compared lower-cased)" })
  @IsEmail({}, { message: "Enter a valid email address." })
  @MaxLength(320)
  email!: string;
  @Field(() => String, { description: `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters, not a common password` })
  @MaxLength(PASSWORD_MAX_LENGTH, { message: `Use at most ${PASSWORD_MAX_LENGTH} characters for the password.` })
  password!: string;
  @Field(() => String, { description: "The tenant's name: 1 to 200 characters (its slug is made from it)" })
  @Length(1, 200, { message: "Enter the company name (up to 200 characters)." })
  companyName!: string;
}

@InputType({ description: "An account's email and password" })
export class LogInInput {
  @Field(() => String, { description: "The account's email (any case)" }) @MaxLength(320) email!: string;
  @Field(() => String, { description: "The account's password" }) @MaxLength(PASSWORD_MAX_LENGTH) password!: string;
}
