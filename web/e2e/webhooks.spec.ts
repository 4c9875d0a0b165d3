import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import type { Locator, Page } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { api, baseURL, capture, expect, settled, signUpByApi, test, useSession, type Account } from "./support/test.ts";

type Received = { headers: IncomingHttpHeaders; body: string; verified: boolean | null };
type Answer = { status: number; body?: string; headers?: Record<string, string> };

/**
 * A real HTTP receiver in this process, on 127.0.0.1 (global-setup allows private webhook URLs): it
 * records every request and answers as told (200 unless `answer` changes it). Given a secret
 * (`verifyWith`), it checks each request's signature as an integrator's receiver does, and answers 400
 * to one that fails.
 */
async function startReceiver() {
  const received: Received[] = [];
  let answer: Answer = { status: 200, body: "ok" };
  let secret: string | null = null;
  const server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      let verified: boolean | null = null;
      if (secret) {
        try {
          new Webhook(secret).verify(body, request.headers as Record<string, string>);
          verified = true;
        } catch {
          verified = false;
        }
      }
      received.push({ headers: request.headers, body, verified });
      if (verified === false) return void response.writeHead(400, { "content-type": "text/plain" }).end("bad signature");
      response.writeHead(answer.status, { "content-type": "text/plain", ...answer.headers }).end(answer.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/switchboard`,
    received,
    answer: (next: Answer) => void (answer = next),
    verifyWith: (next: string) => void (secret = next),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** Waits (polling, with the expect timeout) until the receiver has `count` requests, and returns the last. */
async function nthRequest(receiver: Receiver, count: number): Promise<Received> {
  await expect.poll(() => receiver.received.length).toBeGreaterThanOrEqual(count);
  return receiver.received[count - 1]!;
}

/** The signed event, checked as a receiver would (the standardwebhooks package); throws on a bad signature. */
const verify = (secret: string, request: Received) => new Webhook(secret).verify(request.body, request.headers as Record<string, string>) as { type: string };

const deliveries = (page: Page) => page.getByRole("list", { name: "Deliveries" }).locator(":scope > li");

async function openDetails(row: Locator) {
  const toggle = row.getByRole("button", { name: "Details", exact: true });
  if ((await toggle.count()) > 0) await toggle.click();
}

async function createEndpointByApi(account: Account, url: string) {
  const { createWebhookEndpoint } = await api<{ createWebhookEndpoint: { secret: string; endpoint: { id: string } } }>(
    "mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id } } }",
    { input: { url, description: "Order updates" } },
    account.token,
  );
  return { id: createWebhookEndpoint.endpoint.id, secret: createWebhookEndpoint.secret };
}

let receiver: Receiver;
test.beforeEach(async () => {
  receiver = await startReceiver();
});
test.afterEach(async () => {
  await receiver.close();
});

test("an owner adds an endpoint, copies its secret, and sees a test event delivered, verified, failed and redelivered", async ({ page, context }) => {
  const owner = await signUpByApi("Acme Hooks");
  await useSession(context, owner);
  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Webhooks" }).click();
  await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
  await expect(page.getByText("No webhook endpoints yet")).toBeVisible();
  await expect(page.getByRole("region", { name: "A receiver in Node.js" })).toContainText('import { Webhook } from "standardwebhooks";');
  await capture(page, "webhooks-empty");

  // A cloud metadata address is refused by the server, in its words, under the URL field.
  const url = page.getByLabel("Endpoint URL");
  await url.fill("http://169.254.169.254/latest/meta-data");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(url).toHaveAccessibleDescription(/not allowed: 169\.254\.169\.254 .*cloud metadata service/);
  await expect(url).toBeFocused();
  await expect(page.getByRole("dialog")).toHaveCount(0);

  await url.fill(receiver.url);
  await page.getByLabel("Description (optional)").fill("Order updates for the shop");
  await page.getByRole("radio", { name: "Only the events I choose" }).check();
  await page.getByRole("checkbox", { name: /Message received/ }).check();
  await page.getByRole("checkbox", { name: /Message failed/ }).check();
  await page.getByRole("button", { name: "Add endpoint" }).click();

  const dialog = page.getByRole("dialog", { name: "Endpoint added: its signing secret" });
  await expect(dialog).toContainText("This is the only time the secret is shown.");
  await expect(dialog).toContainText(receiver.url);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  await dialog.getByRole("button", { name: "Copy secret" }).click();
  await expect(dialog.getByRole("button", { name: "Copied ✓" })).toBeVisible();
  const secret = await page.evaluate(() => navigator.clipboard.readText());
  expect(secret).toMatch(/^whsec_/);
  expect(secret).toBe(await dialog.getByLabel("Signing secret").inputValue());
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toHaveCount(0);
  // Shown once: nowhere on the page any more.
  await expect(page.locator("body")).not.toContainText(secret);
  receiver.verifyWith(secret);

  const row = page.locator(`[data-webhook-endpoint="${receiver.url}"]`);
  await expect(row).toContainText("Enabled");
  await expect(row).toContainText("Order updates for the shop");
  await expect(row).toContainText("Message received, Message failed");
  // From the top: a full-page screenshot of a scrolled page shows the sticky header mid-page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await capture(page, "webhooks");

  // The endpoint's page: nothing delivered yet; a test event arrives, signed with the copied secret.
  await row.getByRole("link", { name: receiver.url }).click();
  await expect(page.getByRole("heading", { name: "Webhook endpoint", level: 1 })).toBeVisible();
  await expect(page.getByText("No deliveries yet")).toBeVisible();
  await page.getByRole("button", { name: "Send test event" }).click();
  const first = await nthRequest(receiver, 1);
  expect(first.verified).toBe(true);
  expect(verify(secret, first)).toMatchObject({ type: "test" });
  expect(() => verify(`whsec_${Buffer.from("not the secret, 32 bytes long!!!").toString("base64")}`, first)).toThrow();

  const delivered = deliveries(page).first();
  await expect(delivered).toHaveAttribute("data-status", "SUCCEEDED");
  await expect(delivered).toContainText("test");
  await expect(delivered).toContainText("1 attempt · last answer HTTP 200");
  await openDetails(delivered);
  await expect(delivered.locator("[data-attempt='1']")).toContainText("HTTP 200");
  await expect(delivered.locator("[data-attempt='1']")).toContainText("ok");
  await expect(delivered.getByLabel("Payload")).toContainText('"type": "test"');
  await expect(delivered).toContainText(first.headers["webhook-id"] as string);

  // A receiver answering 500: the failed attempt shows with its status and the body's start.
  receiver.answer({ status: 500, body: "receiver broke: database down" });
  await page.getByRole("button", { name: "Send test event" }).click();
  const failedRequest = await nthRequest(receiver, 2);
  const failing = deliveries(page).first();
  await expect(failing).toContainText("1 attempt · last answer HTTP 500");
  await expect(failing).toHaveAttribute("data-status", "PENDING");
  await expect(failing).toContainText("next attempt");
  await openDetails(failing);
  await expect(failing.locator("[data-attempt='1']")).toContainText("HTTP 500");
  await expect(failing.locator("[data-attempt='1']")).toContainText("receiver broke: database down");
  await page.evaluate(() => window.scrollTo(0, 0));
  await capture(page, "webhook-deliveries");

  // Fixed, and redelivered: the same event (same webhook-id) succeeds on a second attempt.
  receiver.answer({ status: 200, body: "ok" });
  await failing.getByRole("button", { name: "Redeliver" }).click();
  const redelivered = await nthRequest(receiver, 3);
  expect(redelivered.headers["webhook-id"]).toBe(failedRequest.headers["webhook-id"]);
  expect(redelivered.verified).toBe(true);
  expect(verify(secret, redelivered)).toMatchObject({ type: "test" });
  await expect(failing).toHaveAttribute("data-status", "SUCCEEDED");
  await expect(failing).toContainText("2 attempts · last answer HTTP 200");
  await expect(failing.locator("[data-attempt='2']")).toContainText("HTTP 200");

  // The status filter asks the server for that status only.
  await page.getByRole("group", { name: "Show" }).getByText("Failed", { exact: true }).click();
  await expect(page.getByText("No failed deliveries.")).toBeVisible();
  await page.getByRole("group", { name: "Show" }).getByText("Succeeded", { exact: true }).click();
  await expect(deliveries(page)).toHaveCount(2);
  await settled(page);
});

test("an owner disables and enables, rotates the secret, edits, and deletes an endpoint; another company sees none of it", async ({
  page,
  context,
  browser,
}) => {
  const owner = await signUpByApi("Globex Hooks");
  const endpoint = await createEndpointByApi(owner, receiver.url);
  await useSession(context, owner);
  await page.goto(`/webhooks/${endpoint.id}`);
  await expect(page.getByRole("heading", { name: "Webhook endpoint", level: 1 })).toBeVisible();
  await expect(page.getByRole("main")).toContainText(receiver.url);

  // Disabled: the state says so and no test can be sent; enabled again: it can.
  await page.getByRole("button", { name: "Disable", exact: true }).click();
  await expect(page.getByTestId("endpoint-state")).toHaveText("Disabled: its events wait, and enabling it sends them.");
  await expect(page.getByRole("button", { name: "Send test event" })).toBeDisabled();
  await page.goto("/webhooks");
  await expect(page.locator(`[data-webhook-endpoint="${receiver.url}"]`)).toHaveAttribute("data-enabled", "false");
  await page.goBack();
  await page.getByRole("button", { name: "Enable", exact: true }).click();
  await expect(page.getByTestId("endpoint-state")).toHaveText("Events are sent to this endpoint as they happen.");
  await expect(page.getByRole("button", { name: "Send test event" })).toBeEnabled();

  // Rotating explains the 24 hours, then shows the new secret once; both secrets sign for now.
  await page.getByRole("button", { name: "Rotate secret", exact: true }).click();
  const confirm = page.getByRole("dialog", { name: "Rotate the signing secret?" });
  await expect(confirm).toContainText("keeps signing beside it for 24 hours");
  await confirm.getByRole("button", { name: "Rotate secret" }).click();
  const shown = page.getByRole("dialog", { name: "Your new signing secret" });
  await expect(shown).toContainText("The previous secret keeps signing beside it for 24 hours");
  const rotated = await shown.getByLabel("Signing secret").inputValue();
  expect(rotated).toMatch(/^whsec_/);
  expect(rotated).not.toBe(endpoint.secret);
  await shown.getByRole("button", { name: "Close", exact: true }).click();
  await shown.getByRole("button", { name: "Close without copying" }).click();
  await expect(shown).toHaveCount(0);
  await page.getByRole("button", { name: "Send test event" }).click();
  const signed = await nthRequest(receiver, 1);
  expect(verify(rotated, signed)).toMatchObject({ type: "test" });
  expect(verify(endpoint.secret, signed)).toMatchObject({ type: "test" });
  await expect(deliveries(page).first()).toHaveAttribute("data-status", "SUCCEEDED");

  // Settings: a new description and events, saved and shown.
  const settings = page.getByRole("form", { name: "Endpoint settings" });
  await settings.getByLabel("Description (optional)").fill("Only failures");
  await settings.getByRole("radio", { name: "Only the events I choose" }).check();
  await settings.getByRole("checkbox", { name: /Message failed/ }).check();
  await settings.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("main").locator("header")).toContainText("Only failures");
  await page.reload();
  await expect(page.getByRole("main")).toContainText("Only failures");
  await expect(page.getByRole("form", { name: "Endpoint settings" }).getByRole("checkbox", { name: /Message failed/ })).toBeChecked();

  // Another company: no endpoints, and this one's page is not found.
  const other = await signUpByApi("Umbrella Hooks", "other");
  const otherContext = await browser.newContext();
  await useSession(otherContext, other);
  const otherPage = await otherContext.newPage();
  await otherPage.goto(`${baseURL}/webhooks`);
  await expect(otherPage.getByText("No webhook endpoints yet")).toBeVisible();
  await expect(otherPage.getByText(receiver.url)).toHaveCount(0);
  await otherPage.goto(`${baseURL}/webhooks/${endpoint.id}`);
  await expect(otherPage.getByRole("heading", { name: "Endpoint not found", level: 1 })).toBeVisible();
  const { webhookEndpoints } = await api<{ webhookEndpoints: unknown[] }>("{ webhookEndpoints { id } }", {}, other.token);
  expect(webhookEndpoints).toEqual([]);
  await otherContext.close();

  // Deleting names the URL first; then the list is empty again.
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const remove = page.getByRole("dialog", { name: "Delete this endpoint?" });
  await expect(remove).toContainText(receiver.url);
  await expect(remove).toContainText("This cannot be undone.");
  await remove.getByRole("button", { name: "Delete endpoint" }).click();
  await expect(page).toHaveURL("/webhooks");
  await expect(page.getByText("No webhook endpoints yet")).toBeVisible();
  const after = await api<{ webhookEndpoints: unknown[] }>("{ webhookEndpoints { id } }", {}, owner.token);
  expect(after.webhookEndpoints).toEqual([]);
  await settled(page);
});

test("failed deliveries are recovered since a time, with the count queued", async ({ page, context }) => {
  const owner = await signUpByApi("Hooli Hooks");
  const endpoint = await createEndpointByApi(owner, receiver.url);
  // The receiver ends the retries at once: the delivery is FAILED, not waiting for a retry.
  receiver.answer({ status: 500, body: "gone for maintenance", headers: { "webhook-delivery": "abort-message" } });
  await useSession(context, owner);
  await page.goto(`/webhooks/${endpoint.id}`);
  await page.getByRole("button", { name: "Send test event" }).click();
  await nthRequest(receiver, 1);
  await page.getByRole("group", { name: "Show" }).getByText("Failed", { exact: true }).click();
  await expect(deliveries(page)).toHaveCount(1);
  await expect(deliveries(page).first()).toContainText("the receiver asked to stop retrying");

  receiver.answer({ status: 200, body: "ok" });
  await page.getByRole("button", { name: "Recover failed deliveries" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Queued 1 failed delivery to be delivered again." })).toBeVisible();
  await nthRequest(receiver, 2);
  // The log shows every status again, and the recovered delivery succeeded.
  await expect(deliveries(page).first()).toHaveAttribute("data-status", "SUCCEEDED");
  await expect(deliveries(page).first()).toContainText("2 attempts · last answer HTTP 200");
  await settled(page);
});

test("an endpoint answering 410 Gone is disabled with Switchboard's reason, and enabling it sends again", async ({ page, context }) => {
  const owner = await signUpByApi("Vandelay Hooks");
  const endpoint = await createEndpointByApi(owner, receiver.url);
  receiver.answer({ status: 410, body: "this endpoint is gone" });
  await useSession(context, owner);
  await page.goto(`/webhooks/${endpoint.id}`);
  await page.getByRole("button", { name: "Send test event" }).click();
  await nthRequest(receiver, 1);
  // Seen without reloading: the log's refresh brings the endpoint's state along.
  await expect(page.getByTestId("endpoint-state")).toHaveText(/^Disabled by Switchboard\. The endpoint answered 410 Gone/);
  await expect(page.getByRole("button", { name: "Send test event" })).toBeDisabled();
  await expect(deliveries(page).first()).toHaveAttribute("data-status", "FAILED");
  await page.getByRole("link", { name: "All webhook endpoints" }).click();
  await expect(page.locator(`[data-webhook-endpoint="${receiver.url}"]`)).toContainText("Disabled by Switchboard. The endpoint answered 410 Gone");

  receiver.answer({ status: 200, body: "ok" });
  await page.getByRole("link", { name: receiver.url }).click();
  await page.getByRole("button", { name: "Enable", exact: true }).click();
  await expect(page.getByTestId("endpoint-state")).toHaveText("Events are sent to this endpoint as they happen.");
  await page.getByRole("button", { name: "Send test event" }).click();
  await nthRequest(receiver, 2);
  await expect(deliveries(page).first()).toHaveAttribute("data-status", "SUCCEEDED");
  await settled(page);
});

test("a member is told who manages webhooks instead of getting buttons that would fail", async ({ page, context }) => {
  const owner = await signUpByApi("Initech Hooks");
  const endpoint = await createEndpointByApi(owner, receiver.url);
  const member = await signUpByApi("Member's own company", "member");
  await api(
    "mutation ($input: InviteTeamMemberInput!) { inviteTeamMember(input: $input) { id } }",
    { input: { email: member.email, role: "MEMBER" } },
    owner.token,
  );
  const { myInvitations } = await api<{ myInvitations: { id: string }[] }>("{ myInvitations { id } }", {}, member.token);
  await api("mutation ($id: ID!) { acceptInvitation(id: $id) { role } }", { id: myInvitations[0]!.id }, member.token);

  await useSession(context, member);
  await page.addInitScript((tenantId) => localStorage.setItem("switchboard.tenantId", tenantId), owner.tenantId);
  await page.goto("/webhooks");
  await expect(page.getByTestId("current-tenant")).toHaveText("Initech Hooks");
  await expect(page.getByRole("heading", { name: "Webhooks are managed by owners and admins" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Add endpoint" })).toHaveCount(0);
  await page.goto(`/webhooks/${endpoint.id}`);
  await expect(page.getByRole("heading", { name: "Webhooks are managed by owners and admins" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Send test event" })).toHaveCount(0);
  await capture(page, "webhooks-member");
});
