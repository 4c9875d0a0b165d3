import { IsOptional, Length, MaxLength } from "class-validator";
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { MessageDirection, MessageStatus } from "../../generated/prisma/enums.ts";

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

@ObjectType()
export class Message {
  @Field(() => ID) id!: string;
  @Field(() => MessageDirection) direction!: MessageDirection;
  @Field(() => String) to!: string;
  @Field(() => String) from!: string;
  @Field(() => String) text!: string;
  @Field(() => MessageStatus) status!: MessageStatus;
  @Field(() => String, { nullable: true, description: "Why it FAILED or is UNKNOWN" }) error!: string | null;
  @Field(() => Int, { description: "Provider calls made so far" }) attempts!: number;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) statusChangedAt!: Date;
  @Field(() => String, { nullable: true }) providerMessageId!: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      "The idempotency key it was sent with. Keys are kept at least 24 hours (the server's configured window) after the message was created; then this is null and the same key sends a new message.",
  })
  idempotencyKey!: string | null;
}

@ObjectType()
export class MessageWithHistory extends Message {
  @Field(() => [MessageStatusChange], { description: "Oldest first, starting with QUEUED or RECEIVED" })
  history!: MessageStatusChange[];
}

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
  @Field(() => MessageStatus, { nullable: true }) status?: MessageStatus | null;
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
}

@ObjectType()
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
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

@ObjectType({ description: "Everything exchanged with one contact" })
export class Conversation {
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

export const PAGE_SIZE = { default: 20, max: 100 } as const;
