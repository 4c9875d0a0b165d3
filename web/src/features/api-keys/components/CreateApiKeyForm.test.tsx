import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { answerOperations, graphQLError, renderWithQueries, type FakeAnswer } from "../../../test/render.tsx";
import { CreateApiKeyForm } from "./CreateApiKeyForm.tsx";

const CREATED: FakeAnswer = {
  body: {
    data: {
      createApiKey: {
        secret: "swb_abcd1234_the-rest-of-the-secret",
        apiKey: {
          id: "key-1",
          name: "Shop backend",
          prefix: "swb_abcd1234",
          scopes: ["MESSAGES_SEND", "USAGE_READ"],
          createdAt: "2026-11-30T06:00:00.000Z",
          lastUsedAt: null,
          revokedAt: null,
        },
      },
    },
  },
};

function setUp(answer: FakeAnswer) {
  const server = answerOperations({ CreateApiKey: answer, ApiKeys: { body: { data: { apiKeys: [] } } }, SetupProgress: { body: { data: null } } });
  vi.stubGlobal("fetch", server.fetch);
  const onCreated = vi.fn();
  renderWithQueries(<CreateApiKeyForm onCreated={onCreated} />);
  return { server, onCreated };
}

const scope = (name: RegExp) => screen.getByRole("checkbox", { name });

describe("CreateApiKeyForm", () => {
  it("explains every scope in one line, and starts with sending messages chosen", () => {
    setUp(CREATED);
    expect(scope(/Send messages/)).toBeChecked();
    expect(scope(/Send messages/)).toHaveAccessibleDescription(/Send messages .* and read the message log\./);
    expect(scope(/Read messages/)).not.toBeChecked();
    expect(scope(/Read usage/)).toHaveAccessibleDescription("Read this month's usage and bill.");
    expect(scope(/Administer the account/)).toHaveAccessibleDescription(/Give it only to your own admin tools\./);
  });

  it("asks for a name and at least one scope, under each, and sends nothing", async () => {
    const { server } = setUp(CREATED);
    await userEvent.click(scope(/Send messages/));
    await userEvent.click(screen.getByRole("button", { name: "Create key" }));
    expect(screen.getByLabelText("Name")).toHaveAccessibleDescription(/^Give the key a name/);
    expect(screen.getByLabelText("Name")).toHaveFocus();
    expect(screen.getByRole("group", { name: "What the key may do" })).toHaveAccessibleDescription("Choose at least one thing the key may do.");

    await userEvent.type(screen.getByLabelText("Name"), "   ");
    await userEvent.click(screen.getByRole("button", { name: "Create key" }));
    expect(screen.getByLabelText("Name")).toHaveAccessibleDescription(/^Give the key a name/);
    expect(server.requests).toHaveLength(0);
  });

  it("creates the key with the trimmed name and the chosen scopes, hands over the secret, and empties the form", async () => {
    const { server, onCreated } = setUp(CREATED);
    await userEvent.type(screen.getByLabelText("Name"), "  Shop backend ");
    await userEvent.click(scope(/Read usage/));
    await userEvent.click(screen.getByRole("button", { name: "Create key" }));
    await waitFor(() =>
      expect(onCreated).toHaveBeenCalledWith({ name: "Shop backend", prefix: "swb_abcd1234", secret: "swb_abcd1234_the-rest-of-the-secret" }),
    );
    expect(server.requests[0]!.variables).toEqual({ input: { name: "Shop backend", scopes: ["MESSAGES_SEND", "USAGE_READ"] } });
    expect(screen.getByLabelText("Name")).toHaveValue("");
  });

  it("puts the server's refusal under the field it names", async () => {
    const { onCreated } = setUp(graphQLError("BAD_USER_INPUT", "A key's name is 1 to 100 characters.", { field: "input.name" }));
    await userEvent.type(screen.getByLabelText("Name"), "Shop");
    await userEvent.click(screen.getByRole("button", { name: "Create key" }));
    await waitFor(() => expect(screen.getByLabelText("Name")).toHaveAccessibleDescription(/^A key's name is 1 to 100 characters\./));
    expect(screen.getByLabelText("Name")).toHaveFocus();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(onCreated).not.toHaveBeenCalled();
  });

  it("shows a refusal that belongs to no field above the form", async () => {
    setUp(graphQLError("FORBIDDEN", "Your role (MEMBER) cannot do this; ask an owner or admin of the tenant."));
    await userEvent.type(screen.getByLabelText("Name"), "Shop");
    await userEvent.click(screen.getByRole("button", { name: "Create key" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not create the key");
    expect(alert).toHaveTextContent("Your role (MEMBER) cannot do this");
  });
});
