import { createMemoryHistory, RouterProvider } from "@tanstack/react-router";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { answerOperations, graphQLError, type FakeAnswer } from "../test/render.tsx";
import { AppProviders } from "./providers.tsx";
import { createAppRouter } from "./router.tsx";

const ME: FakeAnswer = {
  body: { data: { me: { id: "u1", email: "ana@acme.test", memberships: [{ role: "OWNER", tenant: { id: "t1", companyName: "Acme" } }] } } },
};
const COMPANY: FakeAnswer = {
  body: { data: { tenant: { id: "t1", companyName: "Acme", slug: "acme", plan: "STARTER", createdAt: "2026-11-30T10:00:00.000Z" } } },
};
// The team page's own requests, answered empty.
const TEAM_PAGE: Record<string, FakeAnswer> = {
  TeamMembers: { body: { data: { teamMembers: [] } } },
  TeamInvitations: { body: { data: { teamInvitations: [] } } },
  MyInvitations: { body: { data: { myInvitations: [] } } },
};
const LOGGED_OUT = graphQLError("UNAUTHENTICATED", "Log in, or send an API key as `Authorization: Bearer swb_...`.");
const LOGGED_IN: FakeAnswer = { body: { data: { logIn: { expiresAt: "2026-12-14T00:00:00.000Z" } } } };

/** The whole app (router, guard, query cache) at `path`, in memory. */
function openApp(path: string) {
  const { router, queryClient } = createAppRouter({ history: createMemoryHistory({ initialEntries: [path] }) });
  render(
    <AppProviders queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return { router, queryClient, location: () => `${router.state.location.pathname}${router.state.location.searchStr}` };
}

beforeEach(() => localStorage.clear());

describe("the route guard", () => {
  it("sends a visitor without a session to log in with the page to come back to, and brings them back after", async () => {
    let loggedIn = false;
    vi.stubGlobal("fetch", answerOperations({ Me: () => (loggedIn ? ME : LOGGED_OUT), LogIn: () => ((loggedIn = true), LOGGED_IN), Company: COMPANY }).fetch);
    const app = openApp("/settings?section=company");

    expect(await screen.findByRole("heading", { name: "Log in" })).toBeInTheDocument();
    expect(app.location()).toBe(`/login?redirect=${encodeURIComponent("/settings?section=company")}`);
    // Never logged in here: no "session ended" message.
    expect(screen.queryByText(/session ended/)).not.toBeInTheDocument();

    await userEvent.type(screen.getByLabelText("Email"), "ana@acme.test");
    await userEvent.type(screen.getByLabelText("Password"), "a long passphrase");
    await userEvent.click(screen.getByRole("button", { name: "Log in" }));
    expect(await screen.findByRole("heading", { name: "Settings" })).toBeInTheDocument();
    expect(app.location()).toBe("/settings?section=company");
  });

  it("lets a logged-in person straight in, with their company in the header", async () => {
    const server = answerOperations({ Me: ME, Company: COMPANY, ...TEAM_PAGE });
    vi.stubGlobal("fetch", server.fetch);
    const app = openApp("/team");
    expect(await screen.findByRole("heading", { name: "Team" })).toBeInTheDocument();
    expect(app.location()).toBe("/team");
    expect(screen.getByTestId("current-tenant")).toHaveTextContent("Acme");
    // The guard asks only for `me`, once; the rest are the page's own requests.
    const operations = server.requests.map((request) => request.operationName);
    expect(operations[0]).toBe("Me");
    expect(operations.filter((operation) => operation === "Me")).toHaveLength(1);
    await waitFor(() => expect(screen.queryByLabelText("Loading the team")).not.toBeInTheDocument());
  });

  it("shows what went wrong, and a way to try again, when the session cannot be checked", async () => {
    // The router logs the failed match; expected here.
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    let down = true;
    vi.stubGlobal("fetch", answerOperations({ Me: () => (down ? graphQLError("UNAVAILABLE", "The database is not answering.") : ME) }).fetch);
    openApp("/team");
    const alert = await screen.findByRole("alert", {}, { timeout: 5000 });
    expect(alert).toHaveTextContent("Switchboard is briefly unavailable and nothing was changed.");
    down = false;
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("heading", { name: "Team" })).toBeInTheDocument();
  });
});

describe("a session that ends while the dashboard is open", () => {
  it("empties the cache and sends the person to log in, saying why, with the page to come back to", async () => {
    let sessionEnded = false;
    vi.stubGlobal("fetch", answerOperations({ Me: ME, Company: () => (sessionEnded ? LOGGED_OUT : COMPANY) }).fetch);
    const app = openApp("/team");
    expect(await screen.findByRole("heading", { name: "Team" })).toBeInTheDocument();

    sessionEnded = true;
    await app.router.navigate({ to: "/settings" });
    expect(await screen.findByText("Your session ended; log in again.")).toBeInTheDocument();
    expect(app.location()).toBe(`/login?redirect=${encodeURIComponent("/settings")}&reason=session-ended`);
    expect(
      app.queryClient
        .getQueryCache()
        .getAll()
        .map((query) => query.queryKey),
    ).toEqual([]);
    expect(screen.queryByText("Acme")).not.toBeInTheDocument();
  });

  it("leaves a mutation's own UNAUTHENTICATED answer to it (a wrong password is not an ended session)", async () => {
    vi.stubGlobal("fetch", answerOperations({ Me: LOGGED_OUT, LogIn: graphQLError("UNAUTHENTICATED", "Wrong email or password.") }).fetch);
    const app = openApp("/login");
    await userEvent.type(await screen.findByLabelText("Email"), "ana@acme.test");
    await userEvent.type(screen.getByLabelText("Password"), "wrong password!");
    await userEvent.click(screen.getByRole("button", { name: "Log in" }));
    expect(await screen.findByText("Wrong email or password.")).toBeInTheDocument();
    await waitFor(() => expect(app.location()).toBe("/login"));
  });
});
