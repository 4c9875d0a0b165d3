/**
 * The inbox of a large tenant in a real browser: how long until the conversation list, and an opened
 * thread, are on screen, with 10,000 conversations and 1,000,000 messages in the tenant.
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench -w web      (part of `npm run bench`)
 *
 * DATABASE_URL names a PostgreSQL cluster (an owner role); the bench fills a database of its own there,
 * `switchboard_bench_inbox` (npm run seed:bulk: 1M messages, 10k contacts, one tenant; about 1.5 min),
 * and keeps it for the next run. It starts the server on it (the built dashboard, web/dist), logs in as the
 * tenant's owner and opens /inbox in Debian's Chromium: cold (a new browser context: no cache) and warm
 * (reloads), times from navigation start (the browser's performance clock).
 */
import { chromium } from "@playwright/test";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { freePort } from "../e2e/support/global-setup.ts";
import { CHROMIUM, CHROMIUM_ARGS } from "../playwright.config.ts";

const MESSAGES = Number(process.env.BENCH_INBOX_MESSAGES ?? 1_000_000);
const CONVERSATIONS = Number(process.env.BENCH_INBOX_CONVERSATIONS ?? 10_000);
const RUNS = 7;
const DATABASE = "switchboard_bench_inbox";
const webDir = path.resolve(import.meta.dirname, "..");
const serverDir = path.resolve(webDir, "../server");

// As the server's bench: BENCH_ONLY=<text> runs only the scenarios whose name contains it.
const SCENARIO = "inbox at scale";
if (process.env.BENCH_ONLY && !SCENARIO.includes(process.env.BENCH_ONLY)) process.exit(0);
const clusterUrl = process.env.DATABASE_URL;
if (!clusterUrl) {
  // A million messages belong on a durable cluster the bench can keep them in between runs.
  console.log(`${SCENARIO}: skipped (set DATABASE_URL to a PostgreSQL cluster, e.g. postgresql://postgres@127.0.0.1:5432/postgres)`);
  process.exit(0);
}
if (!existsSync(path.join(webDir, "dist/index.html"))) {
  console.error("web/dist is not built: npm run build -w web");
  process.exit(2);
}
const databaseUrl = Object.assign(new URL(clusterUrl), { pathname: `/${DATABASE}` }).toString();

/** Creates and fills the bench database unless a previous run left it filled. */
async function ensureSeeded(): Promise<string> {
  const admin = new pg.Client({ connectionString: clusterUrl });
  await admin.connect();
  const exists = (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE])).rowCount === 1;
  if (!exists) await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();

  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const largest = async () =>
    (
      await db
        .query<{ email: string; messages: number }>(
          `SELECT u.email, (SELECT count(*)::int FROM messages m WHERE m.tenant_id = t.id) AS messages
             FROM tenants t JOIN memberships ms ON ms.tenant_id = t.id AND ms.role = 'OWNER' JOIN users u ON u.id = ms.user_id
            ORDER BY messages DESC LIMIT 1`,
        )
        .catch(() => ({ rows: [] as { email: string; messages: number }[] }))
    ).rows[0];
  let owner = await largest();
  if (!owner || owner.messages < MESSAGES) {
    console.log(`filling ${DATABASE}: ${MESSAGES.toLocaleString("en-US")} messages, ${CONVERSATIONS.toLocaleString("en-US")} conversations, one tenant...`);
    const seeded = spawnSync("npm", ["run", "seed:bulk", "--", "--messages", String(MESSAGES), "--tenants", "1", "--conversations", String(CONVERSATIONS)], {
      cwd: serverDir,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: "inherit",
    });
    if (seeded.status !== 0) throw new Error("seed:bulk failed");
    owner = await largest();
  }
  await db.end();
  if (!owner) throw new Error("the bench database has no tenant owner");
  console.log(`tenant owner ${owner.email}: ${owner.messages.toLocaleString("en-US")} messages`);
  return owner.email;
}

async function startServer(): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const server = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: serverDir,
    env: {
      ...process.env,
      NODE_ENV: "development",
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      WEB_DIST_DIR: path.join(webDir, "dist"),
      LOG_LEVEL: "warn",
      LOG_FORMAT: "json",
      // Nothing to send in this bench: the inbox only reads.
      DISPATCH_ENABLED: "false",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the server exited (code ${server.exitCode})`);
    if (
      await fetch(`${url}/healthz`).then(
        (response) => response.ok,
        () => false,
      )
    )
      return { url, process: server };
    if (Date.now() > deadline) throw new Error("the server did not start within 2 min");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const max = (values: number[]) => Math.max(...values);

const email = await ensureSeeded();
const server = await startServer();
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: CHROMIUM_ARGS,
});
try {
  const logIn = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      query: "mutation ($input: LogInInput!) { logIn(input: $input) { token } }",
      variables: { input: { email, password: "bulk seed passphrase" } },
    }),
  });
  const token = ((await logIn.json()) as { data: { logIn: { token: string } } }).data.logIn.token;

  const listTimes: number[] = [];
  const threadTimes: number[] = [];
  let cold = { list: 0, thread: 0 };
  const newPage = async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addCookies([{ name: "switchboard_session", value: token, url: server.url, httpOnly: true, sameSite: "Lax" }]);
    return context.newPage();
  };
  // Run 0 in a fresh browser profile (nothing cached), then closed; run 1 primes a second profile (not
  // counted); the others load again in it, as a returning person does (scripts cached, data asked anew).
  let returning: Awaited<ReturnType<typeof newPage>> | undefined;
  for (let run = 0; run <= RUNS; run++) {
    const page = run === 0 ? await newPage() : (returning ??= await newPage());
    await page.goto(`${server.url}/inbox`);
    await page.getByRole("option").first().waitFor();
    const list = await page.evaluate(() => performance.now());
    await page.getByRole("option").first().click();
    const clicked = await page.evaluate(() => performance.now());
    await page.getByTestId("thread-message").first().waitFor();
    const thread = (await page.evaluate(() => performance.now())) - clicked;
    if (run === 0) {
      cold = { list, thread };
      await page.context().close();
    } else if (run > 1) {
      listTimes.push(list);
      threadTimes.push(thread);
    }
  }
  console.log(
    `\ninbox of a tenant with ${MESSAGES.toLocaleString("en-US")} messages and ${CONVERSATIONS.toLocaleString("en-US")} conversations (median of ${RUNS - 1} warm loads):`,
  );
  console.log(
    `  conversation list on screen: cold ${cold.list.toFixed(0)} ms; warm median ${median(listTimes).toFixed(0)} ms, max ${max(listTimes).toFixed(0)} ms`,
  );
  console.log(
    `  thread on screen after a click: cold ${cold.thread.toFixed(0)} ms; warm median ${median(threadTimes).toFixed(0)} ms, max ${max(threadTimes).toFixed(0)} ms`,
  );
} finally {
  await browser.close();
  server.process.kill("SIGTERM");
}
