/**
 * The events a tenant can subscribe an endpoint to: the GraphQL enum's values and the dotted names
 * used in payloads (`type`), in stored filters and in the SQL that records them.
 */
export const WEBHOOK_EVENT_TYPES = {
  MESSAGE_RECEIVED: "message.received",
  MESSAGE_SENT: "message.sent",
  MESSAGE_DELIVERED: "message.delivered",
  MESSAGE_READ: "message.read",
  MESSAGE_FAILED: "message.failed",
  MESSAGE_UNKNOWN: "message.unknown",
  CONNECTION_DISCONNECTED: "connection.disconnected",
} as const;

export type WebhookEventName = keyof typeof WEBHOOK_EVENT_TYPES;
export type DottedEventType = (typeof WEBHOOK_EVENT_TYPES)[WebhookEventName] | "test";
