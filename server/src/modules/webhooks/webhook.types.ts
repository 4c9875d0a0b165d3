import { ArrayUnique, IsOptional, MaxLength } from "class-validator";
import { GraphQLJSON } from "graphql-scalars";
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { WebhookDeliveryStatus } from "../../generated/prisma/enums.ts";
import { Node } from "../relay/node.types.ts";
import { PageInfo } from "../relay/pagination.types.ts";
import { WebhookEventType } from "./event-types.ts";

registerEnumType(WebhookEventType, {
  name: "WebhookEventType",
  description: "What an endpoint is sent; in payloads and deliveries as the dotted name (MESSAGE_RECEIVED is `message.received`)",
  valuesConfig: {
    MESSAGE_RECEIVED: { description: "A contact wrote to the tenant's number; data: { tenantId, message }" },
    MESSAGE_SENT: { description: "The provider accepted an outbound message; data: { tenantId, message }" },
    MESSAGE_DELIVERED: { description: "The provider reports an outbound message delivered; data: { tenantId, message }" },
    MESSAGE_READ: { description: "The provider reports an outbound message read; data: { tenantId, message }" },
    MESSAGE_FAILED: { description: "An outbound message could not be sent (message.error says why); data: { tenantId, message }" },
    MESSAGE_UNKNOWN: { description: "A send was interrupted: the message may or may not have gone out; data: { tenantId, message }" },
    CONNECTION_DISCONNECTED: { description: "The WhatsApp number was disconnected, or replaced by another; data: { tenantId, connection }" },
  },
});
registerEnumType(WebhookDeliveryStatus, {
  name: "WebhookDeliveryStatus",
  description: "PENDING (queued, or retrying at nextAttemptAt), SUCCEEDED (a 2xx answer), FAILED (retries used up, or not retryable)",
  valuesConfig: {
    PENDING: { description: "Not delivered yet: waiting for its turn, its next attempt (nextAttemptAt), or its endpoint to be enabled" },
    SUCCEEDED: { description: "The endpoint answered 2xx" },
    FAILED: { description: "Given up: every attempt failed, or an answer ended the retries (410 Gone, `webhook-delivery: abort-message`)" },
  },
});

/** How many endpoints a tenant may have. */
export const MAX_WEBHOOK_ENDPOINTS = 20;
export const MAX_WEBHOOK_DESCRIPTION_LENGTH = 500;

@ObjectType({
  implements: Node,
  description: "Where this tenant's events are POSTed, signed (Standard Webhooks). Its secret is shown only when created or rotated.",
})
export class WebhookEndpoint implements Node {
  @Field(() => ID, { description: "The endpoint's id" }) id!: string;
  @Field(() => String, { description: "Where events are POSTed" }) url!: string;
  @Field(() => String, { description: "What it is for, for people; empty when none was given" }) description!: string;
  @Field(() => [WebhookEventType], { description: "The events sent to it; empty means all of them" }) events!: WebhookEventType[];
  @Field(() => Boolean, { description: "A disabled endpoint is sent nothing; its deliveries wait until it is enabled again" }) enabled!: boolean;
  @Field(() => String, { nullable: true, description: "Why it was disabled automatically (failing for 5 days, or 410 Gone); null otherwise" })
  disabledReason!: string | null;
  @Field(() => Date, { description: "When it was created" }) createdAt!: Date;
}

@ObjectType({ description: "An endpoint with its signing secret, which no other answer contains" })
export class WebhookEndpointWithSecret {
  @Field(() => WebhookEndpoint, { description: "The endpoint" }) endpoint!: WebhookEndpoint;
  @Field(() => String, { description: "The signing secret (`whsec_...`), shown only this once: store it now" }) secret!: string;
}

@InputType({ description: "A new webhook endpoint" })
export class CreateWebhookEndpointInput {
  @Field(() => String, {
    description:
      "An http(s) URL that accepts POSTs, at most 2,048 characters; it may not reach loopback, private, link-local or cloud metadata addresses (unless the server allows private URLs)",
  })
  url!: string;
  @Field(() => [WebhookEventType], { nullable: true, description: "Omitted or empty: every event" })
  @IsOptional()
  @ArrayUnique({ message: "List each event type once." })
  events?: WebhookEventType[] | null;
  @Field(() => String, { nullable: true, description: "For people: what this endpoint is for (at most 500 characters)" })
  @IsOptional()
  @MaxLength(MAX_WEBHOOK_DESCRIPTION_LENGTH, { message: `Describe the endpoint in at most ${MAX_WEBHOOK_DESCRIPTION_LENGTH} characters.` })
  description?: string | null;
}

@InputType({ description: "Only the fields given change" })
export class UpdateWebhookEndpointInput {
  @Field(() => String, { nullable: true, description: "A new URL, under the same rules as at creation" })
  @IsOptional()
  url?: string | null;
  @Field(() => [WebhookEventType], { nullable: true, description: "Empty: every event" })
  @IsOptional()
  @ArrayUnique({ message: "List each event type once." })
  events?: WebhookEventType[] | null;
  @Field(() => String, { nullable: true, description: "A new description (at most 500 characters; empty clears it)" })
  @IsOptional()
  @MaxLength(MAX_WEBHOOK_DESCRIPTION_LENGTH, { message: `Describe the endpoint in at most ${MAX_WEBHOOK_DESCRIPTION_LENGTH} characters.` })
  description?: string | null;
  @Field(() => Boolean, {
    nullable: true,
    description: "true delivers what waited while it was disabled (and clears disabledReason); false holds its deliveries until enabled again",
  })
  enabled?: boolean | null;
}

@ObjectType({ description: "One attempt to deliver: the answer we got, or why there was none" })
export class WebhookDeliveryAttempt {
  @Field(() => Date, { description: "When the request was sent" }) attemptedAt!: Date;
  @Field(() => Int, { nullable: true, description: "The HTTP status the endpoint answered; null when it did not answer" }) responseStatus!: number | null;
  @Field(() => Int, { nullable: true, description: "How long the attempt took in milliseconds, to its answer or its failure; null when not measured" })
  durationMs!: number | null;
  @Field(() => String, { nullable: true, description: "The start of the response body (at most 1,000 characters)" }) responseSnippet!: string | null;
  @Field(() => String, { nullable: true, description: "Why the attempt failed without an answer (timeout, refused connection, ...)" })
  error!: string | null;
}

@ObjectType({ implements: Node, description: "One event sent to one endpoint" })
export class WebhookDelivery implements Node {
  @Field(() => ID, { description: "This delivery's id (one event to one endpoint): pass it to redeliverWebhook" }) id!: string;
  @Field(() => ID, { description: "The `webhook-id` header: the same on every attempt and redelivery; receivers deduplicate on it" }) eventId!: string;
  @Field(() => String, { description: "Dotted, as in the payload's `type`: `message.received`, ... `connection.disconnected`, or `test`" })
  eventType!: string;
  @Field(() => WebhookDeliveryStatus, { description: "PENDING, SUCCEEDED or FAILED" }) status!: WebhookDeliveryStatus;
  @Field(() => Int, { description: "Attempts made so far (the list of them is `attemptLog`)" }) attempts!: number;
  @Field(() => Date, { description: "When the event happened and the delivery was queued" }) createdAt!: Date;
  @Field(() => Date, { nullable: true, description: "When the latest attempt was sent; null before the first" }) lastAttemptAt!: Date | null;
  @Field(() => Date, { nullable: true, description: "When the next attempt is due (PENDING only)" }) nextAttemptAt!: Date | null;
  @Field(() => Int, { nullable: true, description: "The HTTP status of the latest attempt's answer; null when it got none" }) lastResponseStatus!:
    number | null;
  @Field(() => Int, { nullable: true, description: "How long the latest attempt took in milliseconds; null before the first" }) lastDurationMs!: number | null;
  @Field(() => String, { nullable: true, description: "The start of the latest answer's body (at most 1,000 characters)" }) lastResponseSnippet!: string | null;
  @Field(() => String, {
    nullable: true,
    description: "Why the latest attempt failed (timeout, refused connection, a non-2xx status, ...); null after a success",
  })
  lastError!: string | null;
  @Field(() => GraphQLJSON, { nullable: true, description: "The body the endpoint is sent: { type, timestamp, data }; null once past the 30-day retention" })
  payload!: unknown;
  @Field(() => [WebhookDeliveryAttempt], { description: "Every attempt, oldest first (`attempts` is their count)" })
  attemptLog!: WebhookDeliveryAttempt[];
}

@InputType({ description: "Which deliveries to list; every condition given must hold" })
export class WebhookDeliveryFilter {
  @Field(() => WebhookDeliveryStatus, { nullable: true, description: "Only deliveries in this status" }) status?: WebhookDeliveryStatus | null;
  @Field(() => String, { nullable: true, description: "Dotted, as `eventType` shows it: `message.received`, ... or `test`" })
  eventType?: string | null;
}

@ObjectType({ description: "A delivery in a page of webhookDeliveries(...)" })
export class WebhookDeliveryEdge {
  @Field(() => String, { description: "Opaque; pass it as after or before to page on from this delivery" }) cursor!: string;
  @Field(() => WebhookDelivery, { description: "The delivery" }) node!: WebhookDelivery;
}

@ObjectType({ description: "A page of webhook deliveries (Relay cursor connection)" })
export class WebhookDeliveryConnection {
  @Field(() => [WebhookDeliveryEdge], { description: "The page's deliveries, newest first" }) edges!: WebhookDeliveryEdge[];
  @Field(() => PageInfo, { description: "Whether there is more, and the cursors to ask for it" }) pageInfo!: PageInfo;
}
