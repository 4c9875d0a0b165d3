import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { answerOperations, renderWithQueries } from "../../../test/render.tsx";
import type { WebhookDelivery } from "../api/webhook-deliveries.ts";
import { DeliveryRow } from "./DeliveryRow.tsx";

const ENDPOINT_ID = "0193a5a0-0000-7000-8000-000000000001";

const FAILING: WebhookDelivery = {
  id: "0193a5a0-0000-7000-8000-0000000000d1",
  eventId: "0193a5a0-0000-7000-8000-0000000000e1",
  eventType: "message.received",
  status: "PENDING",
  attempts: 2,
  createdAt: "2026-11-30T06:00:00.000Z",
  lastAttemptAt: "2026-11-30T06:00:05.000Z",
  nextAttemptAt: "2026-11-30T06:05:05.000Z",
  lastResponseStatus: null,
  lastDurationMs: 15000,
  lastResponseSnippet: null,
  lastError: "timed out after 15000 ms",
  payload: { type: "message.received", timestamp: "2026-11-30T06:00:00.000Z", data: { tenantId: "t1", message: { text: "Where is my order?" } } },
  attemptLog: [
    { attemptedAt: "2026-11-30T06:00:00.100Z", responseStatus: 500, durationMs: 42, responseSnippet: "Internal Server Error: database down", error: null },
    { attemptedAt: "2026-11-30T06:00:05.000Z", responseStatus: null, durationMs: 15000, responseSnippet: null, error: "timed out after 15000 ms" },
  ],
};

function setUp(delivery: WebhookDelivery) {
  const server = answerOperations({ WebhooksRedeliver: { body: { data: { redeliverWebhook: { id: delivery.id, status: "PENDING" } } } } });
  vi.stubGlobal("fetch", server.fetch);
  const user = userEvent.setup();
  const view = renderWithQueries(
    <ul>
      <DeliveryRow delivery={delivery} endpointId={ENDPOINT_ID} />
    </ul>,
  );
  const row = screen.getByRole("listitem");
  return { server, user, row, ...view };
}

afterEach(() => vi.unstubAllGlobals());

describe("DeliveryRow", () => {
  it("shows the event, its status, the attempts, the latest answer and when the next attempt is due", () => {
    const { row } = setUp(FAILING);
    expect(row).toHaveTextContent("message.received");
    expect(row).toHaveTextContent("Pending");
    expect(row).toHaveTextContent("2 attempts · last answer no answer in 15000 ms");
    expect(row).toHaveTextContent("timed out after 15000 ms");
    expect(row).toHaveTextContent(/Created .* · next attempt /);
    // The attempts and payload stay folded until asked for.
    expect(within(row).queryByText("Internal Server Error: database down")).not.toBeInTheDocument();
  });

  it("opens every attempt (time, status, duration, body, error) and the payload as indented JSON", async () => {
    const { row, user } = setUp(FAILING);
    const toggle = within(row).getByRole("button", { name: /Details/ });
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    await user.click(toggle);
    expect(toggle).toHaveAttribute("aria-expanded", "true");

    const [first, second] = within(row).getAllByRole("listitem");
    expect(first).toHaveTextContent("Attempt 1");
    expect(first).toHaveTextContent(new Date(FAILING.attemptLog[0]!.attemptedAt).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" }));
    expect(first).toHaveTextContent("HTTP 500");
    expect(first).toHaveTextContent("42 ms");
    expect(within(first!).getByText("Internal Server Error: database down")).toBeVisible();
    expect(second).toHaveTextContent("Attempt 2");
    expect(second).toHaveTextContent("No answer");
    expect(second).toHaveTextContent("timed out after 15000 ms");

    const payload = within(row).getByLabelText("Payload");
    expect(payload.textContent).toBe(JSON.stringify(FAILING.payload, null, 2));
    expect(row).toHaveTextContent(FAILING.eventId);

    await user.click(toggle);
    expect(within(row).queryByLabelText("Payload")).not.toBeInTheDocument();
  });

  it("counts every attempt of the log, also those before a recovery started the retries again", () => {
    const { row } = setUp({ ...FAILING, status: "SUCCEEDED", attempts: 1, lastResponseStatus: 200, lastDurationMs: 3, lastError: null, nextAttemptAt: null });
    expect(row).toHaveTextContent("2 attempts · last answer HTTP 200 in 3 ms");
  });

  it("redelivers this delivery by its id", async () => {
    const { row, user, server } = setUp(FAILING);
    await user.click(within(row).getByRole("button", { name: "Redeliver" }));
    await waitFor(() => expect(server.requests).toHaveLength(1));
    expect(server.requests[0]!.operationName).toBe("WebhooksRedeliver");
    expect(server.requests[0]!.variables).toEqual({ id: FAILING.id });
  });

  it("says when a succeeded delivery was never retried and when the payload is past retention", async () => {
    const { row, user } = setUp({
      ...FAILING,
      status: "SUCCEEDED",
      attempts: 1,
      nextAttemptAt: null,
      lastResponseStatus: 204,
      lastDurationMs: 8,
      lastError: null,
      payload: null,
      attemptLog: [{ attemptedAt: "2026-11-30T06:00:00.100Z", responseStatus: 204, durationMs: 8, responseSnippet: null, error: null }],
    });
    expect(row).toHaveTextContent("Succeeded");
    expect(row).toHaveTextContent("1 attempt · last answer HTTP 204 in 8 ms");
    expect(row).not.toHaveTextContent("next attempt");
    await user.click(within(row).getByRole("button", { name: /Details/ }));
    expect(row).toHaveTextContent("Empty response body.");
    expect(row).toHaveTextContent("Past the 30-day retention");
  });
});
