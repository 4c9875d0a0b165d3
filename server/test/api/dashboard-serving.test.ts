import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../support/api.ts";

/** The built dashboard at `/`: its files, and its client-side routes opened directly (a bookmark, a reload). */

const INDEX_HTML = '<!doctype html><html><body><div id="root"></div><script type="module" src="/assets/index-abc123.js"></script></body></html>';
const SCRIPT = "console.log('dashboard')";
const HTML = { accept: "text/html,application/xhtml+xml,*/*;q=0.8" };

let api: TestApi;
let dist: string;
beforeAll(async () => {
  dist = await mkdtemp(path.join(tmpdir(), "switchboard-web-dist-"));
  await mkdir(path.join(dist, "assets"));
  await writeFile(path.join(dist, "index.html"), INDEX_HTML);
  await writeFile(path.join(dist, "assets", "index-abc123.js"), SCRIPT);
  api = await startTestApi({ webDistDir: dist });
});
afterAll(async () => {
  await api?.close();
  await rm(dist, { recursive: true, force: true });
});

const get = async (pathname: string, headers: Record<string, string> = HTML) => {
  const response = await fetch(`${api.url}${pathname}`, { headers });
  return { status: response.status, type: response.headers.get("content-type"), cache: response.headers.get("cache-control"), text: await response.text() };
};

describe("the dashboard's files", () => {
  it("serves the app at / and its built files, the hashed ones cached for good and index.html revalidated", async () => {
    const home = await get("/");
    expect(home).toMatchObject({ status: 200, text: INDEX_HTML });
    expect(home.type).toMatch(/^text\/html/);
    expect(home.cache).toBe("no-cache");
    const script = await get("/assets/index-abc123.js", { accept: "*/*" });
    expect(script).toMatchObject({ status: 200, text: SCRIPT, cache: "public, max-age=31536000, immutable" });
    expect(script.type).toMatch(/javascript/);
  });

  it("answers a client-side route opened directly (log-in, a section, a nested path, with a query) with the app", async () => {
    for (const route of [
      "/login?redirect=%2Fteam",
      "/signup",
      "/settings",
      "/team/members/123",
      "/api-keys#new",
      "/webhooks",
      "/webhooks/0193a5a0-0000-7000-8000-000000000001",
    ]) {
      const page = await get(route);
      expect(page.status, route).toBe(200);
      expect(page.text, route).toBe(INDEX_HTML);
      expect(page.cache, route).toBe("no-cache");
    }
  });

  it("keeps JSON 404s for the API's paths, missing built files and requests that do not want HTML", async () => {
    for (const route of [
      "/api/v1/nope",
      "/graphql/nope",
      "/webhooks/rapiwa",
      "/webhooks/rapiwa/unknown-token",
      "/metrics/nope",
      "/assets/missing-file.js",
      "/healthz/nope",
    ]) {
      const answer = await get(route);
      expect(answer.status, route).toBe(404);
      expect(JSON.parse(answer.text).errors[0].extensions.code, route).toBe("NOT_FOUND");
    }
    const notHtml = await get("/settings", { accept: "application/json" });
    expect(notHtml.status).toBe(404);
    expect(JSON.parse(notHtml.text).errors[0].extensions.code).toBe("NOT_FOUND");
  });

  it("does not answer other methods with the app", async () => {
    const response = await fetch(`${api.url}/settings`, { method: "POST", headers: { ...HTML, "content-type": "application/json" }, body: "{}" });
    expect(response.status).toBe(404);
  });
});
