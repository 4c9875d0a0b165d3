import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { GraphQLContext } from "../../graphql/context.ts";
import { CurrentTenant } from "../../graphql/current-principal.ts";
import { Permission } from "../auth/permissions.ts";
import type { TenantPrincipal } from "../auth/principal.ts";
import { PageArgs } from "../relay/pagination.types.ts";
import type { MessageView } from "./message-row.ts";
import {
  Conversation,
  ConversationConnection,
  Message,
  MessageConnection,
  MessageFilter,
  MessageOrder,
  MessageStatusChange,
  SendMessageInput,
} from "./message.types.ts";
import {
  conversationCount,
  getMessage,
  listConversations,
  listMessages,
  markConversationRead,
  messageHistory,
  type ConversationCount,
  type ConversationView,
} from "./messages.queries.ts";
import { simulateInboundMessage } from "./receive-message.ts";
import { ProviderEvent } from "./provider-event.types.ts";
import { messageProviderEvents } from "./provider-events.ts";
import { acceptOutboundMessage } from "../sending/send-message.ts";

@Resolver()
export class MessagesResolver {
  @Authorized(Permission.MESSAGES_SEND)
  @Mutation(() => Message, { description: "Queues a text message and returns at once (status QUEUED); it is sent in the background" })
  async sendMessage(
    @Arg("input", () => SendMessageInput, { description: "Recipient, text and optional idempotency key" }) input: SendMessageInput,
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
  ): Promise<Message> {
    const { message } = await acceptOutboundMessage(context.outbox, actor, input);
    return message;
  }

  @Authorized(Permission.MESSAGES_READ)
  @Query(() => MessageConnection, { description: "The message log: newest first, or in the order statuses changed (for polling); cursor-paged both ways" })
  messages(
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => MessageFilter, { nullable: true, description: "Only messages matching every condition given; omitted: all" }) filter?: MessageFilter,
    @Arg("orderBy", () => MessageOrder, { nullable: true, defaultValue: MessageOrder.CREATED_AT, description: "CREATED_AT (newest first) unless given" })
    orderBy?: MessageOrder,
  ): Promise<MessageConnection> {
    return listMessages(context.db, actor, filter ?? {}, page, orderBy ?? MessageOrder.CREATED_AT);
  }

  @Authorized(Permission.MESSAGES_READ)
  @Query(() => Message, { nullable: true, description: "One message with its status history; null when this tenant has no such message" })
  message(
    @Arg("id", () => ID, { description: "The message's id (a UUID; anything else is BAD_USER_INPUT)" }) id: string,
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
  ): Promise<Message | null> {
    return getMessage(context.db, actor, id);
  }

  @Authorized(Permission.MESSAGES_READ)
  @Query(() => ConversationConnection, { description: "One row per contact, latest conversation first; cursor-paged both ways" })
  conversations(
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("search", () => String, {
      nullable: true,
      description: "Only contacts whose number, or any message's text, contains this (ignoring case): 1 to 200 characters",
    })
    search?: string,
  ): Promise<ConversationConnection> {
    return listConversations(context.db, actor, search, page);
  }

  @Authorized(Permission.MESSAGES_READ)
  @Mutation(() => Conversation, {
    description:
      "Marks the conversation with this contact read up to its latest INBOUND message, for the whole team (unreadCount becomes 0); the mark only moves forward. NOT_FOUND when no message was exchanged with the number",
  })
  markConversationRead(
    @Arg("contact", () => String, { description: "The contact's number (any format sendMessage takes)" }) contact: string,
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
  ): Promise<Conversation> {
    return markConversationRead(context.db, actor, contact);
  }

  @Authorized(Permission.MESSAGES_SEND)
  @Mutation(() => Message, { description: "Sandbox numbers only (development): pretend the contact replied" })
  async simulateInboundMessage(
    @Arg("from", () => String, { description: "The pretend contact's number (international format, as sendMessage's `to`)" }) from: string,
    @Arg("text", () => String, { description: "What they wrote: 1 to 4,096 characters" }) text: string,
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
  ): Promise<Message> {
    return simulateInboundMessage(context.db, context.whatsapp.providers.sandboxEnabled, actor, { from, text });
  }
}

@Resolver(() => Message)
export class MessageFieldsResolver {
  // Every way to a Message (messages, message, node, sendMessage, conversations) already needs this;
  // declared again so the field can never be reached with less.
  @Authorized(Permission.MESSAGES_READ)
  @FieldResolver(() => [MessageStatusChange], { description: "Oldest first, starting with QUEUED or RECEIVED; read in one query for a whole page" })
  history(@Root() message: MessageView, @Ctx() context: GraphQLContext, @CurrentTenant() actor: TenantPrincipal): Promise<MessageStatusChange[]> {
    return messageHistory(context.db, context, actor.tenantId, message);
  }

  @Authorized(Permission.MESSAGES_READ)
  @FieldResolver(() => [ProviderEvent], {
    description:
      "The provider's callbacks about it (an incoming message's, a sent one's receipts), oldest first, as received; read only when asked for, in one query for a whole page. Callbacks stored before this field existed are not linked to their message",
  })
  providerEvents(@Root() message: MessageView, @Ctx() context: GraphQLContext, @CurrentTenant() actor: TenantPrincipal): Promise<ProviderEvent[]> {
    return messageProviderEvents(context.db, context, actor.tenantId, message.id);
  }
}

@Resolver(() => Conversation)
export class ConversationFieldsResolver {
  @Authorized(Permission.MESSAGES_READ)
  @FieldResolver(() => Int, { description: "Messages with the contact, both directions, every status" })
  messageCount(@Root() conversation: ConversationView, @Ctx() context: GraphQLContext, @CurrentTenant() actor: TenantPrincipal): Promise<number> {
    return countOf("messageCount", conversation, context, actor);
  }

  @Authorized(Permission.MESSAGES_READ)
  @FieldResolver(() => Int, { description: "OUTBOUND messages to the contact, every status (failed ones too)" })
  sentCount(@Root() conversation: ConversationView, @Ctx() context: GraphQLContext, @CurrentTenant() actor: TenantPrincipal): Promise<number> {
    return countOf("sentCount", conversation, context, actor);
  }

  @Authorized(Permission.MESSAGES_READ)
  @FieldResolver(() => Int, { description: "INBOUND messages from the contact" })
  receivedCount(@Root() conversation: ConversationView, @Ctx() context: GraphQLContext, @CurrentTenant() actor: TenantPrincipal): Promise<number> {
    return countOf("receivedCount", conversation, context, actor);
  }

  @Authorized(Permission.MESSAGES_READ)
  @FieldResolver(() => Int, {
    description:
      "INBOUND messages from the contact created after the tenant last marked the conversation read (markConversationRead); shared by the whole team",
  })
  unreadCount(@Root() conversation: ConversationView, @Ctx() context: GraphQLContext, @CurrentTenant() actor: TenantPrincipal): Promise<number> {
    return countOf("unreadCount", conversation, context, actor);
  }
}

const countOf = (count: ConversationCount, conversation: ConversationView, context: GraphQLContext, actor: TenantPrincipal) =>
  conversationCount(context.db, context, actor.tenantId, count, conversation.contact);
