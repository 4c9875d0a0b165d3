import { Arg, Authorized, Resolver, Root, Subscription } from "type-graphql";
import type { GraphQLContext } from "../../graphql/context.ts";
import { Permission } from "../auth/permissions.ts";
import { tenantPrincipalOf } from "../auth/principal.ts";
import type { MessageChangeView } from "./live-feed.ts";
import { MessageChange } from "./live.types.ts";

@Resolver()
export class LiveResolver {
  @Authorized(Permission.MESSAGES_READ)
  @Subscription(() => MessageChange, {
    description:
      "Every message of the tenant as it is written or changes status, whichever server process handled it, in the order of messages(orderBy: STATUS_CHANGED_AT). Over GraphQL over Server-Sent Events (graphql-sse) at /graphql/stream, authenticated as /graphql. With `after`, the changes since that cursor come first, each once",
    subscribe: ({ args, context }) => {
      const request = context as GraphQLContext;
      return request.live.subscribe(tenantPrincipalOf(request).tenantId, (args as { after?: string | null }).after);
    },
  })
  messageChanges(
    @Root() change: MessageChangeView,
    @Arg("after", () => String, {
      nullable: true,
      description: "A change's cursor (or one of messages(orderBy: STATUS_CHANGED_AT)) to resume from; omitted: from now. At most 10,000 missed changes",
    })
    _after?: string,
  ): MessageChange {
    return change;
  }
}
