import { api, capture, expect, sessionToken, settled, signUpByApi, test, useSession } from "./support/test.ts";

test("a session that ends while you work sends you to log in, then back to the page you were going to", async ({ page, context }) => {
  const account = await signUpByApi("Initech");
  await useSession(context, account);
  await page.goto("/");
  await expect(page.getByText("0 of 4 done")).toBeVisible();

  // The session ends elsewhere: logged out from another tab or device, expired, or revoked.
  await api("mutation { logOut }", {}, await sessionToken(context));

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  await expect(page).toHaveURL("/login?redirect=%2Fsettings&reason=session-ended");
  await expect(page.getByRole("status").filter({ hasText: "Your session ended; log in again." })).toBeVisible();
  // Nothing of the ended session is left on screen.
  await expect(page.getByText("Initech")).toHaveCount(0);
  await capture(page, "login-session-ended");

  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL("/settings");
  await expect(page.getByRole("main").getByText("Initech", { exact: true })).toBeVisible();
  await settled(page);
});

test("opening a page without a valid session goes to log in, keeping the page and its query to come back to", async ({ page, context }) => {
  await page.goto("/api-keys?tab=new");
  await expect(page).toHaveURL("/login?redirect=%2Fapi-keys%3Ftab%3Dnew");
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  // Not logged in is not "your session ended": nothing ended here.
  await expect(page.getByText("Your session ended")).toHaveCount(0);

  // A cookie whose session is gone (expired, revoked) is the same as none.
  await context.addCookies([{ name: "switchboard_session", value: "a-session-that-does-not-exist", url: page.url() }]);
  await page.goto("/team");
  await expect(page).toHaveURL("/login?redirect=%2Fteam");

  // A redirect to another site is ignored: after logging in you land on the dashboard.
  const account = await signUpByApi("Hooli");
  await page.goto("/login?redirect=%2F%2Fevil.example%2Fphish");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL("/");
  await expect(page.getByTestId("current-tenant")).toHaveText("Hooli");
});
