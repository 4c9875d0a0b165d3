import { api, capture, expect, PASSWORD, sessionToken, settled, signUpByApi, test, uniqueEmail, useSession, baseURL } from "./support/test.ts";

const NUMBER = "8801712345678";

/** What an integrator's code does with the key: one REST send from this (Node) process. */
const sendWithKey = (secret: string, idempotencyKey: string) =>
  fetch(`${baseURL}/api/v1/send-message`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json", "idempotency-key": idempotencyKey },
    body: JSON.stringify({ number: NUMBER, message: "Your order #1042 has shipped." }),
  });

const sendWithKeyByGraphQL = async (secret: string) => {
  const response = await fetch(`${baseURL}/graphql`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: JSON.stringify({
      query: "mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id status } }",
      variables: { input: { to: NUMBER, text: "Hello" } },
    }),
  });
  return (await response.json()) as { data?: { sendMessage: { status: string } } | null; errors?: { extensions: { code: string } }[] };
};

test("an owner creates a key, copies it, sends with it from code, revokes it, and the same request is refused", async ({ page, context }) => {
  await page.goto("/signup");
  await page.getByLabel("Company name").fill("Acme Deliveries");
  await page.getByLabel("Work email").fill(uniqueEmail("owner"));
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  // Sign-up opens the onboarding wizard; this test connects through the API instead.
  await expect(page).toHaveURL("/onboarding");
  // A sandbox number (NODE_ENV=development), connected with the browser's own session, so sends are accepted.
  await api(
    "mutation ($input: ConnectWhatsAppInput!) { connectWhatsApp(input: $input) { status } }",
    { input: { apiKey: "sandbox_e2e", number: NUMBER } },
    await sessionToken(context),
  );

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API keys" }).click();
  await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();
  await expect(page.getByText("No API keys yet")).toBeVisible();
  await expect(page.getByRole("region", { name: "REST with curl" })).toContainText(`curl -X POST ${baseURL}/api/v1/send-message`);
  await capture(page, "api-keys-empty");

  // The form says what is missing, under its field.
  await page.getByRole("checkbox", { name: /Send messages/ }).uncheck();
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByLabel("Name")).toBeFocused();
  await expect(page.getByLabel("Name")).toHaveAccessibleDescription(/Give the key a name/);
  await expect(page.getByRole("group", { name: "What the key may do" })).toHaveAccessibleDescription("Choose at least one thing the key may do.");
  await capture(page, "api-keys-form-errors");

  await page.getByLabel("Name").fill("Shop backend");
  await page.getByRole("checkbox", { name: /Send messages/ }).check();
  await page.getByRole("button", { name: "Create key" }).click();

  const dialog = page.getByRole("dialog", { name: "Your new key: Shop backend" });
  await expect(dialog).toContainText("This is the only time the key is shown.");
  const secret = await dialog.getByLabel("Secret key").inputValue();
  expect(secret).toMatch(/^swb_/);
  // Closing before copying asks first.
  await page.keyboard.press("Escape");
  await expect(dialog.getByRole("alert")).toContainText("You have not copied the key.");
  await dialog.getByRole("button", { name: "Keep it open" }).click();
  await capture(page, "api-keys-secret");

  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  await dialog.getByRole("button", { name: "Copy key" }).click();
  await expect(dialog.getByRole("button", { name: "Copied ✓" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toHaveCount(0);

  const row = page.locator(`[data-api-key="${secret.slice(0, 12)}"]`);
  await expect(row).toContainText("Shop backend");
  await expect(row).toContainText("Active");
  await expect(row).toContainText("never used");
  // The examples carry the new secret while the page stays open.
  await expect(page.getByRole("region", { name: "REST with curl" })).toContainText(`Bearer ${secret}`);
  await expect(page.getByRole("region", { name: "GraphQL with curl" })).toContainText("sendMessage");
  await capture(page, "api-keys-with-key");

  // The integrator's code sends with the key: accepted.
  const accepted = await sendWithKey(secret, "e2e-order-1042");
  expect(accepted.status).toBe(202);
  expect(await accepted.json()).toMatchObject({ success: true, status: "QUEUED" });
  expect((await sendWithKeyByGraphQL(secret)).data?.sendMessage.status).toBe("QUEUED");
  // The list says when the key was last used (written as the request is authenticated; fetched again on reload).
  await expect(async () => {
    await page.reload();
    await expect(row).toContainText("last used", { timeout: 1_000 });
  }).toPass();

  await row.getByRole("button", { name: "Revoke Shop backend" }).click();
  const confirm = page.getByRole("dialog", { name: "Revoke “Shop backend”?" });
  await expect(confirm).toContainText("This cannot be undone");
  await capture(page, "api-keys-revoke");
  await confirm.getByRole("button", { name: "Revoke key" }).click();
  await expect(confirm).toHaveCount(0);
  await expect(row).toHaveAttribute("data-revoked", "true");
  await expect(row).toContainText("Revoked");
  await expect(row.getByRole("button")).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Your keys" })).toBeFocused();

  // The same requests are now refused.
  const refused = await sendWithKey(secret, "e2e-order-1043");
  expect(refused.status).toBe(401);
  expect(await refused.json()).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
  expect((await sendWithKeyByGraphQL(secret)).errors?.[0]?.extensions.code).toBe("UNAUTHENTICATED");
  await settled(page);
});

test("a member is told who manages keys instead of getting a button that would fail", async ({ page, context }) => {
  const owner = await signUpByApi("Initech Couriers");
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
  await page.goto("/api-keys");
  await expect(page.getByTestId("current-tenant")).toHaveText("Initech Couriers");
  await expect(page.getByRole("heading", { name: "Keys are managed by owners and admins" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Create key" })).toHaveCount(0);
  await expect(page.getByRole("region", { name: "REST with curl" })).toContainText("Bearer swb_...");
  await capture(page, "api-keys-member");
});
