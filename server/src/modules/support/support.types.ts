import { ArrayMaxSize, IsOptional, MaxLength } from "class-validator";
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { MessageDirection, MessageStatus, WebhookDeliveryStatus } from "../../generated/prisma/enums.ts";
import { MessageStatusChange } from "../messages/message.types.ts";
import { PageInfo } from "../relay/pagination.types.ts";

export enum SupportAccessAction {
  SEARCH = "SEARCH",
  OPEN_MESSAGE = "OPEN_MESSAGE",
  SUSPEND_TENANT = "SUSPEND_TENANT",
  REACTIVATE_TENANT = "REACTIVATE_TENANT",
  VIEW_STATEMENTS = "VIEW_STATEMENTS",
}
registerEnumType(SupportAccessAction, {
  name: "SupportAccessAction",
  description: "What Switchboard support did with a tenant's data",
  valuesConfig: {
    SEARCH: { description: "Searched message logs, and the results included this tenant's messages (without their text)" },
    OPEN_MESSAGE: { description: "Opened one of this tenant's messages, its text included" },
    SUSPEND_TENANT: { description: "Suspended this tenant (a SUPERADMIN): its sends, API keys and webhook deliveries stopped" },
    REACTIVATE_TENANT: { description: "Reactivated this tenant after a suspension (a SUPERADMIN)" },
    VIEW_STATEMENTS: { description: "Read this tenant's monthly statements (a billing question)" },
  },
});

@ObjectType({ description: "A support session: a staff member's stated reason for reading tenants' data, valid 30 minutes" })
export class SupportSession {
  @Field(() => ID, { description: "Pass it to every support console operation" }) id!: string;
  @Field(() => String, { description: "Why: recorded with every read and shown to the tenants whose data is read" }) reason!: string;
  @Field(() => Date, { description: "When it was started" }) startedAt!: Date;
  @Field(() => Date, { description: "When it ends (30 minutes after it started); then start a new one" }) expiresAt!: Date;
}

@InputType({
  description: "What to look for across tenants. At least one of contact, providerMessageId, messageId, text or tenantId; every condition given must hold",
})
export class SupportMessageFilter {
  @Field(() => String, { nullable: true, description: "The contact's number (E.164, e.g. +14155550123), matched exactly" })
  @IsOptional()
  @MaxLength(40)
  contact?: string | null;
  @Field(() => String, { nullable: true, description: "The provider's (Rapiwa's) message id, matched exactly" })
  @IsOptional()
  @MaxLength(1000)
  providerMessageId?: string | null;
  @Field(() => ID, { nullable: true, description: "The message's id" }) messageId?: string | null;
  @Field(() => String, { nullable: true, description: "Text the message contains, ignoring case: 3 to 200 characters (no wildcards)" })
  @IsOptional()
  @MaxLength(200, { message: "Search for 3 to 200 characters." })
  text?: string | null;
  @Field(() => ID, { nullable: true, description: "Only this tenant's messages" }) tenantId?: string | null;
  @Field(() => [MessageStatus], { nullable: true, description: "Messages in any of these statuses (omitted or empty: any)" })
  @IsOptional()
  @ArrayMaxSize(20)
  statuses?: MessageStatus[] | null;
  @Field(() => MessageDirection, { nullable: true, description: "Only this direction" }) direction?: MessageDirection | null;
  @Field(() => Date, { nullable: true, description: "Messages created at or after this time (inclusive)" }) createdAfter?: Date | null;
  @Field(() => Date, { nullable: true, description: "Messages created before this time (exclusive)" }) createdBefore?: Date | null;
}

@ObjectType({ description: "The tenant a message belongs to, as support sees it" })
export class SupportTenant {
  @Field(() => ID, { description: "The tenant's id" }) id!: string;
  @Field(() => String, { description: "The tenant's company name" }) companyName!: string;
}

@ObjectType({ description: "A webhook delivery of an event about the message (events whose payload was cleared after retention are not linked)" })
export class SupportWebhookDelivery {
  @Field(() => ID, { description: "The delivery's id" }) id!: string;
  @Field(() => String, { description: "The event, dotted (message.sent)" }) eventType!: string;
  @Field(() => WebhookDeliveryStatus, { description: "PENDING, SUCCEEDED or FAILED" }) status!: WebhookDeliveryStatus;
  @Field(() => Int, { description: "Attempts made so far" }) attempts!: number;
  @Field(() => Date, { description: "When it was queued" }) createdAt!: Date;
  @Field(() => Date, { nullable: true, description: "When it was last tried; null before the first attempt" }) lastAttemptAt!: Date | null;
  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status at the last attempt; null when none came" }) lastResponseStatus!: number | null;
}

@ObjectType({ description: "A message as the support console lists it: everything about its delivery, never its text" })
export class SupportMessage {
  @Field(() => ID, { description: "The message's id (pass it to supportMessage to read its text)" }) id!: string;
  @Field(() => SupportTenant, { description: "Whose message it is" }) tenant!: SupportTenant;
  @Field(() => MessageDirection, { description: "OUTBOUND or INBOUND" }) direction!: MessageDirection;
  @Field(() => MessageStatus, { description: "Where it stands now" }) status!: MessageStatus;
  @Field(() => String, { description: "The contact's number, E.164" }) contact!: string;
  @Field(() => String, { description: "The sender's number" }) from!: string;
  @Field(() => String, { description: "The recipient's number" }) to!: string;
  @Field(() => String, { nullable: true, description: "The provider's message id, once it has one" }) providerMessageId!: string | null;
  @Field(() => String, { nullable: true, description: "Why it FAILED or is UNKNOWN" }) error!: string | null;
  @Field(() => Int, { description: "Provider calls made (delivery attempts)" }) attempts!: number;
  @Field(() => Date, { description: "When it was accepted or received" }) createdAt!: Date;
  @Field(() => Date, { description: "When its status last changed" }) statusChangedAt!: Date;
  @Field(() => [MessageStatusChange], { description: "Every status it took, oldest first" }) history!: MessageStatusChange[];
  @Field(() => [SupportWebhookDelivery], { description: "The tenant's webhook deliveries about it, oldest first" })
  webhookDeliveries!: SupportWebhookDelivery[];
}

@ObjectType({ description: "One message opened by support, with its text (the opening is recorded in the tenant's supportAccessLog)" })
export class SupportMessageDetail extends SupportMessage {
  @Field(() => String, { description: "The whole text" }) text!: string;
}

@ObjectType({ description: "A message in a page of supportSearchMessages" })
export class SupportMessageEdge {
  @Field(() => String, { description: "Opaque; pass it as after to page on" }) cursor!: string;
  @Field(() => SupportMessage, { description: "The message" }) node!: SupportMessage;
}

@ObjectType({ description: "A page of messages across tenants, newest first" })
export class SupportMessageConnection {
  @Field(() => [SupportMessageEdge], { description: "The page's messages, newest first" }) edges!: SupportMessageEdge[];
  @Field(() => PageInfo, { description: "Whether more follow (forward only), and the cursor to ask for them" }) pageInfo!: PageInfo;
}

@ObjectType({ description: "What a support search looked for, as recorded" })
export class SupportAccessQuery {
  @Field(() => String, { nullable: true, description: "The contact's number searched for" }) contact!: string | null;
  @Field(() => String, { nullable: true, description: "The provider message id searched for" }) providerMessageId!: string | null;
  @Field(() => String, { nullable: true, description: "The message id searched for, or opened" }) messageId!: string | null;
  @Field(() => String, { nullable: true, description: "The text searched for" }) text!: string | null;
  @Field(() => [MessageStatus], { nullable: true, description: "The statuses searched for" }) statuses!: MessageStatus[] | null;
  @Field(() => MessageDirection, { nullable: true, description: "The direction searched for" }) direction!: MessageDirection | null;
  @Field(() => Date, { nullable: true, description: "Created at or after" }) createdAfter!: Date | null;
  @Field(() => Date, { nullable: true, description: "Created before" }) createdBefore!: Date | null;
  @Field(() => Boolean, { description: "Whether the search named this tenant (tenantId) rather than finding it by the other conditions" })
  tenantNamed!: boolean;
}

@ObjectType({ description: "A time Switchboard support read this tenant's data" })
export class SupportAccessEntry {
  @Field(() => ID, { description: "The entry's id" }) id!: string;
  @Field(() => Date, { description: "When" }) createdAt!: Date;
  @Field(() => String, { description: "The staff member's email" }) staffEmail!: string;
  @Field(() => String, { description: "The reason they gave when starting their support session" }) reason!: string;
  @Field(() => ID, { description: "Their support session (entries of one session share it)" }) supportSessionId!: string;
  @Field(() => SupportAccessAction, { description: "What they did: searched, opened a message, suspended or reactivated the tenant" })
  action!: SupportAccessAction;
  @Field(() => SupportAccessQuery, { description: "What they looked for" }) query!: SupportAccessQuery;
  @Field(() => ID, { nullable: true, description: "The message they opened (OPEN_MESSAGE)" }) messageId!: string | null;
}

@ObjectType({ description: "An entry in a page of supportAccessLog" })
export class SupportAccessEntryEdge {
  @Field(() => String, { description: "Opaque; pass it as after or before to page on" }) cursor!: string;
  @Field(() => SupportAccessEntry, { description: "The entry" }) node!: SupportAccessEntry;
}

@ObjectType({ description: "Support's reads of this tenant's data, newest first" })
export class SupportAccessEntryConnection {
  @Field(() => [SupportAccessEntryEdge], { description: "The page's entries, newest first" }) edges!: SupportAccessEntryEdge[];
  @Field(() => PageInfo, { description: "Whether there is more, and the cursors to ask for it" }) pageInfo!: PageInfo;
}

@ObjectType({ description: "A tenant's state after a SUPERADMIN suspended or reactivated it" })
export class SupportTenantState {
  @Field(() => ID, { description: "The tenant's id" }) id!: string;
  @Field(() => String, { description: "The company's name" }) companyName!: string;
  @Field(() => Boolean, { description: "False while suspended" }) active!: boolean;
  @Field(() => String, { nullable: true, description: "Why it is suspended, as the tenant's team sees it; null while active" })
  suspensionReason!: string | null;
  @Field(() => Date, { nullable: true, description: "Since when; null while active" }) suspendedAt!: Date | null;
}
