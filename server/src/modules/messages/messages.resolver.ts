import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import { Permission } from "../../graphql/auth-checker.ts";
import { tenantPrincipalOf, type GraphQLContext } from "../../graphql/context.ts";
import { AppError, badInput } from "../../errors.ts";
import { ConversationConnection, Message, MessageConnection, MessageFilter, MessageWithHistory, SendMessageInput } from "./message.types.ts";
import { getMessage, listConversations, listMessages } from "./messages.queries.ts";
import { receiveInboundMessage } from "./receive-message.ts";
import { acceptOutboundMessage } from "./send-message.ts";
import { normalizePhoneNumber } from "../whatsapp/phone-number.ts";
import { randomUUID } from "node:crypto";

@Resolver()
export class MessagesResolver {
  @Authorized(Permission.MESSAGES_SEND)
  @Mutation(() => Message, { description: "Queues a text message and returns at once (status QUEUED); it is sent in the background" })
  async sendMessage(@Arg("input", () => SendMessageInput) input: SendMessageInput, @Ctx() context: GraphQLContext): Promise<Message> {
    const { message, created } = await acceptOutboundMessage(context.db, tenantPrincipalOf(context), input);
    if (created) context.outbox.notify();
    return message;
  }

  @Authorized(Permission.MESSAGES_READ)
  @Query(() => MessageConnection, { description: "The message log, newest first" })
  messages(
    @Ctx() context: GraphQLContext,
    @Arg("filter", () => MessageFilter, { nullable: true }) filter?: MessageFilter,
    @Arg("first", () => Int, { nullable: true, description: "1 to 100, default 20" }) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ): Promise<MessageConnection> {
    return listMessages(context.db, tenantPrincipalOf(context), filter ?? {}, first, after);
  }

  @Authorized(Permission.MESSAGES_READ)
  @Query(() => MessageWithHistory, { description: "One message with its status history" })
  message(@Arg("id", () => ID) id: string, @Ctx() context: GraphQLContext): Promise<MessageWithHistory> {
    return getMessage(context.db, tenantPrincipalOf(context), id);
  }

  @Authorized(Permission.MESSAGES_READ)
  @Query(() => ConversationConnection, { description: "One row per contact, latest conversation first" })
  conversations(
    @Ctx() context: GraphQLContext,
    @Arg("search", () => String, { nullable: true }) search?: string,
    @Arg("first", () => Int, { nullable: true }) first?: number,
    @Arg("after", () => String, { nullable: true }) after?: string,
  ): Promise<ConversationConnection> {
    return listConversations(context.db, tenantPrincipalOf(context), search, first, after);
  }

  @Authorized(Permission.MESSAGES_SEND)
  @Mutation(() => Message, { description: "Sandbox numbers only (development): pretend the contact replied" })
  async simulateInboundMessage(
    @Arg("from", () => String) from: string,
    @Arg("text", () => String) text: string,
    @Ctx() context: GraphQLContext,
  ): Promise<Message> {
    const actor = tenantPrincipalOf(context);
    const sender = normalizePhoneNumber(from, "from");
    if ([...text].length < 1 || [...text].length > 4_096) throw badInput("text", "Write 1 to 4,096 characters.");
    const connection = await context.db.withTenant(actor.tenantId, (tx) =>
      tx.whatsAppConnection.findFirst({ where: { tenantId: actor.tenantId, status: "CONNECTED" } }),
    );
    if (!connection || connection.provider !== "SANDBOX" || !context.whatsapp.providers.sandboxEnabled) {
      throw new AppError("CONFLICT", "Simulated replies need a connected sandbox number (an API key starting with sandbox_, in development).");
    }
    return receiveInboundMessage(context.db, actor.tenantId, {
      connectionId: connection.id,
      ourNumber: connection.number,
      from: sender,
      text,
      providerMessageId: `sandbox_in_${randomUUID()}`,
    });
  }
}
