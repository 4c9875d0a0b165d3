import { createMemoryHistory, RouterProvider } from "@tanstack/react-router";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { answerOperations, type FakeAnswer } from "../../test/render.tsx";
import { AppProviders } from "../providers.tsx";
import { createAppRouter } from "../router.tsx";

const me = (role: "OWNER" | "MEMBER"): FakeAnswer => ({
  body: { data: { me: { id: "u1", email: "ana@acme.test", memberships: [{ role, tenant: { id: "t1", companyName: "Acme" } }] } } },
});
const status = ({ connected, sent }: { connected: boolean; sent: boolean }): FakeAnswer => ({
  body: {
    data: {
      tenant: {
        id: "t1",
        companyName: "Acme",
        whatsapp: connected ? { id: "c1", number: "+8801712345678", status: "CONNECTED", provider: "RAPIWA" } : null,
      },
      sentMessages: { edges: sent ? [{ node: { id: "m1" } }] : [] },
    },
  },
});
const INBOUND_URL: FakeAnswer = {
  body: { data: { tenant: { id: "t1", whatsapp: { id: "c1", provider: "RAPIWA", inboundWebhookUrl: "https://switchboard.test/webhooks/rapiwa/secret" } } } },
};
const SIGNED_UP: FakeAnswer = { body: { data: { signUp: { expiresAt: "2026-12-14T00:00:00.000Z" } } } };

function openApp(path: string) {
  const { router, queryClient } = createAppRouter({ history: createMemoryHistory({ initialEntries: [path] }) });
  render(
    <AppProviders queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return { location: () => router.state.location.pathname };
}

const stepHeading = () => screen.findByRole("heading", { level: 2, name: /Company details|Connect WhatsApp|Inbound webhook URL|Send a test message|All set/ });

beforeEach(() => localStorage.clear());
afterEach(() => vi.unstubAllGlobals());

describe("the onboarding wizard", () => {
  it("is where a new account lands after signing up, at the company's details", async () => {
    let signedUp = false;
    const server = answerOperations({
      Me: () => (signedUp ? me("OWNER") : { body: { errors: [{ message: "Log in", extensions: { code: "UNAUTHENTICATED" } }], data: null } }),
      SignUp: () => ((signedUp = true), SIGNED_UP),
      OnboardingStatus: status({ connected: false, sent: false }),
      SetupProgress: status({ connected: false, sent: false }),
    });
    vi.stubGlobal("fetch", server.fetch);
    const app = openApp("/signup");
    await userEvent.type(await screen.findByLabelText("Company name"), "Acme");
    await userEvent.type(screen.getByLabelText("Work email"), "ana@acme.test");
    await userEvent.type(screen.getByLabelText("Password"), "a long passphrase");
    await userEvent.click(screen.getByRole("button", { name: "Create account" }));
    expect(await stepHeading()).toHaveTextContent("Company details");
    expect(app.location()).toBe("/onboarding");
    expect(screen.getByTestId("onboarding-company-name")).toHaveTextContent("Acme");
  });

  it("resumes from the tenant's data: a connected number without a message goes to the inbound URL", async () => {
    vi.stubGlobal(
      "fetch",
      answerOperations({ Me: me("OWNER"), OnboardingStatus: status({ connected: true, sent: false }), OnboardingInboundWebhookUrl: INBOUND_URL }).fetch,
    );
    openApp("/onboarding");
    expect(await stepHeading()).toHaveTextContent("Inbound webhook URL");
    expect(await screen.findByRole("textbox", { name: "Inbound webhook URL" })).toHaveValue("https://switchboard.test/webhooks/rapiwa/secret");
  });

  it("resumes at the step stored for this tenant, and never past connecting without a number", async () => {
    localStorage.setItem("switchboard.onboarding.t1", JSON.stringify({ step: "test-message" }));
    vi.stubGlobal("fetch", answerOperations({ Me: me("OWNER"), OnboardingStatus: status({ connected: false, sent: false }) }).fetch);
    openApp("/onboarding");
    expect(await stepHeading()).toHaveTextContent("Connect WhatsApp");
    expect(screen.getByRole("button", { name: /Next/ })).toBeDisabled();
    expect(screen.getByRole("button", { name: /Test message/ })).toBeDisabled();
  });

  it("moves with Back and Next, focusing each step's heading, and remembers the step", async () => {
    vi.stubGlobal(
      "fetch",
      answerOperations({ Me: me("OWNER"), OnboardingStatus: status({ connected: true, sent: true }), OnboardingInboundWebhookUrl: INBOUND_URL }).fetch,
    );
    openApp("/onboarding");
    expect(await stepHeading()).toHaveTextContent("All set");
    await userEvent.click(screen.getByRole("button", { name: /Back/ }));
    expect(await stepHeading()).toHaveTextContent("Send a test message");
    expect(await stepHeading()).toHaveFocus();
    expect(screen.getByRole("button", { name: /Test message/ })).toHaveAttribute("aria-current", "step");
    await waitFor(() => expect(JSON.parse(localStorage.getItem("switchboard.onboarding.t1")!)).toMatchObject({ step: "test-message" }));
    await userEvent.click(screen.getByRole("button", { name: /Next/ }));
    expect(await stepHeading()).toHaveTextContent("All set");
  });

  it("tells a member who connects the number, and never asks for the secret inbound URL", async () => {
    localStorage.setItem("switchboard.onboarding.t1", JSON.stringify({ step: "connect" }));
    const server = answerOperations({ Me: me("MEMBER"), OnboardingStatus: status({ connected: false, sent: false }) });
    vi.stubGlobal("fetch", server.fetch);
    openApp("/onboarding");
    expect(await stepHeading()).toHaveTextContent("Connect WhatsApp");
    expect(screen.getByText(/An owner or admin of your team connects the WhatsApp number/)).toBeInTheDocument();
    expect(screen.queryByRole("form")).not.toBeInTheDocument();
    expect(server.requests.map((request) => request.operationName)).not.toContain("OnboardingInboundWebhookUrl");
  });
});
