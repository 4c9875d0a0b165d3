import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { MessageFilters } from "./MessageFilters.tsx";

describe("MessageFilters", () => {
  it("shows the filters the URL holds", () => {
    render(
      <MessageFilters
        search={{ direction: "INBOUND", status: ["FAILED", "READ"], contact: "+8801711000001", q: "parcel", from: "2026-11-01", to: "2026-11-30" }}
        onApply={() => {}}
      />,
    );
    expect(screen.getByLabelText("Text")).toHaveValue("parcel");
    expect(screen.getByLabelText("Contact number")).toHaveValue("+8801711000001");
    expect(screen.getByLabelText("Direction")).toHaveValue("INBOUND");
    expect(screen.getByLabelText("From (UTC)")).toHaveValue("2026-11-01");
    expect(screen.getByLabelText("To (UTC)")).toHaveValue("2026-11-30");
    const statuses = within(screen.getByRole("group", { name: "Status" }));
    expect(statuses.getByLabelText("Failed")).toBeChecked();
    expect(statuses.getByLabelText("Read")).toBeChecked();
    expect(statuses.getByLabelText("Sent")).not.toBeChecked();
  });

  it("writes what was chosen back as the URL's search, and clears it", async () => {
    const onApply = vi.fn();
    const user = userEvent.setup();
    render(<MessageFilters search={{ q: "old" }} onApply={onApply} />);
    await user.clear(screen.getByLabelText("Text"));
    await user.type(screen.getByLabelText("Text"), "refund");
    await user.type(screen.getByLabelText("Contact number"), "+14155550100");
    await user.selectOptions(screen.getByLabelText("Direction"), "OUTBOUND");
    const statuses = within(screen.getByRole("group", { name: "Status" }));
    await user.click(statuses.getByLabelText("Failed"));
    await user.click(statuses.getByLabelText("Unknown"));
    await user.click(screen.getByRole("button", { name: "Apply filters" }));
    expect(onApply).toHaveBeenLastCalledWith({ q: "refund", contact: "+14155550100", direction: "OUTBOUND", status: ["FAILED", "UNKNOWN"] });
    await user.click(screen.getByRole("button", { name: "Clear filters" }));
    expect(onApply).toHaveBeenLastCalledWith({});
  });

  it("is filled again when the URL changes (Back, a shared link)", () => {
    const { rerender } = render(<MessageFilters search={{ q: "first" }} onApply={() => {}} />);
    rerender(<MessageFilters search={{ q: "second", direction: "OUTBOUND" }} onApply={() => {}} />);
    expect(screen.getByLabelText("Text")).toHaveValue("second");
    expect(screen.getByLabelText("Direction")).toHaveValue("OUTBOUND");
  });
});
