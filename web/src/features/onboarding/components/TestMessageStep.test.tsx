import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { answerOperations, graphQLError, renderWithQueries, type FakeAnswer } from "../../../test/render.tsx";
import { DEFAULT_TEST_TEXT, TestMessageStep } from "./TestMessageStep.tsx";

const SENT: FakeAnswer = { body: { data: { sendMessage: { id: "m1", to: "+15555550100", status: "QUEUED" } } } };

function setUp(answer: FakeAnswer) {
  const server = answerOperations({ SendTestMessage: answer });
  vi.stubGlobal("fetch", server.fetch);
  const onSent = vi.fn();
  renderWithQueries(<TestMessageStep defaultTo="+15555550100" sandbox messageId={null} onSent={onSent} />);
  return { server, onSent };
}

afterEach(() => vi.unstubAllGlobals());

describe("TestMessageStep", () => {
  it("offers the connected number and a ready message, and sends them with an idempotency key", async () => {
    const { server, onSent } = setUp(SENT);
    expect(screen.getByLabelText("Send to")).toHaveValue("+15555550100");
    expect(screen.getByLabelText("Message")).toHaveValue(DEFAULT_TEST_TEXT);
    await userEvent.click(screen.getByRole("button", { name: "Send test message" }));
    await waitFor(() => expect(onSent).toHaveBeenCalledExactlyOnceWith("m1"));
    expect(server.requests[0]!.variables).toEqual({
      input: { to: "+15555550100", text: DEFAULT_TEST_TEXT, idempotencyKey: expect.stringMatching(/^onboarding-test-[0-9a-f-]{36}$/) },
    });
  });

  it("sends a double click with one idempotency key, so the server sends the message once", async () => {
    const { server } = setUp(SENT);
    const button = screen.getByRole("button", { name: "Send test message" });
    await userEvent.dblClick(button);
    await waitFor(() => expect(server.requests.length).toBeGreaterThan(0));
    const keys = new Set(server.requests.map((request) => (request.variables!.input as { idempotencyKey: string }).idempotencyKey));
    expect(keys.size).toBe(1);
  });

  it("checks the number first, and puts the server's refusal under the field it names", async () => {
    const { server } = setUp(
      graphQLError("BAD_USER_INPUT", '"+1" is not a phone number: use international format, e.g. +8801712345678.', { field: "input.to" }),
    );
    await userEvent.clear(screen.getByLabelText("Send to"));
    await userEvent.click(screen.getByRole("button", { name: "Send test message" }));
    expect(screen.getByLabelText("Send to")).toHaveAccessibleDescription(/^Enter the number to send the test to\./);
    expect(server.requests).toHaveLength(0);

    await userEvent.type(screen.getByLabelText("Send to"), "+1 555 555 0100");
    await userEvent.click(screen.getByRole("button", { name: "Send test message" }));
    await waitFor(() => expect(screen.getByLabelText("Send to")).toHaveAccessibleDescription(/is not a phone number: use international format/));
  });

  it("shows a refusal that belongs to no field (no connected number) above the form", async () => {
    setUp(graphQLError("CONFLICT", "No connected WhatsApp number to send from: connect one first."));
    await userEvent.click(screen.getByRole("button", { name: "Send test message" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not send the message");
    expect(alert).toHaveTextContent("No connected WhatsApp number to send from: connect one first.");
  });
});
