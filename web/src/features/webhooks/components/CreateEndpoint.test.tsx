import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { answerOperations, graphQLError, renderWithQueries, type FakeAnswer } from "../../../test/render.tsx";
import { CreateEndpoint } from "./CreateEndpoint.tsx";

const SECRET = "whsec_c2VjcmV0LXNpZ25pbmcta2V5LWZvci10ZXN0cw==";
const CREATED: FakeAnswer = {
  body: {
    data: {
      createWebhookEndpoint: {
        secret: SECRET,
        endpoint: {
          id: "0193a5a0-0000-7000-8000-000000000001",
          url: "https://shop.example.com/switchboard",
          description: "Order updates",
          events: ["MESSAGE_RECEIVED", "MESSAGE_FAILED"],
          enabled: true,
          disabledReason: null,
          createdAt: "2026-11-30T06:00:00.000Z",
        },
      },
    },
  },
};

function setUp(answer: FakeAnswer) {
  const server = answerOperations({ WebhooksCreateEndpoint: answer });
  vi.stubGlobal("fetch", server.fetch);
  const user = userEvent.setup();
  renderWithQueries(<CreateEndpoint />);
  return { server, user };
}

const url = () => screen.getByLabelText("Endpoint URL");
const submit = () => screen.getByRole("button", { name: "Add endpoint" });

afterEach(() => vi.unstubAllGlobals());

describe("adding a webhook endpoint", () => {
  it("asks for a URL it can call and at least one event when choosing, under each field, and sends nothing", async () => {
    const { server, user } = setUp(CREATED);
    await user.click(submit());
    expect(url()).toHaveAccessibleDescription(/^Enter the URL your server receives events at\./);
    expect(url()).toHaveFocus();

    await user.type(url(), "shop.example.com/hooks");
    await user.click(screen.getByRole("radio", { name: "Only the events I choose" }));
    await user.click(submit());
    expect(url()).toHaveAccessibleDescription(/^Enter a full URL starting with https:\/\//);
    expect(screen.getByRole("group", { name: "Events to send" })).toHaveAccessibleDescription("Choose at least one event, or send every event.");

    await user.clear(url());
    await user.type(url(), "ftp://shop.example.com/hooks");
    await user.click(submit());
    expect(url()).toHaveAccessibleDescription(/^Enter a full URL starting with https:\/\//);
    expect(server.requests).toHaveLength(0);
  });

  it("puts the server's refusal of the URL (a private address) under the URL field, not above the form", async () => {
    const { server, user } = setUp(
      graphQLError("BAD_USER_INPUT", "169.254.169.254 is a cloud metadata service: webhook URLs must point at public addresses.", { field: "input.url" }),
    );
    await user.type(url(), "http://169.254.169.254/latest");
    await user.click(submit());
    await waitFor(() => expect(url()).toHaveAccessibleDescription(/^169\.254\.169\.254 is a cloud metadata service/));
    expect(url()).toHaveFocus();
    expect(url()).toHaveAttribute("aria-invalid", "true");
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(server.requests).toHaveLength(1);
  });

  it("shows a refusal that belongs to no field above the form", async () => {
    const { user } = setUp(graphQLError("CONFLICT", "A tenant can have at most 20 webhook endpoints; delete one first."));
    await user.type(url(), "https://shop.example.com/switchboard");
    await user.click(submit());
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not add the endpoint");
    expect(alert).toHaveTextContent("at most 20 webhook endpoints");
  });

  it("sends the URL, description and chosen events, then shows the signing secret once, and empties the form", async () => {
    const { server, user } = setUp(CREATED);
    await user.type(url(), "  https://shop.example.com/switchboard ");
    await user.type(screen.getByLabelText("Description (optional)"), "Order updates");
    await user.click(screen.getByRole("radio", { name: "Only the events I choose" }));
    // Ticked out of order: sent in the schema's order.
    await user.click(screen.getByRole("checkbox", { name: /Message failed/ }));
    await user.click(screen.getByRole("checkbox", { name: /Message received/ }));
    await user.click(submit());

    const dialog = await screen.findByRole("dialog", { name: "Endpoint added: its signing secret" });
    expect(server.requests[0]!.variables).toEqual({
      input: { url: "https://shop.example.com/switchboard", description: "Order updates", events: ["MESSAGE_RECEIVED", "MESSAGE_FAILED"] },
    });
    expect(within(dialog).getByLabelText("Signing secret")).toHaveValue(SECRET);
    expect(dialog).toHaveTextContent("This is the only time the secret is shown.");
    expect(dialog).toHaveTextContent("https://shop.example.com/switchboard");
    expect(url()).toHaveValue("");

    // Closing uncopied asks first; closed, the secret is nowhere on the page.
    await user.click(within(dialog).getByRole("button", { name: "Close" }));
    expect(within(dialog).getByRole("alert")).toHaveTextContent("You have not copied the secret.");
    await user.click(within(dialog).getByRole("button", { name: "Close without copying" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(document.body).not.toHaveTextContent(SECRET);
    expect(screen.queryByDisplayValue(SECRET)).not.toBeInTheDocument();
  });

  it("sends an empty event list for every event", async () => {
    const { server, user } = setUp(CREATED);
    await user.type(url(), "https://shop.example.com/switchboard");
    await user.click(submit());
    await screen.findByRole("dialog");
    expect(server.requests[0]!.variables).toEqual({ input: { url: "https://shop.example.com/switchboard", description: "", events: [] } });
  });
});
