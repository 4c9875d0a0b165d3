import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { answerOperations, graphQLError, renderWithQueries } from "../../../test/render.tsx";
import { MessageDetailDrawer } from "./MessageDetailDrawer.tsx";

const MESSAGE = {
  id: "0193a1b2-0000-7000-8000-000000000001",
  createdAt: "2026-11-30T08:00:00.000Z",
  statusChangedAt: "2026-11-30T08:00:03.000Z",
  direction: "INBOUND",
  status: "RECEIVED",
  from: "+8801811100077",
  to: "+8801711000077",
  text: "Yes, thanks!",
  error: null,
  attempts: 0,
  providerMessageId: "wamid.1",
  idempotencyKey: null,
  history: [{ status: "RECEIVED", detail: null, at: "2026-11-30T08:00:00.000Z" }],
  providerEvents: [
    { type: "message", receivedAt: "2026-11-30T08:00:00.000Z", payload: { event: "message", data: { from: "8801811100077", message: "Yes, thanks!" } } },
  ],
};

describe("MessageDetailDrawer", () => {
  it("shows the message, its status history and the provider's payloads pretty-printed, and copies the id", async () => {
    const server = answerOperations({ MessageLogMessage: { body: { data: { message: MESSAGE } } } });
    vi.stubGlobal("fetch", server.fetch);
    const user = userEvent.setup();
    // userEvent installs its own clipboard: replace it after setting it up.
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    renderWithQueries(<MessageDetailDrawer messageId={MESSAGE.id} onClose={() => {}} />);

    const drawer = await screen.findByRole("dialog", { name: "Message details" });
    expect(await within(drawer).findByText("Yes, thanks!")).toBeInTheDocument();
    expect(server.requests[0]!.variables).toEqual({ id: MESSAGE.id });
    // Contact and From: the contact wrote it.
    expect(within(drawer).getAllByText("+8801811100077", { selector: "dd span" })).toHaveLength(2);
    const history = within(drawer).getByRole("list", { name: "Status history" });
    expect(within(history).getAllByRole("listitem")).toHaveLength(1);
    expect(history).toHaveTextContent("Received30 Nov 2026, 08:00:00 UTC");
    const payload = within(drawer).getByLabelText("Payload 1, message");
    expect(payload.textContent).toBe(JSON.stringify(MESSAGE.providerEvents[0]!.payload, null, 2));

    await user.click(within(drawer).getByRole("button", { name: "Copy id" }));
    expect(writeText).toHaveBeenCalledWith(MESSAGE.id);
    expect(await within(drawer).findByText("Copied")).toBeInTheDocument();
  });

  it("says when the provider has not called back, closes on Escape, and shows errors", async () => {
    vi.stubGlobal(
      "fetch",
      answerOperations({ MessageLogMessage: { body: { data: { message: { ...MESSAGE, direction: "OUTBOUND", providerEvents: [] } } } } }).fetch,
    );
    const onClose = vi.fn();
    const user = userEvent.setup();
    const { unmount } = renderWithQueries(<MessageDetailDrawer messageId={MESSAGE.id} onClose={onClose} />);
    expect(await screen.findByText(/No callbacks from the provider about this message yet/)).toBeInTheDocument();
    await user.keyboard("{Escape}");
    expect(onClose).toHaveBeenCalled();
    unmount();

    vi.stubGlobal("fetch", answerOperations({ MessageLogMessage: graphQLError("UNAVAILABLE", "The database is not answering.") }).fetch);
    renderWithQueries(<MessageDetailDrawer messageId={MESSAGE.id} onClose={() => {}} />);
    expect(await screen.findByRole("alert")).toHaveAttribute("data-error-code", "UNAVAILABLE");
  });
});
