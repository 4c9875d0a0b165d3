import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, repoRoot } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";

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

describe("log format", () => {
  it("prints readable lines for a person at a terminal outside production, JSON for pipes, files and production", () => {
    expect(loadConfig({ DATA_DIR: scratch }, { stdoutIsTTY: true }).logFormat).toBe("pretty");
    expect(loadConfig({ DATA_DIR: scratch, NODE_ENV: "test" }, { stdoutIsTTY: true }).logFormat).toBe("pretty");
    expect(loadConfig({ DATA_DIR: scratch }, { stdoutIsTTY: false }).logFormat).toBe("json");
    expect(loadConfig(PRODUCTION, { stdoutIsTTY: true }).logFormat).toBe("json");
  });

  it("takes LOG_FORMAT when given, but never pretty in production", () => {
    expect(loadConfig({ DATA_DIR: scratch, LOG_FORMAT: "json" }, { stdoutIsTTY: true }).logFormat).toBe("json");
    expect(loadConfig({ DATA_DIR: scratch, LOG_FORMAT: "pretty" }, { stdoutIsTTY: false }).logFormat).toBe("pretty");
    expect(loadConfig({ ...PRODUCTION, LOG_FORMAT: "json" }).logFormat).toBe("json");
    expect(() => loadConfig({ ...PRODUCTION, LOG_FORMAT: "pretty" })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: scratch, LOG_FORMAT: "yaml" })).toThrow(/LOG_FORMAT/);
  });

  it("writes one readable line per entry in the pretty format, with the fields beside the message", async () => {
    const lines: string[] = [];
    const written = new Promise<void>((resolve) => {
      const destination = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          resolve();
          done();
        },
      });
      const logger = createLogger("info", destination, { format: "pretty" });
      logger.debug("below the level");
      logger.info({ url: "http://localhost:4000/" }, "Switchboard is running");
    });
    await written;
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: Switchboard is running \{"url":"http:\/\/localhost:4000\/"\}\n$/);
  });

  it("writes JSON objects in the json format", () => {
    const lines: string[] = [];
    createLogger("info", { write: (line: string) => void lines.push(line) }).info({ url: "http://localhost:4000/" }, "Switchboard is running");
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 30, service: "switchboard", url: "http://localhost:4000/", msg: "Switchboard is running" });
  });
});
