import { api, capture, expect, PASSWORD, settled, signUpByApi, test, uniqueEmail, useSession } from "./support/test.ts";

test("two companies signed up in two browsers each see only their own name", async ({ browser }) => {
  const companies = ["Northwind Traders", "Globex Corporation"] as const;
  const pages = await Promise.all(companies.map(async () => (await browser.newContext()).newPage()));
  for (const [index, page] of pages.entries()) {
    await page.goto("/signup");
    await page.getByLabel("Company name").fill(companies[index]!);
    await page.getByLabel("Work email").fill(uniqueEmail("owner"));
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL("/onboarding");
  }
  for (const [index, page] of pages.entries()) {
    const own = companies[index]!;
    const other = companies[1 - index]!;
    for (const path of ["/", "/settings"]) {
      await page.goto(path);
      await expect(page.getByTestId("current-tenant")).toHaveText(own);
      await settled(page);
      await expect(page.locator("body")).not.toContainText(other);
    }
    await expect(page.getByRole("main").getByText(own, { exact: true })).toBeVisible();
    await page.context().close();
  }
});

test("a person in two companies switches between them: the choice is kept, sent as X-Tenant-Id, and shows only that company", async ({ page, context }) => {
  const ana = await signUpByApi("Umbrella Logistics", "ana");
  const bob = await signUpByApi("Stark Couriers", "bob");
  // Bob invites Ana to his company as a member; she accepts.
  await api("mutation ($input: InviteTeamMemberInput!) { inviteTeamMember(input: $input) { id } }", { input: { email: ana.email, role: "MEMBER" } }, bob.token);
  const { myInvitations } = await api<{ myInvitations: { id: string }[] }>("{ myInvitations { id } }", {}, ana.token);
  await api("mutation ($id: ID!) { acceptInvitation(id: $id) { role } }", { id: myInvitations[0]!.id }, ana.token);

  await useSession(context, ana);
  await page.goto("/");
  // Her first company is the default; as its owner she sees every set-up step.
  await expect(page.getByTestId("current-tenant")).toHaveText("Umbrella Logistics");
  await expect(page.getByText("0 of 4 done")).toBeVisible();

  await page.getByRole("button", { name: "Company: Umbrella Logistics. Switch company" }).click();
  await expect(page.getByRole("menuitemradio", { name: /Umbrella Logistics/ })).toHaveAttribute("aria-checked", "true");
  await capture(page, "tenant-switcher");
  const switched = page.waitForRequest((request) => request.url().endsWith("/graphql") && request.headers()["x-tenant-id"] === bob.tenantId);
  await page.getByRole("menuitemradio", { name: /Stark Couriers/ }).click();
  await switched;
  await expect(page.getByTestId("current-tenant")).toHaveText("Stark Couriers");
  await expect(page.getByRole("region", { name: /Notifications/ }).getByText("Now acting for Stark Couriers")).toBeVisible();
  // A member there: the steps only owners and admins take are shown as theirs.
  await expect(page.getByText("0 of 2 done")).toBeVisible();
  await expect(page.locator('[data-step="api-key"]')).toHaveAttribute("data-done", "null");
  await expect(page.locator("main")).not.toContainText("Umbrella Logistics");
  await capture(page, "home-member");

  // Kept in this browser: a reload, or a page opened directly, acts for the same company.
  await page.goto("/settings");
  await expect(page.getByTestId("current-tenant")).toHaveText("Stark Couriers");
  await expect(page.getByRole("main").getByText("Stark Couriers", { exact: true })).toBeVisible();
  await expect(page.locator("body")).not.toContainText("Umbrella Logistics");

  await page.getByRole("button", { name: "Company: Stark Couriers. Switch company" }).click();
  await page.getByRole("menuitemradio", { name: /Umbrella Logistics/ }).click();
  await expect(page).toHaveURL("/");
  await expect(page.getByText("0 of 4 done")).toBeVisible();
  await settled(page);
});
