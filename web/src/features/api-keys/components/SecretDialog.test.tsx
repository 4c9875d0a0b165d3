import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SecretDialog } from "./SecretDialog.tsx";

const CREATED = { name: "Shop backend", prefix: "swb_abcd1234", secret: "swb_abcd1234_the-rest-of-the-secret" };

function setUp({ clipboard }: { clipboard: "works" | "refused" }) {
  const writeText = vi.fn(clipboard === "works" ? () => Promise.resolve() : () => Promise.reject(new DOMException("Denied", "NotAllowedError")));
  // userEvent installs its own clipboard: replace it after setting it up.
  const user = userEvent.setup();
  Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
  const execCommand = vi.fn(() => false);
  Object.defineProperty(document, "execCommand", { value: execCommand, configurable: true });
  const onClose = vi.fn();
  render(<SecretDialog created={CREATED} onClose={onClose} />);
  return { user, writeText, execCommand, onClose };
}

afterEach(() => vi.restoreAllMocks());

describe("SecretDialog", () => {
  it("shows the secret with a warning that it will not be shown again", () => {
    setUp({ clipboard: "works" });
    const dialog = screen.getByRole("dialog", { name: "Your new key: Shop backend" });
    expect(screen.getByLabelText("Secret key")).toHaveValue(CREATED.secret);
    expect(dialog).toHaveTextContent("This is the only time the key is shown.");
  });

  it("copies the secret and then closes without asking", async () => {
    const { user, writeText, onClose } = setUp({ clipboard: "works" });
    await user.click(screen.getByRole("button", { name: "Copy key" }));
    expect(writeText).toHaveBeenCalledWith(CREATED.secret);
    expect(await screen.findByRole("button", { name: "Copied ✓" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Done" }));
    expect(onClose).toHaveBeenCalledOnce();
  });

  it("asks before closing when the secret was not copied (the button, or Escape)", async () => {
    const { user, onClose } = setUp({ clipboard: "works" });
    await user.click(screen.getByRole("button", { name: "Close" }));
    expect(screen.getByRole("alert")).toHaveTextContent("You have not copied the key.");
    expect(onClose).not.toHaveBeenCalled();
    expect(screen.getByRole("button", { name: "Keep it open" })).toHaveFocus();
    await user.click(screen.getByRole("button", { name: "Keep it open" }));
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Copy key" })).toHaveFocus();

    await user.keyboard("{Escape}");
    expect(screen.getByRole("alert")).toHaveTextContent("Once this closes, nobody can show it again.");
    expect(onClose).not.toHaveBeenCalled();
    await user.click(screen.getByRole("button", { name: "Close without copying" }));
    expect(onClose).toHaveBeenCalledOnce();
  });

  it("falls back to the older copy command, and says so when the browser refuses both", async () => {
    const { user, writeText, execCommand, onClose } = setUp({ clipboard: "refused" });
    await user.click(screen.getByRole("button", { name: "Copy key" }));
    await waitFor(() => expect(execCommand).toHaveBeenCalledWith("copy"));
    expect(writeText).toHaveBeenCalled();
    expect(await screen.findByRole("alert")).toHaveTextContent("Select the key above and copy it yourself");
    // Not copied: closing still asks.
    await user.click(screen.getByRole("button", { name: "Close" }));
    expect(screen.getByText("You have not copied the key.")).toBeInTheDocument();
    expect(onClose).not.toHaveBeenCalled();
  });

  it("counts the fallback as copied when it works", async () => {
    const { user, execCommand, onClose } = setUp({ clipboard: "refused" });
    execCommand.mockReturnValue(true);
    await user.click(screen.getByRole("button", { name: "Copy key" }));
    await user.click(await screen.findByRole("button", { name: "Done" }));
    expect(onClose).toHaveBeenCalledOnce();
  });
});
