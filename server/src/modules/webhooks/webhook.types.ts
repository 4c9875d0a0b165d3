import { ArrayUnique, IsOptional, MaxLength } from "class-validator";
import { GraphQLJSON } from "graphql-scalars";
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { WebhookDeliveryStatus } from "../../generated/prisma/enums.ts";
import { Node } from "../shared/node.types.ts";
import { PageInfo } from "../shared/pagination.types.ts";
import { WebhookEventType } from "./event-types.ts";

registerEnumType(WebhookEventType, {
  name: "WebhookEventType",
  description: "What an endpoint is sent; in payloads and deliveries as the dotted name (MESSAGE_RECEIVED is `message.received`)",
});
registerEnumType(WebhookDeliveryStatus, {
  name: "WebhookDeliveryStatus",
  description: "PENDING (queued, or retrying at nextAttemptAt), SUCCEEDED (a 2xx answer), FAILED (retries used up, or not retryable)",
});

/** How many endpoints a tenant may have. */
export const MAX_WEBHOOK_ENDPOINTS = 20;
export const MAX_WEBHOOK_DESCRIPTION_LENGTH = 500;

@ObjectType({
  implements: Node,
  description: "Where this tenant's events are POSTed, signed (Standard Webhooks). Its secret is shown only when created or rotated.",
})
export class WebhookEndpoint implements Node {
  @Field(() => ID) id!: string;
  @Field(() => String) url!: string;
  @Field(() => String) description!: string;
  @Field(() => [WebhookEventType], { description: "The events sent to it; empty means all of them" }) events!: WebhookEventType[];
  @Field(() => Boolean, { description: "A disabled endpoint is sent nothing; its deliveries wait until it is enabled again" }) enabled!: boolean;
  @Field(() => String, { nullable: true, description: "Why it was disabled automatically (failing for 5 days, or 410 Gone); null otherwise" })
  disabledReason!: string | null;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType()
export class WebhookEndpointWithSecret {
  @Field(() => WebhookEndpoint) endpoint!: WebhookEndpoint;
  @Field(() => String, { description: "The signing secret (`whsec_...`), shown only this once: store it now" }) secret!: string;
}

@InputType()
export class CreateWebhookEndpointInput {
  @Field(() => String, { description: "https URL that accepts POSTs, at most 2,048 characters" })
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
  @Field(() => String, { nullable: true })
  @IsOptional()
  url?: string | null;
  @Field(() => [WebhookEventType], { nullable: true, description: "Empty: every event" })
  @IsOptional()
  @ArrayUnique({ message: "List each event type once." })
  events?: WebhookEventType[] | null;
  @Field(() => String, { nullable: true })
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
  @Field(() => Date) attemptedAt!: Date;
  @Field(() => Int, { nullable: true, description: "The HTTP status the endpoint answered; null when it did not answer" }) responseStatus!: number | null;
  @Field(() => Int, { nullable: true }) durationMs!: number | null;
  @Field(() => String, { nullable: true, description: "The start of the response body (at most 1,000 characters)" }) responseSnippet!: string | null;
  @Field(() => String, { nullable: true, description: "Why the attempt failed without an answer (timeout, refused connection, ...)" })
  error!: string | null;
}

@ObjectType({ implements: Node, description: "One event sent to one endpoint" })
export class WebhookDelivery implements Node {
  @Field(() => ID) id!: string;
  @Field(() => ID, { description: "The `webhook-id` header: the same on every attempt and redelivery; receivers deduplicate on it" }) eventId!: string;
  @Field(() => String, { description: "Dotted, as in the payload's `type`: `message.received`, ... `connection.disconnected`, or `test`" })
  eventType!: string;
  @Field(() => WebhookDeliveryStatus) status!: WebhookDeliveryStatus;
  @Field(() => Int, { description: "Attempts made so far (the list of them is `attemptLog`)" }) attempts!: number;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) lastAttemptAt!: Date | null;
  @Field(() => Date, { nullable: true, description: "When the next attempt is due (PENDING only)" }) nextAttemptAt!: Date | null;
  @Field(() => Int, { nullable: true }) lastResponseStatus!: number | null;
  @Field(() => Int, { nullable: true }) lastDurationMs!: number | null;
  @Field(() => String, { nullable: true }) lastResponseSnippet!: string | null;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => GraphQLJSON, { nullable: true, description: "The body the endpoint is sent: { type, timestamp, data }; null once past the 30-day retention" })
  payload!: unknown;
  @Field(() => [WebhookDeliveryAttempt], { description: "Every attempt, oldest first (`attempts` is their count)" })
  attemptLog!: WebhookDeliveryAttempt[];
}

@InputType()
export class WebhookDeliveryFilter {
  @Field(() => WebhookDeliveryStatus, { nullable: true }) status?: WebhookDeliveryStatus | null;
  @Field(() => String, { nullable: true, description: "Dotted, as `eventType` shows it: `message.received`, ... or `test`" })
  eventType?: string | null;
}

@ObjectType()
export class WebhookDeliveryEdge {
  @Field(() => String) cursor!: string;
  @Field(() => WebhookDelivery) node!: WebhookDelivery;
}

@ObjectType()
export class WebhookDeliveryConnection {
  @Field(() => [WebhookDeliveryEdge]) edges!: WebhookDeliveryEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
