import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { answerOperations, graphQLError, renderWithQueries, type FakeAnswer, type FakeRequest } from "../../../test/render.tsx";
import { SupportConsole } from "./SupportConsole.tsx";

const REASON = "Ticket 4512: the customer never got the order confirmation";
const SESSION = { id: "s1", reason: REASON, startedAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 30 * 60_000).toISOString() };
const RESULT = {
  id: "m1",
  tenant: { id: "t1", companyName: "Acme" },
  direction: "OUTBOUND",
  status: "DELIVERED",
  contact: "+14155550123",
  attempts: 1,
  createdAt: "2026-11-30T09:00:00.000Z",
  statusChangedAt: "2026-11-30T09:00:05.000Z",
};
const OPENED = {
  ...RESULT,
  text: "Your order 1234 is confirmed",
  from: "+8801711000001",
  to: "+14155550123",
  providerMessageId: "rapiwa-1",
  error: null,
  history: [{ status: "SENT", detail: null, at: "2026-11-30T09:00:01.000Z" }],
  webhookDeliveries: [
    { id: "d1", eventType: "message.sent", status: "SUCCEEDED", attempts: 1, createdAt: "2026-11-30T09:00:01.000Z", lastResponseStatus: 200 },
  ],
};

function setUp(answers: Record<string, FakeAnswer | ((request: FakeRequest) => FakeAnswer)> = {}) {
  const server = answerOperations({
    SupportStartSession: { body: { data: { startSupportSession: SESSION } } },
    SupportSearchMessages: { body: { data: { supportSearchMessages: { edges: [{ node: RESULT }], pageInfo: { hasNextPage: false, endCursor: "c1" } } } } },
    SupportOpenMessage: { body: { data: { supportMessage: OPENED } } },
    ...answers,
  });
  vi.stubGlobal("fetch", server.fetch);
  renderWithQueries(<SupportConsole />);
  return server;
}
const requestsOf = (server: ReturnType<typeof setUp>, name: string) => server.requests.filter((request) => request.operationName === name);

async function startSession() {
  await userEvent.type(screen.getByLabelText("Reason"), REASON);
  await userEvent.click(screen.getByRole("button", { name: "Start session" }));
  await screen.findByText(/Session active: 30 min left/);
}

afterEach(() => sessionStorage.clear());

describe("SupportConsole", () => {
  it("asks for a reason of 10+ characters before anything else, then shows the session's time left", async () => {
    const server = setUp();
    expect(screen.queryByRole("form", { name: "Search messages" })).not.toBeInTheDocument();
    await userEvent.type(screen.getByLabelText("Reason"), "help");
    await userEvent.click(screen.getByRole("button", { name: "Start session" }));
    expect(screen.getByLabelText("Reason")).toHaveAccessibleDescription(/^Say why in at least 10 characters/);
    expect(requestsOf(server, "SupportStartSession")).toHaveLength(0);
    await userEvent.clear(screen.getByLabelText("Reason"));
    await startSession();
    expect(requestsOf(server, "SupportStartSession")[0]!.variables).toEqual({ reason: REASON });
    expect(screen.getByText(`Reason: ${REASON}`)).toBeInTheDocument();
  });

  it("refuses a search that names nothing, then searches by number and opens a message only when asked", async () => {
    const server = setUp();
    await startSession();
    await userEvent.click(screen.getByRole("button", { name: "Search" }));
    expect(screen.getByLabelText("Contact's number")).toHaveAccessibleDescription(/^Give a number, text/);
    await userEvent.type(screen.getByLabelText("Text"), "ab");
    await userEvent.click(screen.getByRole("button", { name: "Search" }));
    expect(screen.getByLabelText("Text")).toHaveAccessibleDescription(/^Search for at least 3 characters/);
    expect(requestsOf(server, "SupportSearchMessages")).toHaveLength(0);

    await userEvent.clear(screen.getByLabelText("Text"));
    await userEvent.type(screen.getByLabelText("Contact's number"), "+14155550123");
    await userEvent.selectOptions(screen.getByLabelText("Status"), "DELIVERED");
    await userEvent.click(screen.getByRole("button", { name: "Search" }));
    const row = await screen.findByTestId("support-result");
    expect(row).toHaveTextContent("Acme");
    expect(row).toHaveTextContent("DELIVERED");
    expect(requestsOf(server, "SupportSearchMessages")[0]!.variables).toMatchObject({
      sessionId: "s1",
      filter: { contact: "+14155550123", statuses: ["DELIVERED"] },
    });
    expect(requestsOf(server, "SupportOpenMessage")).toHaveLength(0);

    await userEvent.click(within(row).getByRole("button", { name: /Open the message/ }));
    const dialog = await screen.findByRole("dialog", { name: "Message" });
    expect(await within(dialog).findByTestId("support-message-text")).toHaveTextContent("Your order 1234 is confirmed");
    expect(dialog).toHaveTextContent("message.sent SUCCEEDED, 1 attempt, last answer HTTP 200");
    expect(requestsOf(server, "SupportOpenMessage")).toHaveLength(1);
  });

  it("shows the server's refusal when the session was ended elsewhere or expired", async () => {
    setUp({
      SupportSearchMessages: graphQLError("FORBIDDEN", "This support session is not yours, has ended or does not exist: start a new one with a reason."),
    });
    await startSession();
    await userEvent.type(screen.getByLabelText("Text"), "order");
    await userEvent.click(screen.getByRole("button", { name: "Search" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(/has ended or does not exist/);
  });

  it("ends the session on request and asks for a reason again", async () => {
    const server = setUp({ SupportEndSession: { body: { data: { endSupportSession: true } } } });
    await startSession();
    await userEvent.click(screen.getByRole("button", { name: "End session" }));
    await waitFor(() => expect(screen.getByRole("button", { name: "Start session" })).toBeInTheDocument());
    expect(screen.getByRole("status")).toHaveTextContent("Your support session ended");
    expect(requestsOf(server, "SupportEndSession")[0]!.variables).toEqual({ sessionId: "s1" });
  });
});
