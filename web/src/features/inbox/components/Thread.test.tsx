import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { MessageStatus } from "../../../graphql/graphql.ts";
import { answerOperations, graphQLError, renderWithQueries, type FakeAnswer, type FakeRequest } from "../../../test/render.tsx";
import { ReplyBox } from "./ReplyBox.tsx";
import { Thread } from "./Thread.tsx";

const CONTACT = "+14155550101";

let clock = Date.parse("2026-11-30T09:00:00.000Z");
const message = (text: string, direction: "INBOUND" | "OUTBOUND", status: MessageStatus, error: string | null = null) => {
  clock += 60_000;
  const at = new Date(clock).toISOString();
  return { node: { id: `id-${text}`, direction, text, status, error, createdAt: at, statusChangedAt: at } };
};

// As the server answers: newest first.
const THREAD = [
  message("hello, is my order ready?", "INBOUND", "RECEIVED"),
  message("queued one", "OUTBOUND", "QUEUED"),
  message("sent one", "OUTBOUND", "SENT"),
  message("delivered one", "OUTBOUND", "DELIVERED"),
  message("read one", "OUTBOUND", "READ"),
  message("failed one", "OUTBOUND", "FAILED", "the number is not on WhatsApp"),
  message("unknown one", "OUTBOUND", "UNKNOWN", "no answer from the provider"),
].reverse();

const threadPage = (edges: typeof THREAD, hasNextPage = false): FakeAnswer => ({
  body: { data: { messages: { edges, pageInfo: { hasNextPage, endCursor: hasNextPage ? "older-cursor" : null } } } },
});

afterEach(() => vi.unstubAllGlobals());

describe("Thread", () => {
  it("shows the messages oldest at the top, newest at the bottom, whichever way they came", async () => {
    vi.stubGlobal("fetch", answerOperations({ InboxThread: threadPage(THREAD) }).fetch);
    renderWithQueries(<Thread contact={CONTACT} />);
    const log = await screen.findByRole("log", { name: `Messages with ${CONTACT}, oldest first` });
    const texts = within(log)
      .getAllByTestId("thread-message")
      .map((item) => item.querySelector("p")!.textContent);
    expect(texts).toEqual(["hello, is my order ready?", "queued one", "sent one", "delivered one", "read one", "failed one", "unknown one"]);
    expect(screen.getByText(`Start of the conversation with ${CONTACT}`)).toBeInTheDocument();
  });

  it("gives every outbound message a tick with its status in words, the failure's reason, and what to do when unknown", async () => {
    vi.stubGlobal("fetch", answerOperations({ InboxThread: threadPage(THREAD) }).fetch);
    renderWithQueries(<Thread contact={CONTACT} />);
    await screen.findByRole("log");
    const ticks = screen.getAllByTestId("status-tick");
    expect(ticks.map((tick) => tick.dataset.status)).toEqual(["QUEUED", "SENT", "DELIVERED", "READ", "FAILED", "UNKNOWN"]);
    expect(ticks.map((tick) => tick.querySelector(".sr-only")!.textContent)).toEqual([
      "Queued: waiting to be sent",
      "Sent",
      "Delivered",
      "Read",
      "Failed: the number is not on WhatsApp",
      "Unknown: we could not tell whether the provider sent it; check with the contact before resending",
    ]);
    // The inbound message has no tick.
    expect(within(screen.getAllByTestId("thread-message")[0]!).queryByTestId("status-tick")).not.toBeInTheDocument();
  });

  it("loads older messages above with the page's cursor", async () => {
    const older = [message("much older", "INBOUND", "RECEIVED")];
    const fake = answerOperations({ InboxThread: (request) => (request.variables?.after ? threadPage(older) : threadPage(THREAD, true)) });
    vi.stubGlobal("fetch", fake.fetch);
    renderWithQueries(<Thread contact={CONTACT} />);
    await userEvent.click(await screen.findByRole("button", { name: "Load older messages" }));
    await waitFor(() => expect(screen.getAllByTestId("thread-message")[0]).toHaveTextContent("much older"));
    expect(fake.requests.at(-1)?.variables).toMatchObject({ contact: CONTACT, after: "older-cursor" });
  });
});

describe("ReplyBox", () => {
  const sent = (request: FakeRequest): FakeAnswer => {
    const input = request.variables!.input as { to: string; text: string };
    return { body: { data: { sendMessage: { ...message(input.text, "OUTBOUND", "QUEUED").node, to: input.to } } } };
  };

  it("sends once however often Send is clicked, with one idempotency key per composed message", async () => {
    let answer: (value: Response) => void = () => undefined;
    const requests: { input: { to: string; text: string; idempotencyKey: string } }[] = [];
    vi.stubGlobal("fetch", async (_url: string, init: RequestInit) => {
      const body = JSON.parse(String(init.body)) as { query: string; variables: { input: { to: string; text: string; idempotencyKey: string } } };
      requests.push(body.variables);
      return new Promise<Response>((resolve) => (answer = resolve));
    });
    renderWithQueries(<ReplyBox contact={CONTACT} />);
    await userEvent.type(screen.getByRole("textbox", { name: `Reply to ${CONTACT}` }), "On its way!");
    const send = screen.getByRole("button", { name: "Send" });
    await userEvent.dblClick(send);
    await userEvent.click(send);
    expect(requests).toHaveLength(1);
    expect(screen.getByRole("textbox")).toBeDisabled();
    answer(new Response(JSON.stringify(sent({ query: "", variables: requests[0], operationName: "InboxSendMessage", headers: new Headers() }).body)));
    await waitFor(() => expect(screen.getByRole("textbox")).toHaveValue(""));

    await userEvent.type(screen.getByRole("textbox"), "And another");
    await userEvent.click(screen.getByRole("button", { name: "Send" }));
    expect(requests).toHaveLength(2);
    expect(requests[0]!.input).toMatchObject({ to: CONTACT, text: "On its way!" });
    expect(requests[1]!.input.idempotencyKey).not.toBe(requests[0]!.input.idempotencyKey);
  });

  it("sends again with the same key after a failure, shows the error, and keeps Shift+Enter for new lines", async () => {
    let fail = true;
    const fake = answerOperations({ InboxSendMessage: (request) => (fail ? graphQLError("UNAVAILABLE", "database down") : sent(request)) });
    vi.stubGlobal("fetch", fake.fetch);
    renderWithQueries(<ReplyBox contact={CONTACT} />);
    const field = screen.getByRole("textbox", { name: `Reply to ${CONTACT}` });
    await userEvent.type(field, "line one{Shift>}{Enter}{/Shift}line two");
    expect(fake.requests).toHaveLength(0);
    expect(field).toHaveValue("line one\nline two");
    await userEvent.type(field, "{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent("Your reply was not sent");
    fail = false;
    await userEvent.click(screen.getByRole("button", { name: "Send" }));
    await waitFor(() => expect(field).toHaveValue(""));
    const keys = fake.requests.map((request) => (request.variables!.input as { idempotencyKey: string }).idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect((fake.requests[0]!.variables!.input as { text: string }).text).toBe("line one\nline two");
  });
});
