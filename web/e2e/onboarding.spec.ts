import type { Page } from "@playwright/test";
import { capture, expect, PASSWORD, settled, test, uniqueEmail } from "./support/test.ts";

const stepHeading = (page: Page) => page.locator("#wizard-step-heading");

test("a new company goes from sign-up through the wizard with the sandbox to a delivered test message, resuming after reloads", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("/signup");
  await page.getByLabel("Company name").fill("Wayne Parcels");
  await page.getByLabel("Work email").fill(uniqueEmail("bruce"));
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();

  // Straight to the wizard, at its first step: the company as given at sign-up.
  await expect(page).toHaveURL("/onboarding");
  await expect(page.getByRole("heading", { name: "Onboarding", level: 1 })).toBeVisible();
  await expect(stepHeading(page)).toHaveText("Company details");
  await expect(page.getByTestId("onboarding-company-name")).toHaveText("Wayne Parcels");
  await expect(page.getByRole("navigation", { name: "Set-up steps" }).getByRole("button", { name: /Company/ })).toHaveAttribute("aria-current", "step");
  await capture(page, "onboarding-company");

  // From the keyboard: Next moves on and focus goes to the new step's heading.
  await page.getByRole("button", { name: "Next" }).focus();
  await page.keyboard.press("Enter");
  await expect(stepHeading(page)).toHaveText("Connect WhatsApp");
  await expect(stepHeading(page)).toBeFocused();
  // Nothing after this step works without a number: Next waits for one.
  await expect(page.getByRole("button", { name: "Next" })).toBeDisabled();
  const rapiwa = page.getByRole("form", { name: "Connect your WhatsApp number" });
  await rapiwa.getByRole("button", { name: "Connect number" }).click();
  await expect(rapiwa.getByLabel("WhatsApp number")).toHaveAccessibleDescription(/Enter the WhatsApp number/);
  await expect(rapiwa.getByLabel("Rapiwa API key")).toHaveAccessibleDescription(/Paste the number's Rapiwa API key/);
  await capture(page, "onboarding-connect");

  // A reload resumes where it was left.
  await page.reload();
  await expect(stepHeading(page)).toHaveText("Connect WhatsApp");

  // The sandbox: no Rapiwa account needed; connecting moves on to the inbound URL.
  await page.getByRole("button", { name: "Try the sandbox" }).click();
  await expect(stepHeading(page)).toHaveText("Inbound webhook URL");
  await expect(page.getByText("With the sandbox there is nothing to paste")).toBeVisible();
  const url = page.getByRole("textbox", { name: "Inbound webhook URL" });
  await expect(url).toHaveValue(/^http:\/\/.+\/webhooks\/rapiwa\/.+/);
  await page.getByRole("button", { name: "Copy" }).click();
  await expect(page.getByText("Copied", { exact: true }).first()).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await url.inputValue());
  await capture(page, "onboarding-inbound-url");

  // The number is connected for real: a reload comes back to this step, with the first two done.
  await page.reload();
  await expect(stepHeading(page)).toHaveText("Inbound webhook URL");
  const steps = page.getByRole("navigation", { name: "Set-up steps" });
  await expect(steps.getByRole("button", { name: "WhatsApp (done)" })).toBeVisible();

  await page.getByRole("button", { name: "Next" }).click();
  await expect(stepHeading(page)).toHaveText("Send a test message");
  await expect(page.getByLabel("Send to")).toHaveValue("+15555550100");
  await page.getByLabel("Send to").fill("+8801712345678");
  // A double click sends one message (one idempotency key).
  const sends: string[] = [];
  page.on("request", (request) => {
    if (request.url().endsWith("/graphql") && request.postData()?.includes("SendTestMessage")) sends.push(request.postData()!);
  });
  await page.getByRole("button", { name: "Send test message" }).dblclick();

  // QUEUED -> SENT -> DELIVERED, watched every second; the sandbox delivers about a second after sending.
  const status = page.locator("[data-message-status]");
  await expect(status).toHaveAttribute("data-message-status", /DELIVERED|READ/);
  await expect(page.getByRole("status").filter({ hasText: "to +8801712345678" })).toContainText(/Delivered|Read/);
  await expect(page.getByText("Everything works.")).toBeVisible();
  expect(new Set(sends.map((body) => (JSON.parse(body) as { variables: { input: { idempotencyKey: string } } }).variables.input.idempotencyKey)).size).toBe(1);
  await capture(page, "onboarding-test-message");

  // A reload keeps the message it was watching.
  await page.reload();
  await expect(stepHeading(page)).toHaveText("Send a test message");
  await expect(status).toHaveAttribute("data-message-status", /DELIVERED|READ/);

  await page.getByRole("button", { name: "Next" }).click();
  await expect(stepHeading(page)).toHaveText("All set");
  await expect(page.getByRole("link", { name: "Create an API key" })).toHaveAttribute("href", "/api-keys");
  await expect(page.getByRole("link", { name: "Invite your team" })).toHaveAttribute("href", "/team");
  await expect(page.getByRole("link", { name: "Check your settings" })).toHaveAttribute("href", "/settings");
  await capture(page, "onboarding-done");

  // Home's checklist, from the same real data: connected, and a first message sent.
  await page.getByRole("link", { name: "Go to Home" }).click();
  await expect(page).toHaveURL("/");
  await expect(page.locator('[data-step="connect"]')).toHaveAttribute("data-done", "true");
  await expect(page.locator('[data-step="connect"]')).toContainText("Connected: +15555550100");
  await expect(page.locator('[data-step="first-message"]')).toHaveAttribute("data-done", "true");
  await expect(page.getByText("2 of 4 done")).toBeVisible();
  await settled(page);

  // Back to the wizard later: it opens where it was left, at the end.
  await page.goto("/onboarding");
  await expect(stepHeading(page)).toHaveText("All set");
});
