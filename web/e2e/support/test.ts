import { AxeBuilder } from "@axe-core/playwright";
import { test as base, expect, type BrowserContext, type Page } from "@playwright/test";
import { mkdir } from "node:fs/promises";
import path from "node:path";

export { expect };

/** Where global-setup.ts started the server (test workers inherit its environment). */
export const baseURL = process.env.E2E_BASE_URL!;
/** The fake Rapiwa the server sends real (non-sandbox) keys to; driven through its /__fake/* routes. */
export const fakeRapiwaURL = process.env.E2E_FAKE_RAPIWA_URL!;

/** Changes how the fake Rapiwa answers (server/fakes/fake-rapiwa.ts, FakeRapiwaConfig), e.g. `{ rejectedKeys: [...] }`. */
export async function configureFakeRapiwa(patch: Record<string, unknown>) {
  const response = await fetch(`${fakeRapiwaURL}/__fake/config`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(patch),
  });
  if (!response.ok) throw new Error(`the fake Rapiwa refused the config: ${await response.text()}`);
}

/** Every send request the fake Rapiwa got, refused ones too, oldest first (server/fakes/fake-rapiwa.ts, FakeAttempt). */
export async function fakeRapiwaAttempts(): Promise<{ apiKey: string | null; number: string | null; status: number; error: string | null }[]> {
  return (await (await fetch(`${fakeRapiwaURL}/__fake/attempts`)).json()) as {
    apiKey: string | null;
    number: string | null;
    status: number;
    error: string | null;
  }[];
}

export const test = base.extend({
  baseURL: async ({}, use) => {
    await use(baseURL);
  },
});

export const PASSWORD = "a long passphrase for tests";

let counter = 0;
/** An email nobody has used in this run (the database is new each run; the suffix keeps tests apart). */
export const uniqueEmail = (who: string) => `${who}-${Date.now().toString(36)}${(counter++).toString(36)}@example.test`;

/**
 * One GraphQL call from Node (set-up steps a test does not need the browser for); errors fail the test.
 * `tenantId`: the company to act for (X-Tenant-Id), for people in several.
 */
export async function api<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, token?: string, tenantId?: string): Promise<T> {
  const response = await fetch(`${baseURL}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(tenantId ? { "x-tenant-id": tenantId } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(`set-up call failed: ${JSON.stringify(body)}`);
  return body.data;
}

export type Account = { email: string; password: string; token: string; tenantId: string; companyName: string };

let signUps = 0;
/**
 * Each set-up sign-up comes from an address of its own (X-Forwarded-For; global-setup runs the server
 * with TRUST_PROXY=true): the server allows 20 sign-ups per address per hour, fewer than the suite makes.
 */
const signUpAddress = () => `198.18.${Math.floor(signUps / 250) % 250}.${(signUps++ % 250) + 1}`;

export async function signUpByApi(companyName: string, who = "owner"): Promise<Account> {
  const email = uniqueEmail(who);
  const response = await fetch(`${baseURL}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": signUpAddress() },
    body: JSON.stringify({
      query: "mutation ($input: SignUpInput!) { signUp(input: $input) { token tenant { id } } }",
      variables: { input: { email, password: PASSWORD, companyName } },
    }),
  });
  const body = (await response.json()) as { data?: { signUp: { token: string; tenant: { id: string } } }; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(`sign-up failed: ${JSON.stringify(body)}`);
  const { signUp } = body.data;
  return { email, password: PASSWORD, token: signUp.token, tenantId: signUp.tenant.id, companyName };
}

/** Logs the browser context in as `account`, as logging in would: the session cookie. */
export async function useSession(context: BrowserContext, account: Account) {
  await context.addCookies([{ name: "switchboard_session", value: account.token, url: baseURL, httpOnly: true, sameSite: "Lax" }]);
}

/** The session cookie the browser holds now (the dashboard never sees it: httpOnly). */
export async function sessionToken(context: BrowserContext): Promise<string> {
  const cookie = (await context.cookies(baseURL)).find((candidate) => candidate.name === "switchboard_session");
  if (!cookie) throw new Error("the browser holds no session cookie");
  return cookie.value;
}

/** No serious or critical WCAG 2.1 A/AA violation on the page as it is now (axe-core). */
export async function expectAccessible(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const blocking = results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.impact} ${violation.id}: ${violation.help} at ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
  expect(blocking, `accessibility of ${what}`).toEqual([]);
}

const SCREENSHOTS = path.resolve(import.meta.dirname, "../screenshots");
export const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 375, height: 812 } } as const;

/** Waits until nothing on the page is loading (no skeletons or busy regions) and the network is quiet. */
export async function settled(page: Page) {
  await expect(page.locator("[aria-busy=true]")).toHaveCount(0);
  // The inbox holds its live stream (/graphql/stream) open for as long as it is shown, so the network
  // never goes idle there: it is settled once the stream is live and nothing is loading.
  if ((await page.getByTestId("live-state").count()) > 0) {
    await expect(page.getByTestId("live-state")).toHaveAttribute("data-state", "live");
    await expect(page.locator("[data-testid$=-loading]")).toHaveCount(0);
    await page.waitForLoadState("load");
    return;
  }
  await page.waitForLoadState("networkidle");
}

/**
 * Screenshots of the page at desktop and phone width (e2e/screenshots/<viewport>/<name>.png, whole
 * page), each checked with axe at that width, then back to desktop.
 */
export async function capture(page: Page, name: string) {
  for (const [viewport, size] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(size);
    await settled(page);
    await expectAccessible(page, `${name} at ${viewport} width`);
    await mkdir(path.join(SCREENSHOTS, viewport), { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, viewport, `${name}.png`), fullPage: true, animations: "disabled", caret: "hide" });
  }
  await page.setViewportSize(VIEWPORTS.desktop);
}
