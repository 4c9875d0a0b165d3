import type { Page } from "@playwright/test";
import { api, capture, expect, settled, signUpByApi, test, useSession, type Account } from "./support/test.ts";

const CUSTOMER = "+14155550123";

async function connectSandbox(account: Account, number: string) {
  await api(
    "mutation ($input: ConnectWhatsAppInput!) { connectWhatsApp(input: $input) { status } }",
    { input: { apiKey: "sandbox_e2e_inbox", number } },
    account.token,
  );
}

const simulateReply = (account: Account, text: string, from = CUSTOMER) =>
  api("mutation ($from: String!, $text: String!) { simulateInboundMessage(from: $from, text: $text) { id } }", { from, text }, account.token);

const conversationRow = (page: Page, contact: string) => page.getByRole("option").filter({ has: page.getByText(contact, { exact: true }) });

async function openInbox(page: Page) {
  await page.goto("/inbox");
  await expect(page.getByRole("heading", { name: "Inbox", level: 1 })).toBeVisible();
  await expect(page.getByTestId("live-state")).toHaveAttribute("data-state", "live");
}

test("two people of one company see the inbox change live: replies, answers, unread badges, keyboard, and nothing of another company", async ({ browser }) => {
  const owner = await signUpByApi("Crumb & Co Bakery", "owner");
  await connectSandbox(owner, "+8801711000071");
  await simulateReply(owner, "Hello! Do you deliver on Saturdays?", "+14155550100");

  const [first, second] = await Promise.all([browser.newContext(), browser.newContext()]);
  await useSession(first, owner);
  await useSession(second, owner);
  const pageA = await first.newPage();
  const pageB = await second.newPage();
  for (const page of [pageA, pageB]) await openInbox(page);
  // The nav has the inbox right after Home.
  await expect(pageA.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText([
    "Home",
    "Inbox",
    "Onboarding",
    "Message log",
    "Billing",
    "API keys",
    "Webhooks",
    "Team",
    "Settings",
  ]);

  // A customer writes: it appears in both open inboxes, at the top, unread.
  await simulateReply(owner, "Is my birthday cake ready?");
  for (const page of [pageA, pageB]) {
    const row = conversationRow(page, CUSTOMER);
    await expect(row).toContainText("Is my birthday cake ready?");
    await expect(row.getByTestId("unread-badge")).toHaveText("1 unread");
    await expect(page.getByRole("option").first()).toContainText(CUSTOMER);
  }

  // Opening it reads it: the badge clears.
  await conversationRow(pageA, CUSTOMER).click();
  await expect(pageA).toHaveURL(/contact=%2B14155550123/);
  await expect(pageA.getByRole("log")).toContainText("Is my birthday cake ready?");
  await expect(conversationRow(pageA, CUSTOMER).getByTestId("unread-badge")).toHaveCount(0);

  // The other person opens it too, with the keyboard: into the list, down and up, Enter.
  await pageB.reload();
  await expect(pageB.getByTestId("live-state")).toHaveAttribute("data-state", "live");
  await expect(conversationRow(pageB, CUSTOMER).getByTestId("unread-badge")).toHaveCount(0);
  await pageB.getByRole("searchbox", { name: "Search conversations by number or text" }).focus();
  await pageB.keyboard.press("Tab");
  await expect(pageB.getByRole("option").first()).toBeFocused();
  await pageB.keyboard.press("ArrowDown");
  await expect(pageB.getByRole("option").nth(1)).toBeFocused();
  await pageB.keyboard.press("k");
  await expect(pageB.getByRole("option").first()).toBeFocused();
  await pageB.keyboard.press("Enter");
  await expect(pageB).toHaveURL(/contact=%2B14155550123/);

  // A answers from the reply box; it shows at once for A, and live for B, with its ticks moving on.
  await pageA.getByRole("textbox", { name: `Reply to ${CUSTOMER}` }).fill("Yes! Ready from 5 pm.");
  await pageA.keyboard.press("Enter");
  for (const page of [pageA, pageB]) {
    const reply = page.getByTestId("thread-message").filter({ hasText: "Yes! Ready from 5 pm." });
    await expect(reply).toHaveCount(1);
    await expect(reply.getByTestId("status-tick")).toHaveAttribute("data-status", "READ", { timeout: 15_000 });
    await expect(reply.getByTestId("status-tick")).toContainText("Read");
    await expect(conversationRow(page, CUSTOMER)).toContainText("You: Yes! Ready from 5 pm.");
  }
  await expect(pageA.getByRole("textbox", { name: `Reply to ${CUSTOMER}` })).toHaveValue("");

  // Search narrows the list to what matches.
  await pageA.getByRole("searchbox", { name: "Search conversations by number or text" }).fill("Saturdays");
  await expect(pageA.getByRole("option")).toHaveCount(1);
  await expect(pageA.getByRole("option")).toContainText("+14155550100");
  await pageA.getByRole("searchbox", { name: "Search conversations by number or text" }).fill("");
  await expect(pageA.getByRole("option")).toHaveCount(2);
  await capture(pageA, "inbox");

  // Another company's inbox shows none of it.
  const other = await signUpByApi("Pastry Rivals Ltd", "rival");
  const third = await browser.newContext();
  await useSession(third, other);
  const pageC = await third.newPage();
  await openInbox(pageC);
  await expect(pageC.getByText("No conversations yet")).toBeVisible();
  await simulateReply(owner, "One more question about the cake");
  await expect(conversationRow(pageB, CUSTOMER)).toContainText("One more question about the cake");
  await settled(pageC);
  await expect(pageC.locator("body")).not.toContainText(CUSTOMER);
  await expect(pageC.locator("body")).not.toContainText("cake");
  await capture(pageC, "inbox-empty");
  for (const context of [first, second, third]) await context.close();
});

test("measurement: time from simulateInboundMessage returning to the message showing in the open inbox (100 messages)", async ({ page, context }) => {
  const owner = await signUpByApi("Latency Labs", "owner");
  await connectSandbox(owner, "+8801711000072");
  await simulateReply(owner, "first");
  await useSession(context, owner);
  await page.goto(`/inbox?contact=${encodeURIComponent(CUSTOMER)}`);
  await expect(page.getByTestId("live-state")).toHaveAttribute("data-state", "live");
  await expect(page.getByRole("log")).toContainText("first");
  // The browser notes when each text appears (same machine, same clock as this process).
  await page.evaluate(() => {
    const seen: Record<string, number> = {};
    (window as unknown as { seen: Record<string, number> }).seen = seen;
    new MutationObserver(() => {
      for (const item of document.querySelectorAll("[data-testid=thread-message] p")) {
        const text = item.textContent ?? "";
        if (text.startsWith("latency ") && !(text in seen)) seen[text] = Date.now();
      }
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
  const delays: number[] = [];
  for (let index = 0; index < 100; index++) {
    const text = `latency ${index}`;
    await simulateReply(owner, text);
    const returned = Date.now();
    const shown = await page.waitForFunction((wanted) => (window as unknown as { seen: Record<string, number> }).seen[wanted], text);
    delays.push(Number(await shown.jsonValue()) - returned);
  }
  const sorted = [...delays].sort((a, b) => a - b);
  const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
  console.log(`inbox live latency over ${delays.length} simulated replies: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${sorted.at(-1)} ms`);
});
