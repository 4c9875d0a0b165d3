import { createParameterDecorator } from "type-graphql";
import { tenantPrincipalOf, userPrincipalOf } from "../modules/auth/principal.ts";
import type { GraphQLContext } from "./context.ts";

// Parameter decorators run after `@Authorized` has passed, so these only narrow the caller's type;
// for a resolver without `@Authorized` they still refuse a caller who is not the kind named.

/** `@CurrentTenant() actor: TenantPrincipal`: the caller and the tenant it acts for (else FORBIDDEN). */
export const CurrentTenant = () => createParameterDecorator<GraphQLContext>(({ context }) => tenantPrincipalOf(context));

/** `@CurrentUser() user: UserPrincipal`: the person behind a session (an API key gets FORBIDDEN). */
export const CurrentUser = () => createParameterDecorator<GraphQLContext>(({ context }) => userPrincipalOf(context));
