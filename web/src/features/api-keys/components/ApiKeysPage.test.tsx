import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { answerOperations, renderWithQueries } from "../../../test/render.tsx";
import { ApiKeysPage } from "./ApiKeysPage.tsx";

const KEY = {
  id: "key-1",
  name: "Shop backend",
  prefix: "swb_abcd1234",
  scopes: ["MESSAGES_SEND"],
  createdAt: "2026-11-30T06:00:00.000Z",
  lastUsedAt: null,
  revokedAt: null,
};

describe("ApiKeysPage", () => {
  it("tells a member who manages keys, asks the server nothing about keys, and still shows the examples", () => {
    const server = answerOperations({});
    vi.stubGlobal("fetch", server.fetch);
    renderWithQueries(<ApiKeysPage canManage={false} companyName="Acme" />);
    expect(screen.getByRole("heading", { name: "Keys are managed by owners and admins" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Create key" })).not.toBeInTheDocument();
    expect(screen.getByRole("region", { name: "REST with curl" })).toHaveTextContent("Bearer swb_...");
    expect(server.requests).toHaveLength(0);
  });

  it("explains what keys are for when there are none", async () => {
    vi.stubGlobal("fetch", answerOperations({ ApiKeys: { body: { data: { apiKeys: [] } } } }).fetch);
    renderWithQueries(<ApiKeysPage canManage companyName="Acme" />);
    expect(await screen.findByText("No API keys yet")).toBeInTheDocument();
    expect(screen.getByText(/lets your own software .* send WhatsApp messages/)).toBeInTheDocument();
  });

  it("lists the keys and fills the examples with this page's origin and the newest working key's start", async () => {
    vi.stubGlobal(
      "fetch",
      answerOperations({
        ApiKeys: { body: { data: { apiKeys: [KEY, { ...KEY, id: "key-0", name: "Old", prefix: "swb_old00000", revokedAt: KEY.createdAt }] } } },
      }).fetch,
    );
    renderWithQueries(<ApiKeysPage canManage companyName="Acme" />);
    const list = await screen.findByRole("list", { name: "API keys" });
    const rows = within(list).getAllByRole("listitem");
    expect(rows[0]).toHaveTextContent(/Shop backend.*Active.*swb_abcd1234.*Send messages.*never used/);
    expect(rows[1]).toHaveTextContent(/Old.*Revoked/);
    expect(within(rows[1]!).queryByRole("button")).not.toBeInTheDocument();
    const rest = screen.getByRole("region", { name: "REST with curl" });
    expect(rest).toHaveTextContent(`curl -X POST ${window.location.origin}/api/v1/send-message`);
    expect(rest).toHaveTextContent("Bearer swb_abcd1234...");
    expect(rest).toHaveTextContent("Idempotency-Key:");
    expect(screen.getByRole("region", { name: "GraphQL with curl" })).toHaveTextContent("sendMessage(input: $input)");
    await userEvent.click(within(rows[0]!).getByRole("button", { name: "Revoke Shop backend" }));
    expect(screen.getByRole("dialog", { name: "Revoke “Shop backend”?" })).toHaveTextContent("This cannot be undone");
  });
});
