import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { answerOperations, graphQLError, renderWithQueries, type FakeRequest } from "../../../test/render.tsx";
import { SupportAccessSection } from "./SupportAccessSection.tsx";

const QUERY = {
  contact: null,
  providerMessageId: null,
  messageId: null,
  text: null,
  statuses: null,
  direction: null,
  createdAfter: null,
  createdBefore: null,
  tenantNamed: false,
};
const entry = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  createdAt: "2026-11-30T09:30:00.000Z",
  staffEmail: "ana@switchboard.test",
  reason: "Ticket 4512: the customer never got the order confirmation",
  action: "SEARCH",
  messageId: null,
  query: { ...QUERY, contact: "+14155550123" },
  ...overrides,
});
const page = (nodes: unknown[], endCursor: string | null, hasNextPage = false) => ({
  body: { data: { supportAccessLog: { edges: nodes.map((node) => ({ node })), pageInfo: { hasNextPage, endCursor } } } },
});

function setUp(answer: (request: FakeRequest) => ReturnType<typeof page> | ReturnType<typeof graphQLError>, canManage = true) {
  const server = answerOperations({ SettingsSupportAccessLog: answer });
  vi.stubGlobal("fetch", server.fetch);
  renderWithQueries(<SupportAccessSection canManage={canManage} />);
  return server;
}

describe("SupportAccessSection", () => {
  it("says so when support never looked", async () => {
    setUp(() => page([], null));
    expect(await screen.findByText("No one from support has looked at your data.")).toBeInTheDocument();
  });

  it("lists who looked, when, why and what they searched for or opened, and pages on to older entries", async () => {
    const server = setUp((request) =>
      request.variables?.after
        ? page([entry("e3", { action: "SEARCH", query: { ...QUERY, text: "order 1234", statuses: ["FAILED"] } })], "c3")
        : page([entry("e1", { action: "OPEN_MESSAGE", messageId: "0193-message", query: { ...QUERY, messageId: "0193-message" } }), entry("e2")], "c2", true),
    );
    const list = await screen.findByRole("list", { name: "Support's access to your data" });
    const [opened, searched] = within(list).getAllByRole("listitem");
    expect(opened).toHaveTextContent("Opened a message");
    expect(opened).toHaveTextContent("ana@switchboard.test");
    expect(opened).toHaveTextContent("Reason: Ticket 4512: the customer never got the order confirmation");
    expect(opened).toHaveTextContent("Message: 0193-message");
    expect(searched).toHaveTextContent("Searched your messages");
    expect(searched).toHaveTextContent("Looked for: number +14155550123");

    await userEvent.click(screen.getByRole("button", { name: "Show older entries" }));
    expect(await within(list).findByText(/text "order 1234", status FAILED/)).toBeInTheDocument();
    expect(server.requests.map((request) => request.variables?.after ?? null)).toEqual([null, "c2"]);
    expect(screen.queryByRole("button", { name: "Show older entries" })).not.toBeInTheDocument();
  });

  it("shows an error with a retry", async () => {
    setUp(() => graphQLError("UNAVAILABLE", "The database is not answering"));
    expect(await screen.findByRole("button", { name: /try again/i })).toBeInTheDocument();
  });

  it("asks nothing of the server for members, who may not read it", async () => {
    const server = setUp(() => page([], null), false);
    expect(screen.getByText("Owners and admins of your company can see when support looked at your data.")).toBeInTheDocument();
    expect(server.requests).toHaveLength(0);
  });
});
