import { readFile } from "node:fs/promises";
import { api, capture, expect, signUpByApi, test, useSession, type Account } from "./support/test.ts";

const CONTACT = "+8801811100042";

type Usage = { usage: { messagesSent: number; messagesReceived: number } };

/** A tenant with a sandbox number that sent `texts` to CONTACT (all accepted by the provider) and got `reply` back. */
async function tenantWithTraffic(company: string, number: string, texts: string[], reply: string): Promise<Account> {
  const account = await signUpByApi(company);
  await api(
    "mutation ($input: ConnectWhatsAppInput!) { connectWhatsApp(input: $input) { status } }",
    { input: { apiKey: "sandbox_e2e", number } },
    account.token,
  );
  for (const text of texts) {
    await api("mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id } }", { input: { to: CONTACT, text } }, account.token);
  }
  await api(
    "mutation ($from: String!, $text: String!) { simulateInboundMessage(from: $from, text: $text) { id } }",
    { from: CONTACT, text: reply },
    account.token,
  );
  // The dispatcher sends them in the background: billable once the (sandbox) provider accepted them.
  await expect
    .poll(async () => (await api<Usage>("{ usage { messagesSent messagesReceived } }", {}, account.token)).usage)
    .toEqual({ messagesSent: texts.length, messagesReceived: 1 });
  return account;
}

test("a tenant finds a reply in the message log by text and number, sees its history and raw payload, exports it, and sees it billed; another tenant sees none of it", async ({
  page,
  context,
}) => {
  const reply = `Yes please, deliver after 6 pm ${Date.now().toString(36)}`;
  const owner = await tenantWithTraffic("Dhaka Deliveries", "+8801711000042", ["Your parcel ships today", "Driver is on the way", "Delivered: thanks!"], reply);
  await useSession(context, owner);

  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Message log" }).click();
  await expect(page.getByRole("heading", { name: "Message log", level: 1 })).toBeVisible();
  await expect(page.getByRole("button", { name: reply })).toBeVisible();
  await expect(page.getByRole("button", { name: "Driver is on the way" })).toBeVisible();

  // By text: the URL keeps the filter, and only the reply is left.
  await page.getByLabel("Text").fill("deliver after 6 pm");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/[?&]q=deliver/);
  await expect(page.getByRole("button", { name: reply })).toBeVisible();
  await expect(page.getByRole("button", { name: "Driver is on the way" })).toHaveCount(0);
  // A reload keeps the filtered view.
  await page.reload();
  await expect(page.getByLabel("Text")).toHaveValue("deliver after 6 pm");
  await expect(page.getByRole("button", { name: reply })).toBeVisible();

  // By number and direction: the contact's reply, not what was sent to them.
  await page.getByRole("button", { name: "Clear filters" }).first().click();
  await page.getByLabel("Contact number").fill(CONTACT);
  await page.getByLabel("Direction").selectOption("INBOUND");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/direction=INBOUND/);
  await expect(page.getByRole("button", { name: reply })).toBeVisible();
  await expect(page.getByRole("button", { name: "Your parcel ships today" })).toHaveCount(0);
  await capture(page, "message-log");

  // Its details: status history and the raw payload.
  await page.getByRole("button", { name: reply }).click();
  const drawer = page.getByRole("dialog", { name: "Message details" });
  await expect(drawer.getByRole("list", { name: "Status history" })).toContainText("Received");
  const payload = drawer.getByLabel("Payload 1, message");
  await expect(payload).toContainText(`"message": "${reply}"`);
  await expect(payload).toContainText(`"from": "${CONTACT}"`);
  await capture(page, "message-log-detail");
  await page.keyboard.press("Escape");
  await expect(drawer).toHaveCount(0);

  // The export of this view, downloaded by the browser with its session cookie.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^messages-dhaka-deliveries.*-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readFile((await download.path())!, "utf8");
  const rows = csv.trimEnd().split("\n");
  expect(rows[0]).toBe("id,created_at,direction,status,contact,from,to,body,error,provider_message_id,status_changed_at");
  expect(rows).toHaveLength(2);
  expect(rows[1]).toContain(`,INBOUND,RECEIVED,'${CONTACT},'${CONTACT},`);
  expect(rows[1]).toContain(reply);

  // Billing: this month's counts and the price.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Billing" }).click();
  await expect(page.getByRole("heading", { name: "Billing", level: 1 })).toBeVisible();
  const value = (term: string | RegExp) => page.locator("dt", { hasText: term }).locator("xpath=following-sibling::dd[1]");
  await expect(value("Billable messages")).toHaveText("3");
  await expect(value(/^Received$/)).toHaveText("1");
  await expect(page.getByRole("progressbar")).toHaveAccessibleName(
    /3 of 1,000 billable messages in Starter \(\$29\.00\)\. 997 more and this month moves to Growth \(\$79\.00\)\./,
  );
  await expect(page.getByText("1 connected number × $5.00")).toBeVisible();
  await expect(value(/^Total$/)).toHaveText("$34.00");
  await page.getByText("Show the numbers as a table").click();
  const today = new Date().toISOString().slice(0, 10);
  await expect(page.getByRole("row", { name: new RegExp(`^${today}`) })).toHaveText(`${today}31`);
  // A company signed up this month has no closed month yet (statements: server/test/api/statements.test.ts).
  await expect(page.getByText("No closed months yet")).toBeVisible();
  await capture(page, "billing");

  // Another tenant: an empty log, an export of nothing, nothing billed.
  const other = await signUpByApi("Chittagong Cargo");
  await context.clearCookies();
  await useSession(context, other);
  await page.goto("/messages");
  await expect(page.getByText("No messages yet")).toBeVisible();
  await expect(page.getByText(reply)).toHaveCount(0);
  const [otherDownload] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  const otherCsv = await readFile((await otherDownload.path())!, "utf8");
  expect(otherCsv.trimEnd().split("\n")).toHaveLength(1);
  expect(otherCsv).not.toContain(CONTACT);
  await page.goto(`/messages?q=${encodeURIComponent(reply)}`);
  await expect(page.getByText("No messages match these filters")).toBeVisible();
  await page.getByRole("button", { name: "Clear filters" }).last().click();
  await expect(page).toHaveURL(/\/messages$/);
  await page.goto("/billing");
  await expect(page.getByRole("progressbar")).toHaveAccessibleName(/^0 of 1,000 billable messages/);
});
