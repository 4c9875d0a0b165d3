import { ArrayMaxSize, IsOptional, Length, MaxLength } from "class-validator";
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { MessageDirection, MessageStatus } from "../../generated/prisma/enums.ts";
import { Node } from "../shared/node.types.ts";
import { PageInfo } from "../shared/pagination.types.ts";

registerEnumType(MessageDirection, { name: "MessageDirection" });
registerEnumType(MessageStatus, {
  name: "MessageStatus",
  description: "QUEUED -> SENDING -> SENT -> DELIVERED -> READ, or FAILED; RECEIVED for inbound; UNKNOWN when a send was interrupted",
});

@ObjectType()
export class MessageStatusChange {
  @Field(() => MessageStatus) status!: MessageStatus;
  @Field(() => String, { nullable: true }) detail!: string | null;
  @Field(() => Date) at!: Date;
}

@ObjectType({ implements: Node, description: "A WhatsApp message sent or received through the tenant's number" })
export class Message implements Node {
  @Field(() => ID, { description: "The message's id (also node(id:)'s); the idempotency of sends is by idempotencyKey, not this" }) id!: string;
  @Field(() => MessageDirection) direction!: MessageDirection;
  @Field(() => String) to!: string;
  @Field(() => String) from!: string;
  @Field(() => String) text!: string;
  @Field(() => MessageStatus) status!: MessageStatus;
  @Field(() => String, { nullable: true, description: "Why it FAILED or is UNKNOWN" }) error!: string | null;
  @Field(() => Int, { description: "Provider calls made so far" }) attempts!: number;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, {
    description: "When status last changed (set by the database as the change's transaction began); messages(orderBy: STATUS_CHANGED_AT) pages by it",
  })
  statusChangedAt!: Date;
  @Field(() => String, { nullable: true }) providerMessageId!: string | null;
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

@InputType()
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

@InputType()
export class MessageFilter {
  @Field(() => MessageDirection, { nullable: true }) direction?: MessageDirection | null;
  @Field(() => MessageStatus, { nullable: true, deprecationReason: "Use statuses. Removal on 2027-06-01" }) status?: MessageStatus | null;
  @Field(() => [MessageStatus], { nullable: true, description: "Messages in any of these statuses (empty or omitted: any status); not together with status" })
  @IsOptional()
  @ArrayMaxSize(20)
  statuses?: MessageStatus[] | null;
  @Field(() => String, { nullable: true, description: "The other party's number" })
  @IsOptional()
  @MaxLength(40)
  contact?: string | null;
  @Field(() => String, { nullable: true, description: "Words in the text" })
  @IsOptional()
  @Length(1, 200, { message: "Search for 1 to 200 characters." })
  search?: string | null;
  @Field(() => Date, { nullable: true }) createdAfter?: Date | null;
  @Field(() => Date, { nullable: true }) createdBefore?: Date | null;
  @Field(() => Date, { nullable: true, description: "Messages whose status changed at or after this time (inclusive: poll with an overlap, see the README)" })
  statusChangedAfter?: Date | null;
}

@ObjectType()
export class MessageEdge {
  @Field(() => String) cursor!: string;
  @Field(() => Message) node!: Message;
}

@ObjectType()
export class MessageConnection {
  @Field(() => [MessageEdge]) edges!: MessageEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType({ implements: Node, description: "Everything exchanged with one contact" })
export class Conversation implements Node {
  @Field(() => ID, { description: "Stable for the tenant and contact: a name-based UUID (version 8, SHA-256) of the two" }) id!: string;
  @Field(() => String) contact!: string;
  @Field(() => Message) lastMessage!: Message;
  @Field(() => Int) messageCount!: number;
  @Field(() => Int) sentCount!: number;
  @Field(() => Int) receivedCount!: number;
  @Field(() => Date) lastMessageAt!: Date;
}

@ObjectType()
export class ConversationEdge {
  @Field(() => String) cursor!: string;
  @Field(() => Conversation) node!: Conversation;
}

@ObjectType()
export class ConversationConnection {
  @Field(() => [ConversationEdge]) edges!: ConversationEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
