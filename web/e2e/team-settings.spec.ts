import { capture, expect, PASSWORD, settled, test, uniqueEmail } from "./support/test.ts";

test("an owner connects a sandbox number in settings, invites a colleague who accepts in their own browser, and changes their role", async ({
  page,
  browser,
}) => {
  // The owner signs up.
  await page.goto("/signup");
  await page.getByLabel("Company name").fill("Initech Couriers");
  await page.getByLabel("Work email").fill(uniqueEmail("owner"));
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL("/onboarding");

  // Settings: nothing connected yet; connect the sandbox.
  await page.goto("/settings");
  await expect(page.getByRole("main").getByText("Initech Couriers", { exact: true })).toBeVisible();
  await expect(page.getByText("No number is connected yet")).toBeVisible();
  await capture(page, "settings-not-connected");
  // A refusal of the number goes under the field, in the server's words.
  await page.getByLabel("WhatsApp number", { exact: true }).fill("12");
  await page.getByLabel("Use the sandbox instead of Rapiwa").check();
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(page.getByLabel("WhatsApp number", { exact: true })).toHaveAccessibleDescription(/not a (possible )?phone number/);
  await page.getByLabel("WhatsApp number", { exact: true }).fill("+8801711000042");
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(page.getByTestId("connection-status")).toHaveText("CONNECTED");
  await expect(page.getByRole("main").getByText("+8801711000042", { exact: true })).toBeVisible();
  await expect(page.getByText("Sandbox (nothing is really sent)")).toBeVisible();
  const inboundUrl = page.getByTestId("inbound-url");
  await expect(inboundUrl).toContainText("/webhooks/");
  const firstUrl = await inboundUrl.textContent();
  await capture(page, "settings-connected");

  // Rotating asks first, then shows another URL.
  await page.getByRole("button", { name: "New URL" }).click();
  await expect(page.getByRole("dialog", { name: "Make a new inbound URL?" })).toContainText("stops working at once");
  await capture(page, "settings-rotate-dialog");
  await page.getByRole("button", { name: "Make a new URL" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(inboundUrl).not.toHaveText(firstUrl!);

  // The team: the owner alone; invite a colleague as a member.
  await page.goto("/team");
  const colleague = uniqueEmail("colleague");
  await expect(page.getByTestId("team-member")).toHaveCount(1);
  await expect(page.getByText("You are the only owner")).toBeVisible();
  await expect(page.getByRole("button", { name: "Leave the company" })).toBeDisabled();
  await page.getByLabel("Email address").fill(colleague);
  await page.getByLabel("Role", { exact: true }).selectOption("MEMBER");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByTestId("team-invitation").filter({ hasText: colleague })).toContainText("Member");
  await capture(page, "team-owner");

  // The colleague signs up with the invited email in another browser and accepts on their team page.
  const colleagueContext = await browser.newContext();
  const colleaguePage = await colleagueContext.newPage();
  await colleaguePage.goto("/signup");
  await colleaguePage.getByLabel("Company name").fill("Colleague's Sandbox");
  await colleaguePage.getByLabel("Work email").fill(colleague);
  await colleaguePage.getByLabel("Password").fill(PASSWORD);
  await colleaguePage.getByRole("button", { name: "Create account" }).click();
  await expect(colleaguePage).toHaveURL("/onboarding");
  await colleaguePage.goto("/team");
  const invitation = colleaguePage.getByTestId("my-invitation");
  await expect(invitation).toContainText("Initech Couriers invites you to join as member");
  await capture(colleaguePage, "team-my-invitation");
  await colleaguePage.getByRole("button", { name: "Join Initech Couriers" }).click();
  await expect(invitation).toHaveCount(0);
  await colleaguePage.getByRole("button", { name: /Switch company/ }).click();
  await colleaguePage.getByRole("menuitemradio", { name: /Initech Couriers/ }).click();
  await expect(colleaguePage.getByTestId("current-tenant")).toHaveText("Initech Couriers");
  await colleaguePage.goto("/team");
  const ownRow = colleaguePage.getByTestId("team-member").filter({ hasText: colleague });
  await expect(ownRow.getByTestId("member-role")).toHaveText("Member");
  // A member changes nothing, and is told who can.
  await expect(colleaguePage.getByText("As a member you see the team")).toBeVisible();
  await expect(colleaguePage.getByRole("combobox")).toHaveCount(0);
  await expect(colleaguePage.getByRole("button", { name: "Send invitation" })).toHaveCount(0);
  await capture(colleaguePage, "team-member-view");
  // Members see the connection but not its secret inbound URL.
  await colleaguePage.goto("/settings");
  await expect(colleaguePage.getByTestId("connection-status")).toHaveText("CONNECTED");
  await expect(colleaguePage.getByTestId("inbound-url")).toHaveCount(0);
  await expect(colleaguePage.getByText("Owners and admins connect, disconnect and configure the number")).toBeVisible();

  // The owner sees them join and makes them an admin.
  await page.reload();
  const row = page.getByTestId("team-member").filter({ hasText: colleague });
  await expect(row.getByTestId("member-role")).toHaveText("Member");
  await expect(page.getByTestId("team-invitation")).toHaveCount(0);
  await row.getByRole("combobox", { name: `Role of ${colleague}` }).selectOption("ADMIN");
  await row.getByRole("button", { name: "Change role" }).click();
  await expect(row.getByTestId("member-role")).toHaveText("Admin");

  // The colleague sees the new role.
  await colleaguePage.goto("/team");
  await expect(ownRow.getByTestId("member-role")).toHaveText("Admin");
  await expect(colleaguePage.getByText("As an admin you manage admins and members")).toBeVisible();
  // An admin cannot touch the owner, and is told why.
  const ownerRow = colleaguePage.getByTestId("team-member").filter({ hasNotText: colleague });
  await expect(ownerRow.getByTestId("member-rule")).toHaveText("Only an owner can change or remove an owner.");
  await expect(colleaguePage.getByLabel("Role", { exact: true }).locator("option")).toHaveText(["Admin", "Member"]);
  await settled(colleaguePage);

  // The owner removes them, after confirming.
  await row.getByRole("button", { name: `Remove ${colleague}` }).click();
  await expect(page.getByRole("dialog", { name: `Remove ${colleague}?` })).toBeVisible();
  await capture(page, "team-remove-dialog");
  await page.getByRole("button", { name: "Remove admin" }).click();
  await expect(page.getByTestId("team-member")).toHaveCount(1);

  // Disconnecting asks first and says what happens to queued messages.
  await page.goto("/settings");
  await page.getByRole("button", { name: "Disconnect" }).click();
  await expect(page.getByRole("dialog")).toContainText("Messages waiting to be sent from it fail");
  await page.getByRole("dialog").getByRole("button", { name: "Disconnect" }).click();
  await expect(page.getByTestId("connection-status")).toHaveText("DISCONNECTED");
  await expect(page.getByRole("button", { name: "Reconnect" })).toBeVisible();
  await expect(page.getByLabel("WhatsApp number", { exact: true })).toHaveValue("+8801711000042");
  await capture(page, "settings-disconnected");
  await colleagueContext.close();
});
