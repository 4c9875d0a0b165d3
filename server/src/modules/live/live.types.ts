import { Field, ObjectType } from "type-graphql";
import { Message } from "../messages/message.types.ts";

@ObjectType({ description: "A message written or changed (new message, new status): what the inbox needs to update without asking again" })
export class MessageChange {
  @Field(() => String, {
    description:
      "Where this change sits in the feed: pass it as `after` when subscribing again (after a reconnect) to get every later change once. Same order as messages(orderBy: STATUS_CHANGED_AT), whose cursors work too",
  })
  cursor!: string;
  @Field(() => String, { description: "The contact's number, E.164: the conversation the message belongs to" }) contact!: string;
  @Field(() => Message, { description: "The message as it is now (status, error, statusChangedAt)" }) message!: Message;
}
