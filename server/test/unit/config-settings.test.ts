import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, repoRoot } from "../../src/config.ts";

/** Settings operators set or rely on by default (README, "Configuration"), beyond test/config. */

const SECRET = "a-production-secret-of-at-least-32-chars";
const PRODUCTION = { NODE_ENV: "production", DATABASE_URL: "postgresql://switchboard@db.internal:5432/switchboard", SWITCHBOARD_SECRET: SECRET };

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), "switchboard-config-settings-"));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe("configuration settings", () => {
  it("keeps data and serves the dashboard from the repository by default", () => {
    const config = loadConfig(PRODUCTION);
    expect(config.dataDir).toBe(path.join(repoRoot, ".data"));
    expect(config.webDistDir).toBe(path.join(repoRoot, "web/dist"));
  });

  it("takes the data and dashboard folders it is given, as absolute paths", () => {
    const config = loadConfig({ ...PRODUCTION, DATA_DIR: "some/data", WEB_DIST_DIR: "some/web" });
    expect(config.dataDir).toBe(path.resolve("some/data"));
    expect(config.webDistDir).toBe(path.resolve("some/web"));
  });

  it("listens on the HOST it is given, in production and development", () => {
    expect(loadConfig({ ...PRODUCTION, HOST: "10.0.0.7" }).host).toBe("10.0.0.7");
    expect(loadConfig({ DATA_DIR: scratch, HOST: "::1" }).host).toBe("::1");
  });

  it("stops the dispatcher when DISPATCH_ENABLED is false", () => {
    expect(loadConfig({ ...PRODUCTION, DISPATCH_ENABLED: "false" }).dispatch.enabled).toBe(false);
    expect(loadConfig({ ...PRODUCTION, DISPATCH_ENABLED: "true" }).dispatch.enabled).toBe(true);
  });

  it("drops every trailing slash from the Rapiwa base URL", () => {
    expect(loadConfig({ ...PRODUCTION, RAPIWA_BASE_URL: "https://rapiwa.example.com/api//" }).rapiwaBaseUrl).toBe("https://rapiwa.example.com/api");
    expect(loadConfig(PRODUCTION).rapiwaBaseUrl).toBe("https://app.rapiwa.com");
  });

  it("creates a missing data folder for the development secret, readable by its owner only", async () => {
    const dataDir = path.join(scratch, "not", "yet", "there");
    const { secret } = loadConfig({ DATA_DIR: dataDir });
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect((await stat(path.join(dataDir, "secret"))).mode & 0o777).toBe(0o600);
  });

  it("lists the invalid variables one after the other, separated by semicolons", () => {
    let error: unknown;
    try {
      loadConfig({ ...PRODUCTION, TRUST_PROXY: "yes", DISPATCH_ENABLED: "no" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^Invalid environment: TRUST_PROXY: [^;]+; DISPATCH_ENABLED: [^;]+$/);
  });
});
