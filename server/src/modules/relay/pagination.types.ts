import { ArgsType, Field, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "Where a page lies in its list (Relay cursor connections)" })
export class PageInfo {
  @Field(() => Boolean, { description: "Whether items follow this page: ask for them with first and after: endCursor" })
  hasNextPage!: boolean;
  @Field(() => Boolean, { description: "Whether items precede this page: ask for them with last and before: startCursor" })
  hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true, description: "The cursor of the page's first edge; null when the page is empty" })
  startCursor!: string | null;
  @Field(() => String, { nullable: true, description: "The cursor of the page's last edge; null when the page is empty (keep the cursor you had)" })
  endCursor!: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: "Page forward: the first 1 to 100 items after `after` (20 when neither first nor last is given)" })
  first?: number | null;
  @Field(() => String, { nullable: true, description: "A cursor from this list (pageInfo.endCursor, or an edge's): the page starts after it" })
  after?: string | null;
  @Field(() => Int, { nullable: true, description: "Page backward: the last 1 to 100 items before `before`; not together with first" })
  last?: number | null;
  @Field(() => String, {
    nullable: true,
    description: "A cursor from this list (pageInfo.startCursor, or an edge's): the page ends before it; not together with after",
  })
  before?: string | null;
}
