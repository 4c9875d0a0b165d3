import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { answerOperations, graphQLError, renderWithQueries, type FakeAnswer } from "../../../test/render.tsx";
import { ConnectWhatsAppStep, SANDBOX_EXAMPLE_NUMBER, type Connection } from "./ConnectWhatsAppStep.tsx";

const CONNECTED: FakeAnswer = {
  body: { data: { connectWhatsApp: { id: "c1", number: "+8801712345678", status: "CONNECTED", provider: "RAPIWA" } } },
};

function setUp(answer: FakeAnswer, connection: Connection | null = null, { sandboxAvailable = true } = {}) {
  const server = answerOperations({ OnboardingConnectWhatsApp: answer, SandboxAvailable: { body: { data: { sandboxAvailable } } } });
  vi.stubGlobal("fetch", server.fetch);
  const onConnected = vi.fn();
  renderWithQueries(<ConnectWhatsAppStep connection={connection} onConnected={onConnected} />);
  return { server, onConnected };
}

const rapiwaForm = () => within(screen.getByRole("form", { name: "Connect your WhatsApp number" }));
const sandboxButton = async () => within(await screen.findByRole("form", { name: "Connect the sandbox" })).getByRole("button", { name: "Try the sandbox" });

async function fill({ number = "+880 1712-345678", apiKey = "rk_live_123" } = {}) {
  if (number) await userEvent.type(rapiwaForm().getByLabelText("WhatsApp number"), number);
  if (apiKey) await userEvent.type(rapiwaForm().getByLabelText("Rapiwa API key"), apiKey);
  await userEvent.click(rapiwaForm().getByRole("button", { name: "Connect number" }));
}

/** The connect requests made (the page also asks whether the server offers the sandbox). */
const connects = (server: ReturnType<typeof setUp>["server"]) => server.requests.filter((request) => request.operationName === "OnboardingConnectWhatsApp");

afterEach(() => vi.unstubAllGlobals());

describe("ConnectWhatsAppStep", () => {
  it("says how to get the Rapiwa key and scan the QR code", () => {
    setUp(CONNECTED);
    expect(screen.getByRole("heading", { name: "Get your Rapiwa API key" })).toBeInTheDocument();
    expect(screen.getByText(/scan the QR code Rapiwa shows/)).toBeInTheDocument();
  });

  it("says under each field what is missing or wrong, focuses the first, and sends nothing", async () => {
    const { server } = setUp(CONNECTED);
    await fill({ number: "", apiKey: "" });
    expect(rapiwaForm().getByLabelText("WhatsApp number")).toHaveAccessibleDescription(/^Enter the WhatsApp number, with its country code\./);
    expect(rapiwaForm().getByLabelText("WhatsApp number")).toHaveFocus();
    expect(rapiwaForm().getByLabelText("Rapiwa API key")).toHaveAccessibleDescription(/^Paste the number's Rapiwa API key\./);

    await userEvent.type(rapiwaForm().getByLabelText("WhatsApp number"), "call me");
    await userEvent.click(rapiwaForm().getByRole("button", { name: "Connect number" }));
    expect(rapiwaForm().getByLabelText("WhatsApp number")).toHaveAccessibleDescription(/^Use international format, e\.g\. \+8801712345678\./);
    expect(connects(server)).toHaveLength(0);
  });

  it("connects with what was typed and moves on", async () => {
    const { server, onConnected } = setUp(CONNECTED);
    await fill();
    await waitFor(() => expect(onConnected).toHaveBeenCalledOnce());
    expect(connects(server)[0]!.variables).toEqual({ input: { number: "+880 1712-345678", apiKey: "rk_live_123" } });
  });

  it("puts Rapiwa's refusal of the key under the key, and of the number under the number", async () => {
    setUp(graphQLError("BAD_USER_INPUT", "Rapiwa rejected this API key (401 Unauthorized). Nothing was saved.", { field: "input.apiKey" }));
    await fill();
    await waitFor(() =>
      expect(rapiwaForm().getByLabelText("Rapiwa API key")).toHaveAccessibleDescription(
        /^Rapiwa rejected this API key \(401 Unauthorized\)\. Nothing was saved\./,
      ),
    );
    expect(rapiwaForm().getByLabelText("Rapiwa API key")).toHaveFocus();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("puts a refused number under the number", async () => {
    const { onConnected } = setUp(
      graphQLError("BAD_USER_INPUT", "+8801712345678 is not a possible phone number (check the country code and length).", { field: "input.number" }),
    );
    await fill();
    await waitFor(() => expect(rapiwaForm().getByLabelText("WhatsApp number")).toHaveAccessibleDescription(/^\+8801712345678 is not a possible phone number/));
    expect(onConnected).not.toHaveBeenCalled();
  });

  it("shows an answer that belongs to no field (Rapiwa unreachable) above the form, plainly", async () => {
    setUp(graphQLError("PROVIDER_ERROR", "Could not reach Rapiwa to check the key: timeout. Nothing was saved; try again."));
    await fill();
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not connect the number");
    expect(alert).toHaveTextContent("Could not reach Rapiwa to check the key: timeout. Nothing was saved; try again.");
  });

  it("connects the sandbox with a sandbox_ key and the number shown, without a Rapiwa account", async () => {
    const { server, onConnected } = setUp({
      body: { data: { connectWhatsApp: { id: "c1", number: SANDBOX_EXAMPLE_NUMBER, status: "CONNECTED", provider: "SANDBOX" } } },
    });
    await userEvent.click(await sandboxButton());
    await waitFor(() => expect(onConnected).toHaveBeenCalledOnce());
    const input = connects(server)[0]!.variables!.input as { number: string; apiKey: string };
    expect(input.number).toBe(SANDBOX_EXAMPLE_NUMBER);
    expect(input.apiKey).toMatch(/^sandbox_[0-9a-f-]{36}$/);
  });

  it("offers no sandbox on a server that has none (production): only the Rapiwa form", async () => {
    const { server } = setUp(CONNECTED, null, { sandboxAvailable: false });
    await waitFor(() => expect(server.requests.map((request) => request.operationName)).toContain("SandboxAvailable"));
    expect(rapiwaForm().getByRole("button", { name: "Connect number" })).toBeInTheDocument();
    expect(screen.queryByRole("form", { name: "Connect the sandbox" })).not.toBeInTheDocument();
    expect(screen.queryByText(/Try the sandbox/)).not.toBeInTheDocument();
  });

  it("shows the connected number instead of the form, and the form again to connect another", async () => {
    setUp(CONNECTED, { number: "+15555550100", provider: "SANDBOX" });
    expect(screen.getByRole("status")).toHaveTextContent("The sandbox is connected as +15555550100.");
    expect(screen.queryByRole("form")).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Connect another number" }));
    expect(rapiwaForm().getByLabelText("WhatsApp number")).toBeInTheDocument();
  });
});
