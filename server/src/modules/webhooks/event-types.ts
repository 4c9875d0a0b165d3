/**
 * The events a webhook endpoint can subscribe to: the API's enum values and the dotted names stored
 * (`webhook_endpoints.event_types`, `webhook_events.type`) and sent (the payload's `type`). The one
 * place the two are paired.
 */
export enum WebhookEventType {
  MESSAGE_RECEIVED = "MESSAGE_RECEIVED",
  MESSAGE_SENT = "MESSAGE_SENT",
  MESSAGE_DELIVERED = "MESSAGE_DELIVERED",
  MESSAGE_READ = "MESSAGE_READ",
  MESSAGE_FAILED = "MESSAGE_FAILED",
  MESSAGE_UNKNOWN = "MESSAGE_UNKNOWN",
  CONNECTION_DISCONNECTED = "CONNECTION_DISCONNECTED",
}

export const WEBHOOK_EVENT_NAMES = {
  MESSAGE_RECEIVED: "message.received",
  MESSAGE_SENT: "message.sent",
  MESSAGE_DELIVERED: "message.delivered",
  MESSAGE_READ: "message.read",
  MESSAGE_FAILED: "message.failed",
  MESSAGE_UNKNOWN: "message.unknown",
  CONNECTION_DISCONNECTED: "connection.disconnected",
} as const satisfies Record<WebhookEventType, string>;

/** A dotted event name: `message.received`, ... `connection.disconnected`. */
export type WebhookEventName = (typeof WEBHOOK_EVENT_NAMES)[WebhookEventType];

/** The event `sendTestWebhook` delivers, whatever the endpoint subscribed to; not subscribable. */
export const TEST_EVENT_NAME = "test";

const TYPE_OF_NAME = new Map<string, WebhookEventType>(Object.entries(WEBHOOK_EVENT_NAMES).map(([type, name]) => [name, type as WebhookEventType]));

export const eventNameOf = (type: WebhookEventType): WebhookEventName => WEBHOOK_EVENT_NAMES[type];

/** The enum value of a stored dotted name; undefined for `test` and anything unknown. */
export const eventTypeOfName = (name: string): WebhookEventType | undefined => TYPE_OF_NAME.get(name);

/** Every name a delivery can carry: the subscribable ones and `test`. */
export const isDeliveredEventName = (name: string) => TYPE_OF_NAME.has(name) || name === TEST_EVENT_NAME;
