import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { answerOperations, graphQLError, renderWithQueries, type FakeAnswer } from "../../../test/render.tsx";
import { SignUpForm } from "./SignUpForm.tsx";

const SIGNED_UP: FakeAnswer = { body: { data: { signUp: { expiresAt: "2026-12-14T00:00:00.000Z" } } } };

function setUp(answer: FakeAnswer) {
  const server = answerOperations({ SignUp: answer });
  vi.stubGlobal("fetch", server.fetch);
  const onSignedUp = vi.fn();
  renderWithQueries(<SignUpForm onSignedUp={onSignedUp} />);
  return { server, onSignedUp };
}

async function fill({ companyName = "Acme", email = "ana@acme.test", password = "a long passphrase" } = {}) {
  if (companyName) await userEvent.type(screen.getByLabelText("Company name"), companyName);
  if (email) await userEvent.type(screen.getByLabelText("Work email"), email);
  if (password) await userEvent.type(screen.getByLabelText("Password"), password);
  await userEvent.click(screen.getByRole("button", { name: "Create account" }));
}

describe("SignUpForm", () => {
  it("shows the server's password rules before anything is typed", () => {
    setUp(SIGNED_UP);
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription(/At least 12 characters.*Not a common password, and not your email address/);
  });

  it("says under each field what is missing or wrong, focuses the first, and sends nothing", async () => {
    const { server } = setUp(SIGNED_UP);
    await userEvent.click(screen.getByRole("button", { name: "Create account" }));
    expect(screen.getByLabelText("Company name")).toHaveAccessibleDescription(/^Enter your company's name\./);
    expect(screen.getByLabelText("Company name")).toHaveFocus();
    expect(screen.getByLabelText("Work email")).toHaveAccessibleDescription("Enter your email address.");
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription(/^Use at least 12 characters for the password\./);
    expect(screen.getByLabelText("Password")).toHaveAttribute("aria-invalid", "true");

    await userEvent.type(screen.getByLabelText("Work email"), "not-an-email");
    expect(screen.getByLabelText("Work email")).toHaveAccessibleDescription("Enter a valid email address.");
    expect(server.requests).toHaveLength(0);
  });

  it("creates the account with what was typed (trimmed) and says so", async () => {
    const { server, onSignedUp } = setUp(SIGNED_UP);
    await fill({ companyName: "  Acme Deliveries ", email: " ana@acme.test " });
    await waitFor(() => expect(onSignedUp).toHaveBeenCalledOnce());
    expect(server.requests[0]!.variables).toEqual({ input: { companyName: "Acme Deliveries", email: "ana@acme.test", password: "a long passphrase" } });
  });

  it("puts the server's refusal under the field it names (a common password; an email already used)", async () => {
    setUp(graphQLError("BAD_USER_INPUT", "This password is too common or too easy to guess; choose another.", { field: "password" }));
    await fill();
    expect(await screen.findByText("This password is too common or too easy to guess; choose another.")).toBeInTheDocument();
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription(/^This password is too common/);
    expect(screen.getByLabelText("Password")).toHaveFocus();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("reads the server's dotted field paths (input.email)", async () => {
    setUp(graphQLError("CONFLICT", "An account with this email already exists; log in instead.", { field: "input.email" }));
    await fill();
    await waitFor(() => expect(screen.getByLabelText("Work email")).toHaveAccessibleDescription("An account with this email already exists; log in instead."));
  });

  it("shows an error that belongs to no field above the form, in words a person understands", async () => {
    const { onSignedUp } = setUp(graphQLError("RATE_LIMITED", "Too many sign-ups from your address. Try again in 60 s.", { retryAfterSeconds: 60 }));
    await fill();
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not create the account");
    expect(alert).toHaveTextContent("Too many sign-ups from your address. Try again in 60 s.");
    expect(onSignedUp).not.toHaveBeenCalled();
  });
});
