import { Webhook } from "standardwebhooks";

/** A delivery's body (docs/webhooks.md in the Switchboard repository lists the types). */
export type WebhookEvent = {
  /** `message.received`, `message.sent`, `message.delivered`, `message.read`, `message.failed`, ..., `test` */
  type: string;
  timestamp: string;
  data: { tenantId: string; message?: { id: string; direction: string; to: string; from: string; text: string; status: string }; [key: string]: unknown };
};

/** The `webhook-id`s already handled. A Set will do in one process; in production, a table with a unique key. */
export type SeenWebhookIds = { has(id: string): boolean | Promise<boolean>; add(id: string): unknown };

export type WebhookOutcome = { status: 204 } | { status: 200; duplicate: true } | { status: 400; reason: string };

type Headers = Record<string, string | string[] | undefined>;

const header = (headers: Headers, name: string): string => {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? "";
};

/**
 * Checks a delivery and hands each event to `onEvent` once. Give it the raw body exactly as received
 * (parse nothing before) and the request's headers. A bad signature or a timestamp more than 5 minutes
 * off is refused (400); a `webhook-id` seen before (a retry, a redelivery, a replay) is acknowledged (200)
 * without handling it again. If `onEvent` throws, the id is not marked as seen: answer 5xx, and
 * Switchboard tries again later. Answer within 15 s; queue slow work.
 */
export function webhookHandler({
  secret,
  onEvent,
  seen = new Set<string>(),
}: {
  /** The endpoint's signing secret, `whsec_...`, as createWebhookEndpoint or rotateWebhookSecret returned it. */
  secret: string;
  onEvent: (event: WebhookEvent, webhookId: string) => void | Promise<void>;
  seen?: SeenWebhookIds;
}): (rawBody: string, headers: Headers) => Promise<WebhookOutcome> {
  const webhook = new Webhook(secret);
  return async (rawBody, headers) => {
    const signed = {
      "webhook-id": header(headers, "webhook-id"),
      "webhook-timestamp": header(headers, "webhook-timestamp"),
      "webhook-signature": header(headers, "webhook-signature"),
    };
    let event: WebhookEvent;
    try {
      event = webhook.verify(rawBody, signed) as WebhookEvent;
    } catch (error) {
      return { status: 400, reason: (error as Error).message };
    }
    const id = signed["webhook-id"];
    if (await seen.has(id)) return { status: 200, duplicate: true };
    await onEvent(event, id);
    await seen.add(id);
    return { status: 204 };
  };
}
