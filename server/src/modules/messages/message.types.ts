import { ArrayMaxSize, IsOptional, Length, MaxLength } from "class-validator";
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { MessageDirection, MessageStatus } from "../../generated/prisma/enums.ts";
import { Node } from "../relay/node.types.ts";
import { PageInfo } from "../relay/pagination.types.ts";

registerEnumType(MessageDirection, {
  name: "MessageDirection",
  description: "Which way a message went",
  valuesConfig: {
    OUTBOUND: { description: "Sent by this tenant to a contact (sendMessage, REST send-message)" },
    INBOUND: { description: "Sent by a contact to this tenant's number" },
  },
});
registerEnumType(MessageStatus, {
  name: "MessageStatus",
  description: "QUEUED -> SENDING -> SENT -> DELIVERED -> READ, or FAILED; RECEIVED for inbound; UNKNOWN when a send was interrupted",
  valuesConfig: {
    QUEUED: { description: "Accepted, waiting to be sent; also while a failed attempt waits for its retry" },
    SENDING: { description: "Being handed to the provider now" },
    SENT: { description: "The provider accepted it (billable)" },
    DELIVERED: { description: "The provider reports it reached the recipient's phone" },
    READ: { description: "The provider reports the recipient read it" },
    FAILED: { description: "Not sent, for good: a failure that retrying cannot fix, or every attempt failed; `error` says why" },
    RECEIVED: { description: "An inbound message, stored as it arrived" },
    UNKNOWN: {
      description:
        "The send was interrupted after the provider may have been called (no answer, or the server stopped): it may or may not have gone out. Not retried; check with the recipient before resending",
    },
  },
});

@ObjectType({ description: "One status a message took, and when" })
export class MessageStatusChange {
  @Field(() => MessageStatus, { description: "The status it took" }) status!: MessageStatus;
  @Field(() => String, { nullable: true, description: "Why, when an attempt failed (and when it is retried); null otherwise" })
  detail!: string | null;
  @Field(() => Date, { description: "When it took the status" }) at!: Date;
}

@ObjectType({ implements: Node, description: "A WhatsApp message sent or received through the tenant's number" })
export class Message implements Node {
  @Field(() => ID, { description: "The message's id (also node(id:)'s); the idempotency of sends is by idempotencyKey, not this" }) id!: string;
  @Field(() => MessageDirection, { description: "OUTBOUND (sent by this tenant) or INBOUND (from a contact)" }) direction!: MessageDirection;
  @Field(() => String, { description: "The recipient's number, E.164 (+8801712345678): the contact's for OUTBOUND, the tenant's for INBOUND" }) to!: string;
  @Field(() => String, { description: "The sender's number, E.164: the tenant's for OUTBOUND, the contact's for INBOUND" }) from!: string;
  @Field(() => String, { description: "The whole text: up to 4,096 characters when OUTBOUND; an INBOUND one is cut at 65,536" }) text!: string;
  @Field(() => MessageStatus, { description: "Where it stands now; `history` has every step" }) status!: MessageStatus;
  @Field(() => String, { nullable: true, description: "Why it FAILED or is UNKNOWN" }) error!: string | null;
  @Field(() => Int, { description: "Provider calls made so far (0 for INBOUND)" }) attempts!: number;
  @Field(() => Date, { description: "When it was accepted (OUTBOUND) or received (INBOUND)" }) createdAt!: Date;
  @Field(() => Date, {
    description: "When status last changed (set by the database as the change's transaction began); messages(orderBy: STATUS_CHANGED_AT) pages by it",
  })
  statusChangedAt!: Date;
  @Field(() => String, {
    nullable: true,
    description:
      "The provider's id for it: set once the provider accepted an OUTBOUND message, always for INBOUND; one longer than 128 characters reads `sha256:<hex>` of it",
  })
  providerMessageId!: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      "The idempotency key it was sent with. Keys are kept at least 24 hours (the server's configured window) after the message was created; then this is null and the same key sends a new message.",
  })
  idempotencyKey!: string | null;
  // `history` is a field resolver (messages.resolver.ts): read only when asked for, batched per page.
}

export enum MessageOrder {
  CREATED_AT = "CREATED_AT",
  STATUS_CHANGED_AT = "STATUS_CHANGED_AT",
}
registerEnumType(MessageOrder, {
  name: "MessageOrder",
  description: "How messages(...) is sorted; a cursor works only with the order it was made for",
  valuesConfig: {
    CREATED_AT: { description: "Newest first, by createdAt (then id): the message log" },
    STATUS_CHANGED_AT: {
      description:
        "Oldest change first, by statusChangedAt (then id): for polling. A message whose status changes again moves to the end, so a client that keeps the last endCursor (or statusChangedAt) and asks for what follows it sees every change",
    },
  },
});

@InputType({ description: "A text message to send" })
export class SendMessageInput {
  @Field(() => String, { description: "Recipient, E.164 or digits with the country code" })
  @Length(1, 40, { message: "Enter the recipient's number with its country code." })
  to!: string;
  @Field(() => String, { description: "1 to 4,096 characters" })
  @MaxLength(16_384, { message: "The text is too long; WhatsApp allows at most 4,096 characters." })
  text!: string;
  @Field(() => String, {
    nullable: true,
    description:
      "1 to 255 characters, unique per tenant. Sending again with the same key, recipient and text returns the original message and sends nothing; the same key with another recipient or text is a CONFLICT. A key is kept at least 24 hours (the server's configured window) after its message was created, after which the same key is a new message.",
  })
  @IsOptional()
  @Length(1, 255, { message: "An idempotency key has 1 to 255 characters." })
  idempotencyKey?: string | null;
}

@InputType({ description: "Which messages to list; every condition given must hold" })
export class MessageFilter {
  @Field(() => MessageDirection, { nullable: true, description: "Only this direction" }) direction?: MessageDirection | null;
  @Field(() => MessageStatus, { nullable: true, description: "Only this status", deprecationReason: "Use statuses. Removal on 2027-06-01" })
  status?: MessageStatus | null;
  @Field(() => [MessageStatus], { nullable: true, description: "Messages in any of these statuses (empty or omitted: any status); not together with status" })
  @IsOptional()
  @ArrayMaxSize(20)
  statuses?: MessageStatus[] | null;
  @Field(() => String, { nullable: true, description: "The other party's number (any format sendMessage takes; at most 40 characters), matched exactly" })
  @IsOptional()
  @MaxLength(40)
  contact?: string | null;
  @Field(() => String, { nullable: true, description: "Text the message contains, ignoring case: 1 to 200 characters (no wildcards)" })
  @IsOptional()
  @Length(1, 200, { message: "Search for 1 to 200 characters." })
  search?: string | null;
  @Field(() => Date, { nullable: true, description: "Messages created at or after this time (inclusive)" }) createdAfter?: Date | null;
  @Field(() => Date, { nullable: true, description: "Messages created before this time (exclusive)" }) createdBefore?: Date | null;
  @Field(() => Date, { nullable: true, description: "Messages whose status changed at or after this time (inclusive: poll with an overlap, see the README)" })
  statusChangedAfter?: Date | null;
}

@ObjectType({ description: "A message in a page of messages(...)" })
export class MessageEdge {
  @Field(() => String, { description: "Opaque; pass it as after or before to page on from this message, in the same order" }) cursor!: string;
  @Field(() => Message, { description: "The message" }) node!: Message;
}

@ObjectType({ description: "A page of messages (Relay cursor connection)" })
export class MessageConnection {
  @Field(() => [MessageEdge], { description: "The page's messages, in the list's order" }) edges!: MessageEdge[];
  @Field(() => PageInfo, { description: "Whether there is more, and the cursors to ask for it" }) pageInfo!: PageInfo;
}

@ObjectType({ implements: Node, description: "Everything exchanged with one contact" })
export class Conversation implements Node {
  @Field(() => ID, { description: "Stable for the tenant and contact: a name-based UUID (version 8, SHA-256) of the two" }) id!: string;
  @Field(() => String, { description: "The contact's number, E.164" }) contact!: string;
  @Field(() => Message, { description: "The latest message sent to or received from the contact" }) lastMessage!: Message;
  // messageCount, sentCount, receivedCount and unreadCount are field resolvers (messages.resolver.ts):
  // counted only when asked for, batched per page.
  @Field(() => Date, { description: "When the latest message was created (lastMessage.createdAt)" }) lastMessageAt!: Date;
}

@ObjectType({ description: "A conversation in a page of conversations(...)" })
export class ConversationEdge {
  @Field(() => String, { description: "Opaque; pass it as after or before to page on from this conversation" }) cursor!: string;
  @Field(() => Conversation, { description: "The conversation" }) node!: Conversation;
}

@ObjectType({ description: "A page of conversations (Relay cursor connection)" })
export class ConversationConnection {
  @Field(() => [ConversationEdge], { description: "The page's conversations, latest message first" }) edges!: ConversationEdge[];
  @Field(() => PageInfo, { description: "Whether there is more, and the cursors to ask for it" }) pageInfo!: PageInfo;
}
