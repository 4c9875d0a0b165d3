import { api, capture, expect, PASSWORD, sessionToken, settled, signUpByApi, test, uniqueEmail, useSession } from "./support/test.ts";

test("two companies signed up in two browsers: each sees only its own name, number, keys, team and messages", async ({ browser }) => {
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

  // Each company connects a number, sends a message, makes an API key and invites someone: all its own.
  const marks = await Promise.all(
    pages.map(async (page, index) => {
      const token = await sessionToken(page.context());
      const mark = {
        company: companies[index]!,
        number: `+88017110000${index + 10}`,
        contact: `+1415555${index + 1}000`,
        text: `Your parcel ${index === 0 ? "NW" : "GX"}-4711 is on its way`,
        keyName: `${companies[index]} deploy key`,
        invited: uniqueEmail(`dispatch${index}`),
        keyPrefix: "",
      };
      await api(
        "mutation ($input: ConnectWhatsAppInput!) { connectWhatsApp(input: $input) { id } }",
        { input: { number: mark.number, apiKey: "sandbox_e2e" } },
        token,
      );
      await api("mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id } }", { input: { to: mark.contact, text: mark.text } }, token);
      const { createApiKey } = await api<{ createApiKey: { apiKey: { prefix: string } } }>(
        "mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { prefix } } }",
        { input: { name: mark.keyName, scopes: ["MESSAGES_SEND"] } },
        token,
      );
      mark.keyPrefix = createApiKey.apiKey.prefix;
      await api(
        "mutation ($input: InviteTeamMemberInput!) { inviteTeamMember(input: $input) { id } }",
        { input: { email: mark.invited, role: "MEMBER" } },
        token,
      );
      return mark;
    }),
  );

  const pagesShowing = {
    "/": (mark: (typeof marks)[number]) => mark.company,
    "/settings": (mark: (typeof marks)[number]) => mark.number,
    "/api-keys": (mark: (typeof marks)[number]) => mark.keyName,
    "/team": (mark: (typeof marks)[number]) => mark.invited,
    // The wizard resumes where each browser left it; what it always shows is that this company is connected.
    "/onboarding": () => "WhatsApp (done)",
  };
  for (const [index, page] of pages.entries()) {
    const own = marks[index]!;
    const other = marks[1 - index]!;
    for (const [path, shown] of Object.entries(pagesShowing)) {
      await page.goto(path);
      await expect(page.getByTestId("current-tenant")).toHaveText(own.company);
      // The page shows this company's own data (so a blank page could not pass)...
      await expect(page.getByRole("main")).toContainText(shown(own));
      await settled(page);
      // ...and nothing of the other's.
      for (const value of [other.company, other.number, other.keyName, other.keyPrefix, other.invited, other.contact, other.text]) {
        await expect(page.locator("body"), `${path} of ${own.company}`).not.toContainText(value);
      }
    }
    // Its API answers likewise: only its own message and conversation.
    const token = await sessionToken(page.context());
    const { messages, conversations } = await api<{
      messages: { edges: { node: { text: string } }[] };
      conversations: { edges: { node: { contact: string } }[] };
    }>("{ messages { edges { node { text } } } conversations { edges { node { contact } } } }", {}, token);
    expect(messages.edges.map((edge) => edge.node.text)).toEqual([own.text]);
    expect(conversations.edges.map((edge) => edge.node.contact)).toEqual([own.contact]);
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
