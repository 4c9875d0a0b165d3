import { spawn } from "node:child_process";
import path from "node:path";
import { api, capture, expect, settled, signUpByApi, test, uniqueEmail, useSession } from "./support/test.ts";

const serverDir = path.resolve(import.meta.dirname, "../../server");
const STAFF_PASSWORD = "a long staff passphrase for e2e";
const CONTACT = "+14155550187";

/** Makes a staff account as an operator would: `npm run staff -w server -- add ...` against the e2e server's database. */
function addStaff(email: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/staff.mts", "add", "--email", email, "--role", "SUPPORT", "--password-stdin"], {
      cwd: serverDir,
      env: { PATH: process.env.PATH, DATA_DIR: process.env.E2E_DATA_DIR!, NODE_ENV: "development", LOG_LEVEL: "silent" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`npm run staff failed (${code}): ${output}`))));
    child.stdin.end(STAFF_PASSWORD);
  });
}

test("support finds a company's message by number, opens it, and the company's owner sees that in settings", async ({ browser }) => {
  // Company A sends a message to the contact who says it never arrived.
  const owner = await signUpByApi("Umbrella Logistics");
  await api(
    "mutation ($input: ConnectWhatsAppInput!) { connectWhatsApp(input: $input) { id } }",
    { input: { number: "+8801711000091", apiKey: "sandbox_e2e" } },
    owner.token,
  );
  await api(
    "mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id } }",
    { input: { to: CONTACT, text: "Your order UL-5521 left our warehouse" } },
    owner.token,
  );
  const staffEmail = uniqueEmail("support");
  await addStaff(staffEmail);

  // Staff log in where everyone does and land in the console, apart from the dashboard.
  const staffPage = await (await browser.newContext()).newPage();
  await staffPage.goto("/login");
  await staffPage.getByLabel("Email").fill(staffEmail);
  await staffPage.getByLabel("Password").fill(STAFF_PASSWORD);
  await staffPage.getByRole("button", { name: "Log in" }).click();
  await expect(staffPage).toHaveURL("/support");
  await expect(staffPage.getByRole("heading", { name: "Support console", level: 1 })).toBeVisible();
  await expect(staffPage.getByRole("button", { name: /Switch company/i })).toHaveCount(0);

  // A reason first; then the search.
  await staffPage.getByLabel("Reason").fill("Ticket 8812: customer says +14155550187 never got the dispatch notice");
  await staffPage.getByRole("button", { name: "Start session" }).click();
  await expect(staffPage.getByTestId("support-session-remaining")).toHaveText("Session active: 30 min left");
  await staffPage.getByLabel("Contact's number").fill(CONTACT);
  await staffPage.getByRole("button", { name: "Search" }).click();
  const row = staffPage.getByTestId("support-result");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("Umbrella Logistics");
  await expect(row).toContainText(CONTACT);
  await expect(staffPage.getByText("UL-5521")).toHaveCount(0);
  await settled(staffPage);
  await capture(staffPage, "support-console");

  await row.getByRole("button", { name: /Open the message/ }).click();
  const dialog = staffPage.getByRole("dialog", { name: "Message" });
  await expect(dialog.getByTestId("support-message-text")).toHaveText("Your order UL-5521 left our warehouse");
  await settled(staffPage);
  await capture(staffPage, "support-console-message");
  await staffPage.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);

  // The company's owner sees who looked, why, and what.
  const ownerContext = await browser.newContext();
  await useSession(ownerContext, owner);
  const ownerPage = await ownerContext.newPage();
  await ownerPage.goto("/settings");
  const section = ownerPage.getByRole("region", { name: "Access by Switchboard support" });
  const entries = section.getByTestId("support-access-entry");
  await expect(entries).toHaveCount(2);
  await expect(entries.nth(0)).toContainText("Opened a message");
  await expect(entries.nth(0)).toContainText(staffEmail);
  await expect(entries.nth(1)).toContainText("Searched your messages");
  await expect(entries.nth(1)).toContainText(`number ${CONTACT}`);
  await expect(entries.nth(1)).toContainText("Ticket 8812");
  await settled(ownerPage);
  await capture(ownerPage, "settings-support-access");
});

test("a company that support never looked at says so", async ({ browser }) => {
  const owner = await signUpByApi("Quiet Company");
  const context = await browser.newContext();
  await useSession(context, owner);
  const page = await context.newPage();
  await page.goto("/settings");
  await expect(page.getByRole("region", { name: "Access by Switchboard support" })).toContainText("No one from support has looked at your data.");
});
