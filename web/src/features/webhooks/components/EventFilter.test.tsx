import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { EventFilter, type EventFilterValue } from "./EventFilter.tsx";

// Every value of server/schema.graphql's WebhookEventType, with the dotted name payloads use.
const SCHEMA_EVENTS = [
  ["MESSAGE_RECEIVED", "message.received"],
  ["MESSAGE_SENT", "message.sent"],
  ["MESSAGE_DELIVERED", "message.delivered"],
  ["MESSAGE_READ", "message.read"],
  ["MESSAGE_FAILED", "message.failed"],
  ["MESSAGE_UNKNOWN", "message.unknown"],
  ["CONNECTION_DISCONNECTED", "connection.disconnected"],
] as const;

function Harness({ initial, onChange }: { initial: EventFilterValue; onChange: (value: EventFilterValue) => void }) {
  const [value, setValue] = useState(initial);
  return (
    <EventFilter
      value={value}
      onChange={(next) => {
        setValue(next);
        onChange(next);
      }}
    />
  );
}

function setUp(initial: EventFilterValue) {
  const onChange = vi.fn();
  render(<Harness initial={initial} onChange={onChange} />);
  return { onChange, user: userEvent.setup() };
}

describe("EventFilter", () => {
  it("starts at every event, with no single events to tick", () => {
    setUp({ allEvents: true, events: [] });
    expect(screen.getByRole("radio", { name: /Every event/ })).toBeChecked();
    expect(screen.queryAllByRole("checkbox")).toHaveLength(0);
  });

  it("offers each event type of the schema, by its dotted name, with a one-line explanation", async () => {
    const { user } = setUp({ allEvents: true, events: [] });
    await user.click(screen.getByRole("radio", { name: "Only the events I choose" }));
    const boxes = screen.getAllByRole("checkbox");
    expect(boxes.map((box) => (box as HTMLInputElement).value)).toEqual(SCHEMA_EVENTS.map(([type]) => type));
    for (const [type, dotted] of SCHEMA_EVENTS) {
      const box = boxes.find((candidate) => (candidate as HTMLInputElement).value === type)!;
      expect(box).toHaveAccessibleName(expect.stringContaining(dotted));
      expect(box).toHaveAccessibleDescription(/\S.*\.$/);
    }
    expect(screen.getByRole("checkbox", { name: /Message received/ })).toHaveAccessibleDescription("A contact wrote to your WhatsApp number.");
    expect(screen.getByRole("checkbox", { name: /Message outcome unknown/ })).toHaveAccessibleDescription(
      "A send was interrupted: it may or may not have gone out.",
    );
  });

  it("keeps the chosen events in the schema's order, and every event clears them", async () => {
    const { user, onChange } = setUp({ allEvents: false, events: ["MESSAGE_READ"] });
    expect(screen.getByRole("checkbox", { name: /Message read/ })).toBeChecked();
    await user.click(screen.getByRole("checkbox", { name: /Number disconnected/ }));
    await user.click(screen.getByRole("checkbox", { name: /Message received/ }));
    expect(onChange).toHaveBeenLastCalledWith({ allEvents: false, events: ["MESSAGE_RECEIVED", "MESSAGE_READ", "CONNECTION_DISCONNECTED"] });
    await user.click(screen.getByRole("checkbox", { name: /Message read/ }));
    expect(onChange).toHaveBeenLastCalledWith({ allEvents: false, events: ["MESSAGE_RECEIVED", "CONNECTION_DISCONNECTED"] });

    await user.click(screen.getByRole("radio", { name: /Every event/ }));
    expect(onChange).toHaveBeenLastCalledWith({ allEvents: true, events: [] });
    expect(screen.queryAllByRole("checkbox")).toHaveLength(0);
  });
});
