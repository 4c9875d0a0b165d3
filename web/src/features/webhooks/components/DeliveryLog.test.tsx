import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { WebhookDeliveryStatus } from "../../../graphql/graphql.ts";
import { answerOperations, graphQLError, renderWithQueries, type FakeAnswer, type FakeRequest } from "../../../test/render.tsx";
import type { WebhookDelivery } from "../api/webhook-deliveries.ts";
import { DeliveryLog } from "./DeliveryLog.tsx";

const ENDPOINT_ID = "0193a5a0-0000-7000-8000-000000000001";

const delivery = (n: number, status: WebhookDeliveryStatus = "SUCCEEDED"): WebhookDelivery => ({
  id: `0193a5a0-0000-7000-8000-0000000001${String(n).padStart(2, "0")}`,
  eventId: `0193a5a0-0000-7000-8000-0000000002${String(n).padStart(2, "0")}`,
  eventType: n % 2 ? "message.received" : "message.sent",
  status,
  attempts: 1,
  createdAt: "2026-11-30T06:00:00.000Z",
  lastAttemptAt: "2026-11-30T06:00:00.100Z",
  nextAttemptAt: null,
  lastResponseStatus: status === "FAILED" ? 500 : 200,
  lastDurationMs: 5,
  lastResponseSnippet: null,
  lastError: null,
  payload: { type: "message.received", timestamp: "2026-11-30T06:00:00.000Z", data: {} },
  attemptLog: [],
});

const page = (nodes: WebhookDelivery[], endCursor: string | null, hasNextPage: boolean): FakeAnswer => ({
  body: { data: { webhookDeliveries: { edges: nodes.map((node) => ({ cursor: `c-${node.id}`, node })), pageInfo: { hasNextPage, endCursor } } } },
});

function Harness() {
  const [status, setStatus] = useState<WebhookDeliveryStatus | null>(null);
  return <DeliveryLog endpointId={ENDPOINT_ID} status={status} onStatusChange={setStatus} />;
}

function setUp(answer: (request: FakeRequest) => FakeAnswer) {
  const server = answerOperations({ WebhooksDeliveries: answer });
  vi.stubGlobal("fetch", server.fetch);
  const user = userEvent.setup();
  renderWithQueries(<Harness />);
  return { server, user };
}

const rows = () => within(screen.getByRole("list", { name: "Deliveries" })).getAllByRole("listitem", { name: /delivery/ });

afterEach(() => vi.unstubAllGlobals());

describe("DeliveryLog", () => {
  it("pages on with the last cursor (Load more), adding the next page under the first", async () => {
    const { server, user } = setUp((request) =>
      request.variables?.after === "cursor-1" ? page([delivery(3), delivery(4)], "cursor-2", false) : page([delivery(1), delivery(2)], "cursor-1", true),
    );
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(server.requests[0]!.variables).toEqual({ endpointId: ENDPOINT_ID, filter: null, first: 20, after: null });

    await user.click(screen.getByRole("button", { name: "Load more deliveries" }));
    await waitFor(() => expect(rows()).toHaveLength(4));
    expect(server.requests[1]!.variables).toMatchObject({ endpointId: ENDPOINT_ID, after: "cursor-1" });
    expect(rows().map((row) => row.getAttribute("data-delivery"))).toEqual([1, 2, 3, 4].map((n) => delivery(n).id));
    // The last page says there is no more.
    expect(screen.queryByRole("button", { name: "Load more deliveries" })).not.toBeInTheDocument();
  });

  it("asks the server for one status when filtered, and says when there is none", async () => {
    const { server, user } = setUp((request) =>
      (request.variables?.filter as { status?: string } | null)?.status === "FAILED" ? page([], null, false) : page([delivery(1)], "cursor-1", false),
    );
    await waitFor(() => expect(rows()).toHaveLength(1));
    await user.click(screen.getByRole("radio", { name: "Failed" }));
    expect(await screen.findByText("No failed deliveries.")).toBeInTheDocument();
    expect(server.requests.at(-1)!.variables).toMatchObject({ filter: { status: "FAILED" }, after: null });
    await user.click(screen.getByRole("radio", { name: "All" }));
    await waitFor(() => expect(rows()).toHaveLength(1));
  });

  it("explains an empty log, and shows an error with a way to try again", async () => {
    let fail = true;
    setUp(() => (fail ? graphQLError("UNAVAILABLE", "The database did not answer.", { retryAfterSeconds: 2 }) : page([], null, false)));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not load the deliveries");
    fail = false;
    await userEvent.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("No deliveries yet")).toBeInTheDocument();
    expect(screen.getByTestId("deliveries-empty")).toHaveTextContent("Send a test event");
  });
});
