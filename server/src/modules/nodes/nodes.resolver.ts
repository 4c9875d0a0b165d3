import { Arg, Authorized, Ctx, ID, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../../graphql/context.ts";
import { CurrentTenant } from "../../graphql/current-principal.ts";
import { Permission } from "../auth/permissions.ts";
import type { TenantPrincipal } from "../auth/principal.ts";
import { Node } from "../relay/node.types.ts";
import { resolveNodes, type NodeValue } from "./nodes.service.ts";

@Resolver()
export class NodesResolver {
  // Anyone acting for the tenant may ask; each object is then shown only to callers who may read its
  // type's list (a Message needs MESSAGES_READ, an ApiKey what apiKeys needs), else null.
  @Authorized(Permission.TENANT_READ)
  @Query(() => Node, {
    nullable: true,
    description:
      "The object with this global id, of any type; null when this tenant has none, when your role or key may not read its type, or when the id is malformed",
  })
  async node(
    @Arg("id", () => ID, { description: "The id of any object that implements Node" }) id: string,
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
  ): Promise<NodeValue | null> {
    const [found] = await resolveNodes(context.db, actor, [id]);
    return found ?? null;
  }

  @Authorized(Permission.TENANT_READ)
  @Query(() => [Node], {
    nullable: "items",
    description: "The objects with these global ids (at most 100), in the same order; null in place of each that node(id:) would answer null for",
  })
  nodes(
    @Arg("ids", () => [ID], { description: "Ids of objects that implement Node: at most 100 (more is BAD_USER_INPUT)" }) ids: string[],
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
  ): Promise<(NodeValue | null)[]> {
    return resolveNodes(context.db, actor, ids);
  }
}
