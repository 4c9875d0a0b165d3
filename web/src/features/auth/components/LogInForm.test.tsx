import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { answerOperations, graphQLError, renderWithQueries, type FakeAnswer } from "../../../test/render.tsx";
import { LogInForm } from "./LogInForm.tsx";

function setUp(answer: FakeAnswer) {
  const server = answerOperations({ LogIn: answer });
  vi.stubGlobal("fetch", server.fetch);
  const onLoggedIn = vi.fn();
  renderWithQueries(<LogInForm onLoggedIn={onLoggedIn} />);
  return { server, onLoggedIn };
}

async function logIn(email = "ana@acme.test", password = "a long passphrase") {
  if (email) await userEvent.type(screen.getByLabelText("Email"), email);
  if (password) await userEvent.type(screen.getByLabelText("Password"), password);
  await userEvent.click(screen.getByRole("button", { name: "Log in" }));
}

describe("LogInForm", () => {
  it("asks for the email and the password before sending anything", async () => {
    const { server } = setUp({ body: { data: { logIn: { expiresAt: "2026-12-14T00:00:00.000Z" } } } });
    await userEvent.click(screen.getByRole("button", { name: "Log in" }));
    expect(screen.getByLabelText("Email")).toHaveAccessibleDescription("Enter your email address.");
    expect(screen.getByLabelText("Email")).toHaveFocus();
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription("Enter your password.");
    expect(server.requests).toHaveLength(0);
  });

  it("logs in with what was typed", async () => {
    const { server, onLoggedIn } = setUp({ body: { data: { logIn: { expiresAt: "2026-12-14T00:00:00.000Z" } } } });
    await logIn(" Ana@Acme.test ");
    await waitFor(() => expect(onLoggedIn).toHaveBeenCalledOnce());
    expect(server.requests[0]!.variables).toEqual({ input: { email: "Ana@Acme.test", password: "a long passphrase" } });
  });

  it("says a wrong email or password plainly (the server's words, not 'your session ended')", async () => {
    const { onLoggedIn } = setUp(graphQLError("UNAUTHENTICATED", "Wrong email or password."));
    await logIn();
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not log in");
    expect(alert).toHaveTextContent("Wrong email or password.");
    expect(alert).not.toHaveTextContent("session");
    expect(onLoggedIn).not.toHaveBeenCalled();
  });

  it("puts an input error under its field", async () => {
    setUp(graphQLError("BAD_USER_INPUT", "Use at most 320 characters.", { field: "input.email" }));
    await logIn();
    await waitFor(() => expect(screen.getByLabelText("Email")).toHaveAccessibleDescription("Use at most 320 characters."));
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("keeps the button's place while logging in, and says it is busy", async () => {
    let answer!: (body: unknown) => void;
    const pending = new Promise<unknown>((resolve) => (answer = resolve));
    vi.stubGlobal("fetch", async () => new Response(JSON.stringify(await pending), { headers: { "content-type": "application/json" } }));
    renderWithQueries(<LogInForm onLoggedIn={vi.fn()} />);
    await logIn();
    const button = screen.getByRole("button", { name: "Log in" });
    await waitFor(() => expect(button).toBeDisabled());
    expect(button).toHaveAttribute("aria-busy", "true");
    answer({ data: { logIn: { expiresAt: "2026-12-14T00:00:00.000Z" } } });
    await waitFor(() => expect(button).not.toBeDisabled());
  });
});
