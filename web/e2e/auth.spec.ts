import { capture, expect, expectAccessible, PASSWORD, settled, test, uniqueEmail } from "./support/test.ts";

const SECTIONS = [
  { link: "Onboarding", path: "/onboarding", heading: "Onboarding", screenshot: "onboarding" },
  { link: "API keys", path: "/api-keys", heading: "API keys", screenshot: "api-keys" },
  { link: "Team", path: "/team", heading: "Team", screenshot: "team" },
  { link: "Settings", path: "/settings", heading: "Settings", screenshot: "settings" },
] as const;

test("sign up, land on home, visit every section, log out, and log in again back where you were", async ({ page }) => {
  const email = uniqueEmail("ana");

  await page.goto("/signup");
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
  // The server's password rules are there before anything is typed.
  await expect(page.getByText("At least 12 characters")).toBeVisible();
  await capture(page, "signup");

  // Each field says what is wrong with it, under it; focus goes to the first.
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByLabel("Company name")).toBeFocused();
  await expect(page.getByLabel("Company name")).toHaveAccessibleDescription(/Enter your company's name/);
  await page.getByLabel("Company name").fill("Acme Deliveries");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill("too short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByLabel("Password")).toHaveAccessibleDescription(/Use at least 12 characters/);
  await capture(page, "signup-errors");

  // The server's own refusal (a common password) lands under the field it is about.
  await page.getByLabel("Password").fill("password1234");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByLabel("Password")).toHaveAccessibleDescription(/too common or too easy to guess/);

  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  // A new company starts at the set-up wizard (onboarding.spec.ts); Home is one link away.
  await expect(page).toHaveURL("/onboarding");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home" }).click();
  await expect(page).toHaveURL("/");
  await expect(page.getByRole("heading", { name: "Home", level: 1 })).toBeVisible();
  await expect(page.getByTestId("current-tenant")).toHaveText("Acme Deliveries");
  await expect(page.getByText("0 of 4 done")).toBeVisible();
  await expect(page.locator('[data-step="connect"]')).toHaveAttribute("data-done", "false");
  await capture(page, "home");

  for (const section of SECTIONS) {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: section.link }).click();
    await expect(page).toHaveURL(section.path);
    await expect(page.getByRole("heading", { name: section.heading, level: 1 })).toBeVisible();
    await expect(page).toHaveTitle(`${section.heading} · Switchboard`);
    await capture(page, section.screenshot);
  }
  await expect(page.getByText("Acme Deliveries").last()).toBeVisible(); // the settings' company name, from the API

  // The navigation on a phone: a menu button opens it, Escape closes it.
  await page.setViewportSize({ width: 375, height: 812 });
  await page.getByRole("button", { name: "Open navigation" }).click();
  await expect(page.getByRole("dialog").getByRole("link", { name: "Team" })).toBeVisible();
  await expectAccessible(page, "the phone navigation");
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Open navigation" })).toBeFocused();
  await page.getByRole("button", { name: "Open navigation" }).click();
  await page.getByRole("dialog").getByRole("link", { name: "Home" }).click();
  await expect(page.getByRole("heading", { name: "Home", level: 1 })).toBeVisible();
  // Focus starts at the new page, as it does after any navigation.
  await expect(page.getByRole("main")).toBeFocused();
  await page.setViewportSize({ width: 1280, height: 800 });

  // From the keyboard, the first stop skips the header and navigation.
  await page.reload();
  await expect(page.getByText("0 of 4 done")).toBeVisible();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("main")).toBeFocused();

  await page.getByRole("button", { name: `Account menu for ${email}` }).click();
  await page.getByRole("menuitem", { name: "Log out" }).click();
  await expect(page).toHaveURL("/login?reason=logged-out");
  await expect(page.getByText("You have logged out.")).toBeVisible();
  await capture(page, "login");

  // Logged out for real: a page of the dashboard sends you to log in, and back there after.
  await page.goto("/team");
  await expect(page).toHaveURL("/login?redirect=%2Fteam");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert")).toContainText("Wrong email or password.");
  await capture(page, "login-error");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL("/team");
  await expect(page.getByRole("heading", { name: "Team", level: 1 })).toBeVisible();
  await settled(page);
});
