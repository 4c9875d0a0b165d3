import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { answerOperations, graphQLError, renderWithQueries, type FakeAnswer } from "../../../test/render.tsx";
import { ConnectForm, SANDBOX_KEY } from "./ConnectForm.tsx";

const CONNECTED: FakeAnswer = { body: { data: { connectWhatsApp: { id: "c1", number: "+8801712345678", status: "CONNECTED" } } } };

function setUp(answer: FakeAnswer, { sandboxAvailable = true } = {}) {
  const server = answerOperations({ ConnectWhatsApp: answer, SandboxAvailable: { body: { data: { sandboxAvailable } } } });
  vi.stubGlobal("fetch", server.fetch);
  const onConnected = vi.fn();
  renderWithQueries(<ConnectForm onConnected={onConnected} />);
  return { server, onConnected };
}

async function fill({ number = "+8801712345678", apiKey = "rk_live_123" } = {}) {
  if (number) await userEvent.type(screen.getByLabelText("WhatsApp number"), number);
  if (apiKey) await userEvent.type(screen.getByLabelText("Rapiwa API key"), apiKey);
  await userEvent.click(screen.getByRole("button", { name: "Connect" }));
}

/** The connect requests made (the form also asks whether the server offers the sandbox). */
const connects = (server: ReturnType<typeof setUp>["server"]) => server.requests.filter((request) => request.operationName === "ConnectWhatsApp");

describe("ConnectForm", () => {
  it("says what is missing under each field and sends nothing", async () => {
    const { server } = setUp(CONNECTED);
    await userEvent.click(screen.getByRole("button", { name: "Connect" }));
    expect(screen.getByLabelText("WhatsApp number")).toHaveAccessibleDescription(/^Enter the WhatsApp number/);
    expect(screen.getByLabelText("Rapiwa API key")).toHaveAccessibleDescription(/^Paste the number's Rapiwa API key\./);
    await userEvent.type(screen.getByLabelText(/Send rate/), "0");
    await userEvent.click(screen.getByRole("button", { name: "Connect" }));
    expect(screen.getByLabelText(/Send rate/)).toHaveAccessibleDescription(/^Use a whole number from 1 to 1,000\./);
    expect(connects(server)).toHaveLength(0);
  });

  it("puts Rapiwa's refusal of the key under the key, as the server words it", async () => {
    const { onConnected } = setUp(
      graphQLError("BAD_USER_INPUT", "Rapiwa rejected this API key (invalid token). Nothing was saved.", { field: "input.apiKey" }),
    );
    await fill();
    await waitFor(() =>
      expect(screen.getByLabelText("Rapiwa API key")).toHaveAccessibleDescription(/^Rapiwa rejected this API key \(invalid token\)\. Nothing was saved\./),
    );
    expect(screen.getByLabelText("Rapiwa API key")).toHaveFocus();
    expect(onConnected).not.toHaveBeenCalled();
  });

  it("puts a number Rapiwa cannot send to under the number", async () => {
    setUp(graphQLError("BAD_USER_INPUT", '"12" is not a phone number: use international format, e.g. +8801712345678.', { field: "input.number" }));
    await fill({ number: "12" });
    await waitFor(() => expect(screen.getByLabelText("WhatsApp number")).toHaveAccessibleDescription(/^"12" is not a phone number/));
  });

  it("shows a provider that did not answer above the form", async () => {
    setUp(graphQLError("PROVIDER_ERROR", "Could not reach Rapiwa to check the key: timeout. Nothing was saved; try again."));
    await fill();
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not connect the number");
    expect(alert).toHaveTextContent("Could not reach Rapiwa to check the key: timeout.");
  });

  it("the sandbox option fills in a sandbox key and connects with it", async () => {
    const { server, onConnected } = setUp(CONNECTED);
    await userEvent.click(await screen.findByLabelText("Use the sandbox instead of Rapiwa"));
    expect(screen.getByLabelText("Rapiwa API key")).toHaveValue(SANDBOX_KEY);
    expect(SANDBOX_KEY.startsWith("sandbox_")).toBe(true);
    await fill({ apiKey: "" });
    await waitFor(() => expect(onConnected).toHaveBeenCalledOnce());
    expect(connects(server)[0]!.variables).toEqual({ input: { number: "+8801712345678", apiKey: SANDBOX_KEY } });
  });

  it("has no sandbox option on a server that offers none (production)", async () => {
    const { server } = setUp(CONNECTED, { sandboxAvailable: false });
    await waitFor(() => expect(server.requests.map((request) => request.operationName)).toContain("SandboxAvailable"));
    expect(screen.getByLabelText("Rapiwa API key")).toBeInTheDocument();
    expect(screen.queryByLabelText("Use the sandbox instead of Rapiwa")).not.toBeInTheDocument();
  });
});
