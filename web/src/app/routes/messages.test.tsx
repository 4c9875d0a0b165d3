import { createMemoryHistory, RouterProvider } from "@tanstack/react-router";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { answerOperations, type FakeAnswer, type FakeRequest } from "../../test/render.tsx";
import { AppProviders } from "../providers.tsx";
import { createAppRouter } from "../router.tsx";

const ME: FakeAnswer = {
  body: { data: { me: { id: "u1", email: "ana@acme.test", memberships: [{ role: "OWNER", tenant: { id: "t1", companyName: "Acme" } }] } } },
};
const NODE = { createdAt: "2026-11-30T08:00:00.000Z", direction: "INBOUND", status: "RECEIVED", from: "+8801811100042", to: "+8801711000042", error: null };
const page = (texts: string[], hasNextPage: boolean): FakeAnswer => ({
  body: {
    data: {
      messages: {
        edges: texts.map((text, index) => ({ node: { ...NODE, id: `m-${text}-${index}`, text } })),
        pageInfo: { hasNextPage, hasPreviousPage: false, startCursor: "start-cursor", endCursor: "end-cursor" },
      },
    },
  },
});

function openApp(path: string) {
  const { router, queryClient } = createAppRouter({ history: createMemoryHistory({ initialEntries: [path] }) });
  render(
    <AppProviders queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return { search: () => router.state.location.search as Record<string, unknown> };
}

beforeEach(() => localStorage.clear());

describe("the message log route", () => {
  it("reads its filters from the URL into the form, the request and the export link, and writes changes back", async () => {
    const asked: FakeRequest[] = [];
    vi.stubGlobal(
      "fetch",
      answerOperations({
        Me: ME,
        MessageLogMessages: (request) => (asked.push(request), page(["Where is my parcel?"], true)),
      }).fetch,
    );
    const app = openApp("/messages?q=parcel&status=FAILED&status=READ&direction=INBOUND&from=2026-11-01");

    expect(await screen.findByRole("heading", { name: "Message log", level: 1 })).toBeInTheDocument();
    expect(screen.getByLabelText("Text")).toHaveValue("parcel");
    expect(screen.getByLabelText("Direction")).toHaveValue("INBOUND");
    expect(screen.getByLabelText("From (UTC)")).toHaveValue("2026-11-01");
    expect(within(screen.getByRole("group", { name: "Status" })).getByLabelText("Failed")).toBeChecked();
    await waitFor(() => expect(asked).toHaveLength(1));
    expect(asked[0]!.variables).toEqual({
      filter: { direction: "INBOUND", statuses: ["READ", "FAILED"], search: "parcel", createdAfter: "2026-11-01T00:00:00.000Z" },
      first: 50,
    });
    expect(screen.getByRole("link", { name: "Export CSV" })).toHaveAttribute(
      "href",
      "/api/v1/messages.csv?direction=INBOUND&status=READ&status=FAILED&search=parcel&createdAfter=2026-11-01T00%3A00%3A00.000Z",
    );

    // Next page: the cursor goes into the URL, with the filters.
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Next" }));
    await waitFor(() => expect(app.search()).toMatchObject({ q: "parcel", after: "end-cursor" }));
    await waitFor(() => expect(asked.at(-1)!.variables).toMatchObject({ first: 50, after: "end-cursor" }));

    // New filters start again from the first page.
    await user.clear(screen.getByLabelText("Text"));
    await user.type(screen.getByLabelText("Text"), "refund");
    await user.selectOptions(screen.getByLabelText("Direction"), "");
    await user.click(screen.getByRole("button", { name: "Apply filters" }));
    await waitFor(() => expect(app.search()).toEqual({ q: "refund", status: ["READ", "FAILED"], from: "2026-11-01" }));

    // A message's drawer is part of the URL too.
    vi.stubGlobal(
      "fetch",
      answerOperations({
        MessageLogMessages: page(["Where is my parcel?"], false),
        MessageLogMessage: { body: { data: { message: null } } },
      }).fetch,
    );
    await user.click(screen.getAllByRole("button", { name: "Where is my parcel?" })[0]!);
    await waitFor(() => expect(app.search()).toMatchObject({ message: "m-Where is my parcel?-0" }));
    expect(await screen.findByRole("dialog", { name: "Message details" })).toBeInTheDocument();
    await user.keyboard("{Escape}");
    await waitFor(() => expect(app.search()).not.toHaveProperty("message"));
  });
});
