import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { GraphQLRequestError } from "../../lib/graphql-client.ts";
import { Button } from "./Button.tsx";
import { ConfirmDialog } from "./ConfirmDialog.tsx";

/** A dialog around an action that fails the first time and succeeds the second, like a mutation. */
function Harness({ onDone }: { onDone: () => void }) {
  const [error, setError] = useState<unknown>(null);
  const [tries, setTries] = useState(0);
  return (
    <ConfirmDialog
      trigger={<Button>Delete</Button>}
      title="Delete this thing?"
      description="It cannot be undone."
      action={{ isPending: false, error, reset: () => setError(null) }}
      errorTitle="Could not delete it"
      confirmLabel="Delete it"
      cancelLabel="Keep it"
      onConfirm={(close) => {
        setTries(tries + 1);
        if (tries === 0) setError(new GraphQLRequestError("The database is not answering; nothing was done.", { code: "UNAVAILABLE" }));
        else {
          close();
          onDone();
        }
      }}
    />
  );
}

describe("ConfirmDialog", () => {
  it("asks first, keeps the action's error in the dialog, forgets it when closed, and closes once done", async () => {
    const user = userEvent.setup();
    const onDone = vi.fn();
    render(<Harness onDone={onDone} />);
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Delete" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete this thing?" });
    expect(dialog).toHaveAccessibleDescription("It cannot be undone.");
    await user.click(within(dialog).getByRole("button", { name: "Delete it" }));
    expect(within(dialog).getByRole("alert")).toHaveTextContent("Could not delete it");
    expect(onDone).not.toHaveBeenCalled();

    // Closed and opened again: the old error is gone.
    await user.click(within(dialog).getByRole("button", { name: "Keep it" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Delete" }));
    const again = await screen.findByRole("dialog", { name: "Delete this thing?" });
    expect(within(again).queryByRole("alert")).not.toBeInTheDocument();

    await user.click(within(again).getByRole("button", { name: "Delete it" }));
    expect(onDone).toHaveBeenCalledOnce();
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });
});
