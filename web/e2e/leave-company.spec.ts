import { api, capture, expect, settled, signUpByApi, test, useSession } from "./support/test.ts";

test("someone who leaves their only company sees how to get back in, and is back once they accept a new invitation", async ({ page, context }) => {
  // Ana founded Acme; Carol (who has a company of her own) joins it as an owner, so Ana may leave.
  const ana = await signUpByApi("Acme Parcels", "ana");
  const carol = await signUpByApi("Carol's Cakes", "carol");
  const invite = (email: string) =>
    api("mutation ($input: InviteTeamMemberInput!) { inviteTeamMember(input: $input) { id } }", { input: { email, role: "OWNER" } }, ana.token);
  const acceptAll = async (token: string) => {
    const { myInvitations } = await api<{ myInvitations: { id: string }[] }>("{ myInvitations { id } }", {}, token);
    for (const { id } of myInvitations) await api("mutation ($id: ID!) { acceptInvitation(id: $id) { role } }", { id }, token);
  };
  await invite(carol.email);
  await acceptAll(carol.token);

  await useSession(context, ana);
  await page.goto("/team");
  await expect(page.getByTestId("team-member")).toHaveCount(2);
  await page.getByRole("button", { name: "Leave the company" }).click();
  await page.getByRole("dialog", { name: "Leave Acme Parcels?" }).getByRole("button", { name: "Leave", exact: true }).click();

  // No company left: every page says so, instead of loading forever or failing.
  await expect(page.getByRole("heading", { level: 1, name: "You are not in any company" })).toBeVisible();
  await expect(page.getByTestId("current-tenant")).toHaveText("No company");
  await expect(page.getByRole("main")).toContainText(ana.email);
  await expect(page.getByRole("navigation", { name: "Main" })).toHaveCount(0);
  await page.goto("/settings");
  await expect(page.getByRole("heading", { level: 1, name: "You are not in any company" })).toBeVisible();
  await expect(page.locator("body")).not.toContainText("Acme Parcels");
  await settled(page);
  await capture(page, "no-company");

  // Carol, now an owner of Acme, invites her back; the invitation appears and accepting opens Acme again.
  await api(
    "mutation ($input: InviteTeamMemberInput!) { inviteTeamMember(input: $input) { id } }",
    { input: { email: ana.email, role: "ADMIN" } },
    carol.token,
    ana.tenantId,
  );
  await page.reload();
  await expect(page.getByTestId("my-invitation")).toContainText("Acme Parcels invites you to join as admin");
  await page.getByRole("button", { name: "Join Acme Parcels" }).click();
  await expect(page.getByTestId("current-tenant")).toHaveText("Acme Parcels");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await page.goto("/team");
  await expect(page.getByTestId("team-member").filter({ hasText: ana.email }).getByTestId("member-role")).toHaveText("Admin");
});
