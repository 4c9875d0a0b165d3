import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../../graphql/context.ts";
import { CurrentUser } from "../../graphql/current-principal.ts";
import { Permission } from "./permissions.ts";
import type { UserPrincipal } from "./principal.ts";
import { AuthPayload, LogInInput, Me, SignUpInput } from "./auth.types.ts";
import { getMe, logIn, logOut, signUp } from "./auth.service.ts";

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, {
    description:
      "Create an account, its tenant (you are OWNER) and a session; also sets the session cookie. At most 20 sign-ups per hour from one address (then RATE_LIMITED)",
  })
  async signUp(
    @Arg("input", () => SignUpInput, { description: "Email, password and company name" }) input: SignUpInput,
    @Ctx() context: GraphQLContext,
  ): Promise<AuthPayload> {
    await context.limits.signUpAttempt(context.http.clientIp);
    const result = await signUp(context.db, input);
    context.http.setSessionCookie(result.token, result.expiresAt);
    return result;
  }

  @Mutation(() => AuthPayload, {
    description:
      "Start a session (also set as the session cookie) acting for your first tenant. A wrong email or password is UNAUTHENTICATED; repeated failures from one address are slowed, then RATE_LIMITED",
  })
  async logIn(@Arg("input", () => LogInInput, { description: "Email and password" }) input: LogInInput, @Ctx() context: GraphQLContext): Promise<AuthPayload> {
    const result = await logIn(context.db, context.limits, input, context.http.clientIp);
    context.http.setSessionCookie(result.token, result.expiresAt);
    return result;
  }

  @Authorized(Permission.ACCOUNT)
  @Mutation(() => Boolean, { description: "End this session (the token stops working at once)" })
  async logOut(@Ctx() context: GraphQLContext, @CurrentUser() { userId, sessionId }: UserPrincipal): Promise<boolean> {
    await logOut(context.db, userId, sessionId);
    context.http.clearSessionCookie();
    return true;
  }

  @Authorized(Permission.ACCOUNT)
  @Query(() => Me, { description: "Your account and the tenants you belong to" })
  me(@Ctx() context: GraphQLContext, @CurrentUser() user: UserPrincipal): Promise<Me> {
    return getMe(context.db, user.userId, user.platformRole);
  }
}
