import { act, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { MessageStatus } from "../../../graphql/graphql.ts";
import { answerOperations, renderWithQueries } from "../../../test/render.tsx";
import { MessageStatusView, MessageStatusWatcher } from "./MessageStatusWatcher.tsx";

const TO = "+8801712345678";

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("MessageStatusView", () => {
  it.each<[MessageStatus, string, string, string[]]>([
    ["QUEUED", "🕓", "Accepted by Switchboard, waiting to be sent.", ["Queued (done)", "Sent (not yet)", "Delivered (not yet)"]],
    ["SENDING", "🕓", "Being handed to WhatsApp now.", ["Queued (done)", "Sent (not yet)", "Delivered (not yet)"]],
    ["SENT", "✓", "WhatsApp accepted it; waiting for the phone to receive it.", ["Queued (done)", "Sent (done)", "Delivered (not yet)"]],
    ["DELIVERED", "✓✓", "It reached the phone. Everything works.", ["Queued (done)", "Sent (done)", "Delivered (done)"]],
    ["READ", "✓✓", "It reached the phone and was read. Everything works.", ["Queued (done)", "Sent (done)", "Delivered (done)"]],
  ])("%s: says it in words, with its ticks and the path so far", (status, ticks, explanation, stages) => {
    renderWithQueries(<MessageStatusView status={status} to={TO} />);
    const now = screen.getByRole("status");
    expect(now).toHaveTextContent(`${ticks}${status[0]}${status.slice(1).toLowerCase()} · to ${TO}`);
    expect(now).toHaveTextContent(explanation);
    expect(screen.getAllByRole("listitem").map((item) => item.textContent?.replace(/^[●○]/, ""))).toEqual(stages);
  });

  it("FAILED: says it was not sent, and why", () => {
    renderWithQueries(<MessageStatusView status="FAILED" error="Rapiwa: the number is not on WhatsApp" to={TO} />);
    expect(screen.getByRole("status")).toHaveTextContent("✕Failed · to +8801712345678It was not sent.Reason: Rapiwa: the number is not on WhatsApp");
    expect(screen.queryByRole("list")).not.toBeInTheDocument();
  });

  it("UNKNOWN: says to check the phone before sending again", () => {
    renderWithQueries(<MessageStatusView status="UNKNOWN" error="interrupted by a restart" to={TO} />);
    expect(screen.getByRole("status")).toHaveTextContent("check the phone before sending again.Reason: interrupted by a restart");
  });
});

describe("MessageStatusWatcher", () => {
  it("asks every second until the message is delivered, then stops and says so", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const statuses: MessageStatus[] = ["QUEUED", "SENT", "DELIVERED"];
    const server = answerOperations({
      MessageStatus: () => ({
        body: { data: { message: { id: "m1", to: TO, status: statuses.shift() ?? "DELIVERED", error: null, statusChangedAt: "2026-11-30T00:00:00Z" } } },
      }),
    });
    vi.stubGlobal("fetch", server.fetch);
    const onFinal = vi.fn();
    renderWithQueries(<MessageStatusWatcher id="m1" onFinal={onFinal} />);

    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("🕓Queued"));
    await act(() => vi.advanceTimersByTimeAsync(1000));
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("✓Sent"));
    expect(onFinal).not.toHaveBeenCalled();
    await act(() => vi.advanceTimersByTimeAsync(1000));
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("✓✓Delivered"));
    expect(onFinal).toHaveBeenCalledExactlyOnceWith("DELIVERED");
    expect(server.requests.map((request) => request.variables)).toEqual([{ id: "m1" }, { id: "m1" }, { id: "m1" }]);

    await act(() => vi.advanceTimersByTimeAsync(5000));
    expect(server.requests).toHaveLength(3);
  });

  it("says so when the message is no longer in the log", async () => {
    vi.stubGlobal("fetch", answerOperations({ MessageStatus: { body: { data: { message: null } } } }).fetch);
    renderWithQueries(<MessageStatusWatcher id="m1" />);
    expect(await screen.findByText("This message is no longer in your log. Send another one below.")).toBeInTheDocument();
  });
});
