import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { WebhookEventType } from "../../../graphql/graphql.ts";
import { GraphQLRequestError } from "../../../lib/graphql-client.ts";
import { EndpointForm, type EndpointInput } from "./EndpointForm.tsx";

type Saved = { url: string; description: string; events: WebhookEventType[] };
const SAVED: Saved = { url: "https://shop.example.com/switchboard", description: "Order updates", events: ["MESSAGE_FAILED"] };

function setUp(onSubmit: (input: EndpointInput) => Promise<unknown>) {
  const user = userEvent.setup();
  const view = render(<EndpointForm initial={SAVED} label="Endpoint settings" submitLabel="Save changes" errorTitle="Could not save" onSubmit={onSubmit} />);
  const rerender = (saved: Saved) =>
    view.rerender(<EndpointForm initial={saved} label="Endpoint settings" submitLabel="Save changes" errorTitle="Could not save" onSubmit={onSubmit} />);
  return { user, rerender };
}

describe("editing an endpoint's settings", () => {
  it("starts from what is saved, sends every field, and follows the saved endpoint once the server answers", async () => {
    const onSubmit = vi.fn(() => Promise.resolve());
    const { user, rerender } = setUp(onSubmit);
    expect(screen.getByLabelText("Endpoint URL")).toHaveValue(SAVED.url);
    expect(screen.getByLabelText("Description (optional)")).toHaveValue("Order updates");
    expect(screen.getByRole("radio", { name: "Only the events I choose" })).toBeChecked();
    expect(screen.getByRole("checkbox", { name: /Message failed/ })).toBeChecked();

    await user.clear(screen.getByLabelText("Endpoint URL"));
    await user.type(screen.getByLabelText("Endpoint URL"), "https://Shop.Example.com");
    await user.click(screen.getByRole("radio", { name: /Every event/ }));
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith({ url: "https://Shop.Example.com", description: "Order updates", events: [] }));
    expect(screen.getByRole("button", { name: "Save changes" })).toHaveFocus();

    // The server stores the URL normalised: the form shows what was saved, without losing focus.
    rerender({ url: "https://shop.example.com/", description: "Order updates", events: [] });
    await waitFor(() => expect(screen.getByLabelText("Endpoint URL")).toHaveValue("https://shop.example.com/"));
    expect(screen.getByRole("radio", { name: /Every event/ })).toBeChecked();
  });

  it("puts the server's refusal of a new URL under the URL field", async () => {
    const onSubmit = vi.fn(() =>
      Promise.reject(
        new GraphQLRequestError("The URL's host is not allowed: 10.0.0.5 is in 10.0.0.0/8 (private network).", { code: "BAD_USER_INPUT", field: "input.url" }),
      ),
    );
    const { user } = setUp(onSubmit);
    await user.clear(screen.getByLabelText("Endpoint URL"));
    await user.type(screen.getByLabelText("Endpoint URL"), "http://10.0.0.5/hook");
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(screen.getByLabelText("Endpoint URL")).toHaveAccessibleDescription(/^The URL's host is not allowed: 10\.0\.0\.5/));
    expect(screen.getByLabelText("Endpoint URL")).toHaveFocus();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });
});
