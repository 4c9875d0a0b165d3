import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { answerOperations, graphQLError, renderWithQueries, type FakeRequest } from "../../../test/render.tsx";
import { ConversationList } from "./ConversationList.tsx";

const conversation = (contact: string, text: string, unreadCount: number, direction: "INBOUND" | "OUTBOUND" = "INBOUND") => ({
  cursor: `cursor-${contact}`,
  node: {
    id: `id-${contact}`,
    contact,
    unreadCount,
    lastMessageAt: "2026-11-30T09:00:00.000Z",
    lastMessage: { id: `m-${contact}`, direction, text, status: direction === "INBOUND" ? "RECEIVED" : "DELIVERED", createdAt: "2026-11-30T09:00:00.000Z" },
  },
});

const page = (edges: ReturnType<typeof conversation>[], hasNextPage = false) => ({
  body: { data: { conversations: { edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } } } },
});

const LIST = [
  conversation("+14155550101", "Where is my parcel?", 2),
  conversation("+14155550102", "Your order has shipped", 0, "OUTBOUND"),
  conversation("+447700900123", "Thanks!", 1),
];

afterEach(() => vi.unstubAllGlobals());

function setUp(answer: (request: FakeRequest) => ReturnType<typeof page> = () => page(LIST)) {
  const fake = answerOperations({ InboxConversations: answer });
  vi.stubGlobal("fetch", fake.fetch);
  const onOpen = vi.fn();
  renderWithQueries(<ConversationList selected={undefined} onOpen={onOpen} />);
  return { onOpen, requests: fake.requests };
}

const options = () => screen.getAllByRole("option");

describe("ConversationList", () => {
  it("shows each conversation's contact, last message and unread count, latest first", async () => {
    setUp();
    const listbox = await screen.findByRole("listbox", { name: "Conversations, latest first" });
    const rows = within(listbox).getAllByRole("option");
    expect(rows.map((row) => row.dataset.contact)).toEqual(["+14155550101", "+14155550102", "+447700900123"]);
    expect(rows[0]).toHaveTextContent("Where is my parcel?");
    expect(within(rows[0]!).getByTestId("unread-badge")).toHaveTextContent("2 unread");
    expect(rows[1]).toHaveTextContent("You: Your order has shipped");
    expect(within(rows[1]!).queryByTestId("unread-badge")).not.toBeInTheDocument();
    expect(within(rows[2]!).getByTestId("unread-badge")).toHaveTextContent("1 unread");
  });

  it("moves between conversations with the arrow keys and j/k, one tab stop, and opens one with Enter", async () => {
    const { onOpen } = setUp();
    await screen.findByRole("listbox");
    await userEvent.tab(); // the search field
    await userEvent.tab();
    expect(options()[0]).toHaveFocus();
    expect(options().map((option) => option.tabIndex)).toEqual([0, -1, -1]);
    await userEvent.keyboard("{ArrowDown}");
    expect(options()[1]).toHaveFocus();
    await userEvent.keyboard("j");
    expect(options()[2]).toHaveFocus();
    await userEvent.keyboard("{ArrowDown}");
    expect(options()[2]).toHaveFocus();
    await userEvent.keyboard("k");
    expect(options()[1]).toHaveFocus();
    expect(options().map((option) => option.tabIndex)).toEqual([-1, 0, -1]);
    await userEvent.keyboard("{Enter}");
    expect(onOpen).toHaveBeenCalledWith("+14155550102");
    await userEvent.keyboard("{Home}{Enter}");
    expect(onOpen).toHaveBeenLastCalledWith("+14155550101");
  });

  it("searches by number or text once typing pauses, and says when nothing matches", async () => {
    const { requests } = setUp((request) => (request.variables?.search === "parcel" ? page([LIST[0]!]) : request.variables?.search ? page([]) : page(LIST)));
    await screen.findByRole("listbox");
    await userEvent.type(screen.getByRole("searchbox", { name: "Search conversations by number or text" }), "parcel");
    await waitFor(() => expect(options().map((option) => option.dataset.contact)).toEqual(["+14155550101"]));
    // One request for the whole word, not one per keystroke.
    expect(requests.map((request) => request.variables?.search)).toEqual([null, "parcel"]);

    await userEvent.clear(screen.getByRole("searchbox"));
    await userEvent.type(screen.getByRole("searchbox"), "zzz");
    expect(await screen.findByRole("status")).toHaveTextContent("No conversation matches “zzz”");
  });

  it("loads the next page with the connection's cursor", async () => {
    const { requests } = setUp((request) => (request.variables?.after ? page([conversation("+14155550199", "older", 0)]) : page(LIST, true)));
    await screen.findByRole("listbox");
    await userEvent.click(screen.getByRole("button", { name: "Load more conversations" }));
    await waitFor(() => expect(options()).toHaveLength(4));
    expect(requests.at(-1)?.variables?.after).toBe("cursor-+447700900123");
  });

  it("says when the list could not load, with a way to try again", async () => {
    vi.stubGlobal("fetch", answerOperations({ InboxConversations: graphQLError("UNAVAILABLE", "database down") }).fetch);
    renderWithQueries(<ConversationList selected={undefined} onOpen={() => undefined} />);
    expect(await screen.findByRole("alert")).toHaveTextContent("Could not load the conversations");
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});
