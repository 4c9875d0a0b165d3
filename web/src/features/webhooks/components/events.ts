import type { WebhookDeliveryStatus, WebhookEventType } from "../../../graphql/graphql.ts";

/**
 * Each event type of server/schema.graphql's WebhookEventType in words, in the order the form offers
 * them. Typed as a record of the enum, so a type added to the schema fails the type check until it is
 * described here.
 */
const EVENT_DESCRIPTIONS = {
  MESSAGE_RECEIVED: { label: "Message received", description: "A contact wrote to your WhatsApp number." },
  MESSAGE_SENT: { label: "Message sent", description: "WhatsApp accepted a message you sent." },
  MESSAGE_DELIVERED: { label: "Message delivered", description: "A message you sent reached the contact's phone." },
  MESSAGE_READ: { label: "Message read", description: "The contact opened a message you sent." },
  MESSAGE_FAILED: { label: "Message failed", description: "A message could not be sent; the event says why." },
  MESSAGE_UNKNOWN: { label: "Message outcome unknown", description: "A send was interrupted: it may or may not have gone out." },
  CONNECTION_DISCONNECTED: { label: "Number disconnected", description: "Your WhatsApp number was disconnected or replaced by another." },
} satisfies Record<WebhookEventType, { label: string; description: string }>;

export const EVENT_TYPES = (Object.keys(EVENT_DESCRIPTIONS) as WebhookEventType[]).map((type) => ({ type, ...EVENT_DESCRIPTIONS[type] }));

/** The dotted name payloads and deliveries use: MESSAGE_RECEIVED is `message.received`. */
export const dottedEventName = (type: WebhookEventType) => type.toLowerCase().replace("_", ".");

export const eventLabel = (type: WebhookEventType) => EVENT_DESCRIPTIONS[type].label;

/** "All events", or the chosen ones in words. */
export const eventsSummary = (events: readonly WebhookEventType[]) => (events.length === 0 ? "All events" : events.map(eventLabel).join(", "));

/** The delivery statuses of server/schema.graphql's WebhookDeliveryStatus, for the log's filter and badges. */
export const DELIVERY_STATUSES = {
  PENDING: { label: "Pending", description: "Not delivered yet: waiting for its turn or its next attempt." },
  SUCCEEDED: { label: "Succeeded", description: "Your endpoint answered with a 2xx status." },
  FAILED: { label: "Failed", description: "Given up: every attempt failed, or the answer ended the retries." },
} satisfies Record<WebhookDeliveryStatus, { label: string; description: string }>;

export const formatTime = (value: string) => new Date(value).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
