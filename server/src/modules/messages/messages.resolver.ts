import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../../graphql/context.ts";
import { CurrentTenant } from "../../graphql/current-principal.ts";
import { Permission } from "../auth/permissions.ts";
import type { TenantPrincipal } from "../auth/principal.ts";
import { ConversationConnection, Message, MessageConnection, MessageFilter, MessageWithHistory, SendMessageInput } from "./message.types.ts";
import { getMessage, listConversations, listMessages } from "./messages.queries.ts";
import { simulateInboundMessage } from "./receive-message.ts";
import { acceptOutboundMessage } from "../sending/send-message.ts";

@Resolver()
export class MessagesResolver {
  @Authorized(Permission.MESSAGES_SEND)
  @Mutation(() => Message, { description: "Queues a text message and returns at once (status QUEUED); it is sent in the background" })
  async sendMessage(
    @Arg("input", () => SendMessageInput) input: SendMessageInput,
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
  ): Promise<Message> {
    const { message } = await acceptOutboundMessage(context.outbox, actor, input);
    return message;
  }

  @Authorized(Permission.MESSAGES_READ)
  @Query(() => MessageConnection, { description: "The message log, newest first" })
  messages(
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
    @Arg("filter", () => MessageFilter, { nullable: true }) filter?: MessageFilter,
    @Arg("first", () => Int, { nullable: true, description: "1 to 100, default 20" }) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ): Promise<MessageConnection> {
    return listMessages(context.db, actor, filter ?? {}, first, after);
  }

  @Authorized(Permission.MESSAGES_READ)
  @Query(() => MessageWithHistory, { description: "One message with its status history" })
  message(@Arg("id", () => ID) id: string, @Ctx() context: GraphQLContext, @CurrentTenant() actor: TenantPrincipal): Promise<MessageWithHistory> {
    return getMessage(context.db, actor, id);
  }

  @Authorized(Permission.MESSAGES_READ)
  @Query(() => ConversationConnection, { description: "One row per contact, latest conversation first" })
  conversations(
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
    @Arg("search", () => String, { nullable: true }) search?: string,
    @Arg("first", () => Int, { nullable: true }) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ): Promise<ConversationConnection> {
    return listConversations(context.db, actor, search, first, after);
  }

  @Authorized(Permission.MESSAGES_SEND)
  @Mutation(() => Message, { description: "Sandbox numbers only (development): pretend the contact replied" })
  async simulateInboundMessage(
    @Arg("from", () => String) from: string,
    @Arg("text", () => String) text: string,
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
  ): Promise<Message> {
    return simulateInboundMessage(context.db, context.whatsapp.providers.sandboxEnabled, actor, { from, text });
  }
}
