import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { api, expect, signUpByApi, test, useSession } from "./support/test.ts";

const CUSTOMER = "+14155550177";

// Dashboard part 2 in one go: a customer's reply shows up live in the inbox, goes to the company's webhook
// receiver, is in that endpoint's delivery log as delivered, and the message log finds it; each part is
// tested in depth by its own spec (inbox, webhooks, message-log-billing).
test("a customer's reply: live in the open inbox, delivered to the company's webhook receiver and shown so in the delivery log, found in the message log", async ({
  page,
  context,
}) => {
  const received: { body: string }[] = [];
  const receiver = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      received.push({ body });
      response.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

  const owner = await signUpByApi("Harbour Florists", "owner");
  await api(
    "mutation ($input: ConnectWhatsAppInput!) { connectWhatsApp(input: $input) { status } }",
    { input: { apiKey: "sandbox_e2e_story2", number: "+8801711000091" } },
    owner.token,
  );
  const { createWebhookEndpoint } = await api<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
    "mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }",
    { input: { url: receiverUrl, events: ["MESSAGE_RECEIVED"], description: "Shop backend" } },
    owner.token,
  );

  await useSession(context, owner);
  await page.goto("/inbox");
  await expect(page.getByTestId("live-state")).toHaveAttribute("data-state", "live");

  const text = `Can you add a card to order 88? ${Date.now().toString(36)}`;
  await api("mutation ($from: String!, $text: String!) { simulateInboundMessage(from: $from, text: $text) { id } }", { from: CUSTOMER, text }, owner.token);

  // Live in the inbox, unread, without a reload.
  const row = page.getByRole("option").filter({ has: page.getByText(CUSTOMER, { exact: true }) });
  await expect(row).toContainText(text);
  await expect(row.getByTestId("unread-badge")).toHaveText("1 unread");

  // At the receiver, and in the endpoint's delivery log as delivered.
  await expect.poll(() => received.filter((request) => request.body.includes(text)).length).toBe(1);
  await page.goto(`/webhooks/${createWebhookEndpoint.endpoint.id}`);
  const delivery = page.getByRole("list", { name: "Deliveries" }).locator(":scope > li").first();
  await expect(delivery).toHaveAttribute("data-status", "SUCCEEDED");
  await expect(delivery).toContainText("message.received");
  await expect(delivery).toContainText("last answer HTTP 200");

  // The message log finds it by its text.
  await page.goto(`/messages?q=${encodeURIComponent("add a card to order 88")}`);
  await expect(page.getByRole("button", { name: text })).toBeVisible();

  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});
