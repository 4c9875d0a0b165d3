import { describe, expect, it } from "vitest";
import type { WebhooksDeliveriesQuery } from "../../../graphql/graphql.ts";
import { PENDING_POLL_MS, pollInterval, WAITING_POLL_MS, type WebhookDelivery } from "./webhook-deliveries.ts";

const NOW = Date.parse("2026-11-30T06:00:00.000Z");

const node = (status: WebhookDelivery["status"], nextAttemptAt: string | null): WebhookDelivery => ({
  id: "d1",
  eventId: "e1",
  eventType: "test",
  status,
  attempts: 1,
  createdAt: "2026-11-30T05:59:00.000Z",
  lastAttemptAt: null,
  nextAttemptAt,
  lastResponseStatus: null,
  lastDurationMs: null,
  lastResponseSnippet: null,
  lastError: null,
  payload: {},
  attemptLog: [],
});

const pages = (nodes: WebhookDelivery[], enabled = true): WebhooksDeliveriesQuery[] => [
  {
    webhookEndpoint: { id: "ep", enabled, disabledReason: null },
    webhookDeliveries: { edges: nodes.map((n) => ({ cursor: n.id, node: n })), pageInfo: { hasNextPage: false, endCursor: null } },
  },
];

describe("how often the delivery log refreshes itself", () => {
  it("stops once nothing is pending", () => {
    expect(pollInterval(undefined, NOW)).toBe(false);
    expect(pollInterval(pages([node("SUCCEEDED", null), node("FAILED", null)]), NOW)).toBe(false);
  });

  it("watches closely while a pending delivery is due (queued, redelivered, or its retry within a minute)", () => {
    expect(pollInterval(pages([node("PENDING", null)]), NOW)).toBe(PENDING_POLL_MS);
    expect(pollInterval(pages([node("PENDING", "2026-11-30T06:00:00.000Z")]), NOW)).toBe(PENDING_POLL_MS);
    expect(pollInterval(pages([node("PENDING", "2026-11-30T06:00:45.000Z")]), NOW)).toBe(PENDING_POLL_MS);
  });

  it("looks rarely while deliveries only wait: a retry later, or a disabled endpoint", () => {
    expect(pollInterval(pages([node("PENDING", "2026-11-30T07:00:00.000Z")]), NOW)).toBe(WAITING_POLL_MS);
    expect(pollInterval(pages([node("PENDING", null)], false), NOW)).toBe(WAITING_POLL_MS);
  });
});
