import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { GraphQLRequestError, type ErrorCode } from "../../lib/graphql-client.ts";
import { ErrorDisplay } from "./ErrorDisplay.tsx";

const failure = (code: ErrorCode, message: string, extra: { retryAfterSeconds?: number } = {}) => new GraphQLRequestError(message, { code, ...extra });

describe("ErrorDisplay", () => {
  it.each([
    // The server's words where they are written for people and say more (the rule broken, the reference).
    ["BAD_USER_INPUT", "Enter a valid email address.", "Check what you entered", "Enter a valid email address."],
    ["CONFLICT", "An account with this email already exists; log in instead.", "Could not save", "An account with this email already exists; log in instead."],
    [
      "FORBIDDEN",
      "Your role (MEMBER) cannot do this; ask an owner or admin of the tenant.",
      "Not allowed",
      "Your role (MEMBER) cannot do this; ask an owner or admin of the tenant.",
    ],
    ["INTERNAL", "Something went wrong on our side. Quote reference abc-123 if you contact support.", "Something went wrong", "Quote reference abc-123"],
    ["RATE_LIMITED", "Too many attempts. Try again in 3 s.", "Too many attempts", "Try again in 3 s."],
    // Ours where the server's talks to integrators, or there was no answer at all.
    ["UNAUTHENTICATED", "Log in, or send an API key as `Authorization: Bearer swb_...`.", "Logged out", "Your session ended; log in again."],
    ["UNAVAILABLE", "The database is not answering; nothing was done.", "Briefly unavailable", "nothing was changed. Try again in a few seconds."],
    ["NETWORK", "Could not reach Switchboard.", "No connection", "Check your internet connection"],
  ] as const)("says what a %s error means", (code, serverMessage, title, shown) => {
    render(<ErrorDisplay error={failure(code, serverMessage)} />);
    const alert = screen.getByRole("alert");
    expect(alert).toHaveAttribute("data-error-code", code);
    expect(alert).toHaveTextContent(title);
    expect(alert).toHaveTextContent(shown);
    if (code === "UNAUTHENTICATED") expect(alert).not.toHaveTextContent("Bearer");
  });

  it("uses the server's message where the context says it fits, under the context's own title", () => {
    render(<ErrorDisplay error={failure("UNAUTHENTICATED", "Wrong email or password.")} title="Could not log in" useServerMessageFor={["UNAUTHENTICATED"]} />);
    expect(screen.getByRole("alert")).toHaveTextContent("Could not log inWrong email or password.");
  });

  it("does not show the text of an unexpected exception", () => {
    render(<ErrorDisplay error={new TypeError("Cannot read properties of undefined (reading 'tenant')")} />);
    expect(screen.getByRole("alert")).toHaveTextContent("Something went wrong on our side.");
    expect(screen.getByRole("alert")).not.toHaveTextContent("undefined");
  });

  it("offers to try again when it can", async () => {
    const retry = vi.fn();
    render(<ErrorDisplay error={failure("UNAVAILABLE", "")} onRetry={retry} />);
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(retry).toHaveBeenCalledOnce();
  });
});
