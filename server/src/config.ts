import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/** The repository root: the embedded defaults (data folder, built web app) live below it. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const environmentSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
  DATABASE_URL: z.url().optional(),
  DATABASE_APP_URL: z.url().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  SUPPORT_DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(10).default(2),
  SUPPORT_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(5_000),
  DATA_DIR: z.string().min(1).optional(),
  SWITCHBOARD_SECRET: z.string().min(32, "SWITCHBOARD_SECRET must be at least 32 characters").optional(),
  WEB_DIST_DIR: z.string().min(1).optional(),
  TRUST_PROXY: z.enum(["true", "false"]).default("false"),
  PUBLIC_URL: z.url().optional(),
  RAPIWA_BASE_URL: z.url().default("https://app.rapiwa.com"),
  PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  DISPATCH_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).default(64),
  DISPATCH_LEASE_MS: z.coerce.number().int().min(1_000).default(60_000),
  DISPATCH_RETRY_BASE_MS: z.coerce.number().int().min(1).default(1_000),
  DISPATCH_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  DISPATCH_ENABLED: z.enum(["true", "false"]).default("true"),
  DISPATCH_POLL_MS: z.coerce.number().int().min(100).max(600_000).default(1_000),
  LIVE_POLL_MS: z.coerce.number().int().min(100).max(600_000).default(2_000),
  // The API promises 24 hours (SendMessageInput.idempotencyKey); longer is allowed, up to a year.
  IDEMPOTENCY_KEY_RETENTION_HOURS: z.coerce
    .number()
    .int("IDEMPOTENCY_KEY_RETENTION_HOURS is a whole number of hours")
    .min(24, "IDEMPOTENCY_KEY_RETENTION_HOURS must be at least 24: the API promises idempotency keys for 24 hours")
    .max(8_760, "IDEMPOTENCY_KEY_RETENTION_HOURS is at most 8760 (a year)")
    .default(24),
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).default(64),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(15_000),
  // Seconds before each attempt: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (Svix's schedule).
  WEBHOOK_RETRY_SCHEDULE: z
    .string()
    .regex(/^\s*\d+(\.\d+)?(\s*,\s*\d+(\.\d+)?){0,19}\s*$/, "WEBHOOK_RETRY_SCHEDULE is comma-separated seconds, 1 to 20 of them, e.g. 0,5,300")
    .default("0,5,300,1800,7200,18000,36000,36000"),
  WEBHOOK_ALLOW_PRIVATE_URLS: z.enum(["true", "false"]).default("false"),
  METRICS_TOKEN: z.string().min(32, "METRICS_TOKEN must be at least 32 characters").optional(),
});

export type Config = {
  env: "development" | "test" | "production";
  port: number;
  host: string;
  logLevel: string;
  /** `pretty`: one readable line per entry (pino-pretty) for a person at a terminal; `json` for everything else. */
  logFormat: "json" | "pretty";
  /** Owner connection used for migrations; undefined means "start the embedded PostgreSQL". */
  databaseUrl: string | undefined;
  /** Connection for the running server, as a role that owns no table; derived when unset. */
  databaseAppUrl: string | undefined;
  /**
   * Connections the API keeps to PostgreSQL, per process. More than a few per database core only
   * queues the work inside PostgreSQL, where it competes with the dispatcher's connections (at 20
   * on 2 cores the dispatcher fell behind under load; at 8-10 it kept pace: bench, 2026-11-26).
   */
  databasePoolSize: number;
  /**
   * The support console's own connections and how long one of its statements may run: a broad
   * search across tenants waits for these, never for the API's pool, and is cancelled (TIMEOUT)
   * before it can hold the database for long.
   */
  support: { poolSize: number; statementTimeoutMs: number };
  dataDir: string;
  secret: string;
  webDistDir: string;
  /** Behind a reverse proxy, take the client address from X-Forwarded-For (rate limits use it). */
  trustProxy: boolean;
  /** Where the outside world reaches this server (inbound webhook URLs are built on it). */
  publicUrl: string;
  rapiwaBaseUrl: string;
  /** Bearer token that `GET /metrics` requires; unset, the endpoint is off (404). */
  metricsToken: string | undefined;
  /** The in-process sandbox provider (`sandbox_` keys): development and tests only. */
  sandboxEnabled: boolean;
  /** How long a message's idempotency key is kept (at least 24 hours); then an hourly job forgets it. */
  idempotencyKeyRetentionHours: number;
  /** How often a live feed with subscribers also reads, besides the wake-ups other processes announce. */
  livePollMs: number;
  dispatch: {
    enabled: boolean;
    /** Provider calls in flight at once; also the most sends that can end UNKNOWN in a crash. */
    concurrency: number;
    /** How long a SENDING message belongs to its dispatcher; must exceed the provider timeout. */
    leaseMs: number;
    providerTimeoutMs: number;
    retryBaseMs: number;
    maxAttempts: number;
    /** How often the work engine looks for work it was not told about (other processes, retries). */
    pollMs: number;
  };
  webhooks: {
    /** Deliveries in flight at once per process (one per endpoint). */
    concurrency: number;
    /** How long a receiver has to answer with a 2xx. */
    timeoutMs: number;
    /** Seconds before each attempt; its length is the number of attempts. */
    retryScheduleSeconds: number[];
    /**
     * Webhook endpoints may point at private, loopback and link-local addresses (a receiver on the
     * developer's machine). Never in production: there it would let a tenant reach our own network.
     */
    allowPrivateUrls: boolean;
  };
};

export class ConfigError extends Error {}

/**
 * The only reader of process.env: validates it once and returns typed settings. `stdoutIsTTY` decides
 * the default log format (readable lines for a person at a terminal outside production).
 */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env, { stdoutIsTTY = Boolean(process.stdout.isTTY) } = {}): Config {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid environment: ${problems.join("; ")}`);
  }
  const values = parsed.data;
  const production = values.NODE_ENV === "production";
  if (production && !values.DATABASE_URL) {
    throw new ConfigError("DATABASE_URL is required in production (the embedded PostgreSQL is for development).");
  }
  if (production && !values.SWITCHBOARD_SECRET) {
    throw new ConfigError("SWITCHBOARD_SECRET is required in production (32+ random characters).");
  }
  if (production && values.WEBHOOK_ALLOW_PRIVATE_URLS === "true") {
    throw new ConfigError("WEBHOOK_ALLOW_PRIVATE_URLS=true is refused in production: it would let tenants' webhooks reach private addresses.");
  }
  if (production && values.LOG_FORMAT === "pretty") {
    throw new ConfigError("LOG_FORMAT=pretty is refused in production: log collectors read one JSON object per line.");
  }
  const dataDir = path.resolve(values.DATA_DIR ?? path.join(repoRoot, ".data"));
  return {
    env: values.NODE_ENV,
    port: values.PORT,
    host: values.HOST ?? (production ? "0.0.0.0" : "127.0.0.1"),
    logLevel: values.LOG_LEVEL,
    logFormat: values.LOG_FORMAT ?? (!production && stdoutIsTTY ? "pretty" : "json"),
    databaseUrl: values.DATABASE_URL,
    databaseAppUrl: values.DATABASE_APP_URL,
    databasePoolSize: values.DATABASE_POOL_SIZE,
    support: { poolSize: values.SUPPORT_DATABASE_POOL_SIZE, statementTimeoutMs: values.SUPPORT_STATEMENT_TIMEOUT_MS },
    dataDir,
    secret: values.SWITCHBOARD_SECRET ?? readOrCreateDevelopmentSecret(dataDir),
    webDistDir: path.resolve(values.WEB_DIST_DIR ?? path.join(repoRoot, "web/dist")),
    trustProxy: values.TRUST_PROXY === "true",
    publicUrl: (values.PUBLIC_URL ?? `http://localhost:${values.PORT}`).replace(/\/+$/, ""),
    rapiwaBaseUrl: values.RAPIWA_BASE_URL.replace(/\/+$/, ""),
    metricsToken: values.METRICS_TOKEN,
    sandboxEnabled: !production,
    idempotencyKeyRetentionHours: values.IDEMPOTENCY_KEY_RETENTION_HOURS,
    livePollMs: values.LIVE_POLL_MS,
    dispatch: {
      enabled: values.DISPATCH_ENABLED === "true",
      concurrency: values.DISPATCH_CONCURRENCY,
      leaseMs: Math.max(values.DISPATCH_LEASE_MS, values.PROVIDER_TIMEOUT_MS * 2),
      providerTimeoutMs: values.PROVIDER_TIMEOUT_MS,
      retryBaseMs: values.DISPATCH_RETRY_BASE_MS,
      maxAttempts: values.DISPATCH_MAX_ATTEMPTS,
      pollMs: values.DISPATCH_POLL_MS,
    },
    webhooks: {
      concurrency: values.WEBHOOK_CONCURRENCY,
      timeoutMs: values.WEBHOOK_TIMEOUT_MS,
      retryScheduleSeconds: values.WEBHOOK_RETRY_SCHEDULE.split(",").map((seconds) => Number(seconds.trim())),
      allowPrivateUrls: values.WEBHOOK_ALLOW_PRIVATE_URLS === "true",
    },
  };
}

/** Outside production a missing secret is generated once and kept in the data folder. */
function readOrCreateDevelopmentSecret(dataDir: string): string {
  const file = path.join(dataDir, "secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
