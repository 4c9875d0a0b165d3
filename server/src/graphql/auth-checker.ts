import type { AuthChecker } from "type-graphql";
import { assertPermissions, type Permission } from "../modules/auth/permissions.ts";
import type { GraphQLContext } from "./context.ts";

/** Throws UNAUTHENTICATED or FORBIDDEN with a reason instead of type-graphql's generic denial. */
export const authChecker: AuthChecker<GraphQLContext, Permission> = ({ context, info }, permissions) =>
  assertPermissions(context, permissions, info.parentType.name === "Mutation" ? info.fieldName : undefined);
