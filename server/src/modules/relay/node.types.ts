import { Field, ID, InterfaceType } from "type-graphql";

/**
 * An object with a globally unique id (Relay's Node): `node(id:)` fetches it again. The values the
 * node look-up returns carry `__typename` (see nodes.service.ts); objects returned by typed fields
 * never reach this resolver, their type is the field's.
 */
@InterfaceType({
  description: "An object with a globally unique id: pass the id to node(id:) or nodes(ids:) to fetch the object again",
  resolveType: (value: { __typename?: string }) => value.__typename,
})
export abstract class Node {
  @Field(() => ID, { description: "Globally unique, stable: store it to fetch the object again with node(id:)" })
  id!: string;
}
