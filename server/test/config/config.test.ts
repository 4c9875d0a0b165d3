import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";

/** The environment rules operators rely on (README, "Configuration"). */

const SECRET = "a-production-secret-of-at-least-32-chars";
const PRODUCTION = { NODE_ENV: "production", DATABASE_URL: "postgresql://switchboard@db.internal:5432/switchboard", SWITCHBOARD_SECRET: SECRET };

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "switchboard-config-"));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe("loadConfig", () => {
  it("starts development on the embedded defaults, with a secret generated once into the data folder", async () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config).toMatchObject({
      env: "development",
      port: 4000,
      host: "127.0.0.1",
      databaseUrl: undefined,
      trustProxy: false,
      sandboxEnabled: true,
      metricsToken: undefined,
    });
    expect(config.secret).toBe((await readFile(path.join(dataDir, "secret"), "utf8")).trim());
    expect(config.secret.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ DATA_DIR: dataDir }).secret).toBe(config.secret);
  });

  it("requires DATABASE_URL and SWITCHBOARD_SECRET in production", () => {
    expect(() => loadConfig({ ...PRODUCTION, DATABASE_URL: undefined })).toThrow(
      new ConfigError("DATABASE_URL is required in production (the embedded PostgreSQL is for development)."),
    );
    expect(() => loadConfig({ ...PRODUCTION, SWITCHBOARD_SECRET: undefined })).toThrow(/SWITCHBOARD_SECRET is required in production/);
    expect(() => loadConfig({ ...PRODUCTION, SWITCHBOARD_SECRET: "too short" })).toThrow(/SWITCHBOARD_SECRET must be at least 32 characters/);
  });

  it("turns the sandbox off and listens on every interface in production", () => {
    expect(loadConfig(PRODUCTION)).toMatchObject({ env: "production", host: "0.0.0.0", sandboxEnabled: false, secret: SECRET });
    expect(loadConfig({ NODE_ENV: "test", DATA_DIR: dataDir }).sandboxEnabled).toBe(true);
  });

  it("keeps the dispatch lease at least twice the provider timeout", () => {
    expect(loadConfig({ ...PRODUCTION, PROVIDER_TIMEOUT_MS: "40000", DISPATCH_LEASE_MS: "30000" }).dispatch).toMatchObject({
      providerTimeoutMs: 40_000,
      leaseMs: 80_000,
    });
    expect(loadConfig({ ...PRODUCTION, PROVIDER_TIMEOUT_MS: "1000", DISPATCH_LEASE_MS: "90000" }).dispatch.leaseMs).toBe(90_000);
    expect(loadConfig(PRODUCTION).dispatch).toMatchObject({ providerTimeoutMs: 15_000, leaseMs: 60_000, concurrency: 64, enabled: true });
  });

  it("lets webhooks reach private addresses only when WEBHOOK_ALLOW_PRIVATE_URLS=true, and never in production", () => {
    expect(loadConfig({ NODE_ENV: "test", DATA_DIR: dataDir }).webhooks).toMatchObject({ allowPrivateUrls: false });
    expect(loadConfig({ NODE_ENV: "development", DATA_DIR: dataDir, WEBHOOK_ALLOW_PRIVATE_URLS: "true" }).webhooks).toMatchObject({ allowPrivateUrls: true });
    expect(loadConfig({ ...PRODUCTION, WEBHOOK_ALLOW_PRIVATE_URLS: "false" }).webhooks).toMatchObject({ allowPrivateUrls: false });
    expect(() => loadConfig({ ...PRODUCTION, WEBHOOK_ALLOW_PRIVATE_URLS: "true" })).toThrow(ConfigError);
    expect(() => loadConfig({ ...PRODUCTION, WEBHOOK_ALLOW_PRIVATE_URLS: "true" })).toThrow(/WEBHOOK_ALLOW_PRIVATE_URLS=true is refused in production/);
    expect(() => loadConfig({ NODE_ENV: "test", DATA_DIR: dataDir, WEBHOOK_ALLOW_PRIVATE_URLS: "yes" })).toThrow(/WEBHOOK_ALLOW_PRIVATE_URLS/);
  });

  it("trusts X-Forwarded-For only when TRUST_PROXY is exactly true", () => {
    expect(loadConfig(PRODUCTION).trustProxy).toBe(false);
    expect(loadConfig({ ...PRODUCTION, TRUST_PROXY: "true" }).trustProxy).toBe(true);
    expect(loadConfig({ ...PRODUCTION, TRUST_PROXY: "false" }).trustProxy).toBe(false);
    expect(() => loadConfig({ ...PRODUCTION, TRUST_PROXY: "yes" })).toThrow(ConfigError);
  });

  it("serves metrics only with a token of 32+ characters", () => {
    expect(loadConfig(PRODUCTION).metricsToken).toBeUndefined();
    expect(loadConfig({ ...PRODUCTION, METRICS_TOKEN: "m".repeat(32) }).metricsToken).toBe("m".repeat(32));
    expect(() => loadConfig({ ...PRODUCTION, METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN must be at least 32 characters/);
  });

  it("keeps idempotency keys 24 hours by default, longer when asked, never less", () => {
    expect(loadConfig(PRODUCTION).idempotencyKeyRetentionHours).toBe(24);
    expect(loadConfig({ ...PRODUCTION, IDEMPOTENCY_KEY_RETENTION_HOURS: "72" }).idempotencyKeyRetentionHours).toBe(72);
    expect(loadConfig({ ...PRODUCTION, IDEMPOTENCY_KEY_RETENTION_HOURS: "8760" }).idempotencyKeyRetentionHours).toBe(8_760);
    expect(() => loadConfig({ ...PRODUCTION, IDEMPOTENCY_KEY_RETENTION_HOURS: "23" })).toThrow(
      /IDEMPOTENCY_KEY_RETENTION_HOURS: IDEMPOTENCY_KEY_RETENTION_HOURS must be at least 24/,
    );
    for (const value of ["0", "-24", "24.5", "8761", "a day"]) {
      expect(() => loadConfig({ ...PRODUCTION, IDEMPOTENCY_KEY_RETENTION_HOURS: value }), value).toThrow(/IDEMPOTENCY_KEY_RETENTION_HOURS/);
    }
  });

  it("names every invalid variable in one error", () => {
    const error = (() => {
      try {
        loadConfig({ ...PRODUCTION, PORT: "seventy", LOG_LEVEL: "loud", DISPATCH_CONCURRENCY: "0" });
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message).toMatch(/^Invalid environment: /);
    for (const variable of ["PORT", "LOG_LEVEL", "DISPATCH_CONCURRENCY"]) expect(error!.message).toContain(`${variable}:`);
  });

  it("drops trailing slashes from the URLs it builds on", () => {
    const config = loadConfig({ ...PRODUCTION, PUBLIC_URL: "https://switchboard.example.com//", RAPIWA_BASE_URL: "https://rapiwa.example.com/" });
    expect(config.publicUrl).toBe("https://switchboard.example.com");
    expect(config.rapiwaBaseUrl).toBe("https://rapiwa.example.com");
    expect(loadConfig({ ...PRODUCTION, PORT: "8080" }).publicUrl).toBe("http://localhost:8080");
  });
});
