import { AxeBuilder } from "@axe-core/playwright";
import { test as base, expect, type BrowserContext, type Page } from "@playwright/test";
import { mkdir } from "node:fs/promises";
import path from "node:path";

export { expect };

/** Where global-setup.ts started the server (test workers inherit its environment). */
export const baseURL = process.env.E2E_BASE_URL!;

export const test = base.extend({
  baseURL: async ({}, use) => {
    await use(baseURL);
  },
});

export const PASSWORD = "a long passphrase for tests";

let counter = 0;
/** An email nobody has used in this run (the database is new each run; the suffix keeps tests apart). */
export const uniqueEmail = (who: string) => `${who}-${Date.now().toString(36)}${(counter++).toString(36)}@example.test`;

/** One GraphQL call from Node (set-up steps a test does not need the browser for); errors fail the test. */
export async function api<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const response = await fetch(`${baseURL}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
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
