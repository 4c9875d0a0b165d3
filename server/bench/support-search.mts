/**
 * The support console's searches on a large message log: p50/p95 of each kind of look-up, as the
 * server runs them (the audited SECURITY DEFINER function `support_search_messages`, as the app role,
 * one search at a time, each in its own statement with the support pool's 5 s statement timeout).
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:support -w server   (part of `npm run bench`)
 *
 * DATABASE_URL names a PostgreSQL cluster (an owner role). The bench fills a database of its own there,
 * `switchboard_bench_support` (npm run seed:bulk: BENCH_SUPPORT_MESSAGES, default 5,000,000 messages over 200
 * tenants, skewed; a few minutes), keeps it for the next run, and ANALYZEs it. The HTTP and GraphQL layers are
 * not in these figures (the send-path bench measures those); the send path's throughput under a search load is
 * not measured here yet.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { enableAppRoleLogin } from "../src/db/app-role.ts";
import { grantStaffRole } from "../src/modules/support/staff.ts";
import { BENCH_SECRET } from "./bench-secret.ts";

const SCENARIO = "support search";
if (process.env.BENCH_ONLY && !SCENARIO.includes(process.env.BENCH_ONLY)) process.exit(0);
const MESSAGES = Number(process.env.BENCH_SUPPORT_MESSAGES ?? 5_000_000);
const TENANTS = 200;
const RUNS = Number(process.env.BENCH_SUPPORT_RUNS ?? 40);
const DATABASE = "switchboard_bench_support";
const clusterUrl = process.env.DATABASE_URL;
if (!clusterUrl) {
  console.log(`${SCENARIO}: skipped (set DATABASE_URL to a PostgreSQL cluster, e.g. postgresql://postgres@127.0.0.1:5432/postgres)`);
  process.exit(0);
}
const ownerUrl = Object.assign(new URL(clusterUrl), { pathname: `/${DATABASE}` }).toString();

const admin = new pg.Client({ connectionString: clusterUrl });
await admin.connect();
if ((await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE])).rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
await admin.end();

const owner = new pg.Client({ connectionString: ownerUrl });
await owner.connect();
const count = await owner.query<{ n: string }>("SELECT count(*) AS n FROM messages").catch(() => ({ rows: [{ n: "0" }] }));
if (Number(count.rows[0]!.n) < MESSAGES) {
  console.log(`filling ${DATABASE}: ${MESSAGES.toLocaleString("en-US")} messages over ${TENANTS} tenants...`);
  const seeded = spawnSync("npm", ["run", "seed:bulk", "--", "--messages", String(MESSAGES), "--tenants", String(TENANTS)], {
    cwd: path.resolve(import.meta.dirname, ".."),
    env: { ...process.env, DATABASE_URL: ownerUrl },
    stdio: "inherit",
  });
  if (seeded.status !== 0) throw new Error("seed:bulk failed");
}
await owner.query("ANALYZE");
const { userId } = await grantStaffRole(owner, {
  email: "bench-support@switchboard.example",
  role: "SUPPORT",
  password: async () => "bench support passphrase",
});
const total = Number((await owner.query<{ n: string }>("SELECT count(*) AS n FROM messages")).rows[0]!.n);

// Inputs drawn from the data: messages spread over the log, the largest tenant, words the seed writes.
const samples = (
  await owner.query<{ id: string; tenant_id: string; contact_number: string }>(
    `SELECT id, tenant_id, contact_number FROM messages TABLESAMPLE SYSTEM (0.05) LIMIT ${RUNS}`,
  )
).rows;
const largest = (await owner.query<{ tenant_id: string; n: string }>("SELECT tenant_id, count(*) AS n FROM messages GROUP BY 1 ORDER BY 2 DESC LIMIT 1"))
  .rows[0]!;
await owner.end();

const appPool = new pg.Pool({ connectionString: await enableAppRoleLogin(ownerUrl, BENCH_SECRET), max: 1, options: "-c statement_timeout=5000" });
const session = (
  await appPool.query<{ session_id: string }>("SELECT session_id FROM support_start_session($1, $2)", [
    userId,
    "Bench: support search timings on the bulk data",
  ])
).rows[0]!.session_id;

async function time(filter: (index: number) => Record<string, unknown>): Promise<{ p50: number; p95: number; max: number; rows: number }> {
  const times: number[] = [];
  let rows = 0;
  for (let index = 0; index < RUNS; index++) {
    const started = performance.now();
    const result = await appPool.query("SELECT id FROM support_search_messages($1, $2, $3, 20, NULL, NULL)", [session, userId, JSON.stringify(filter(index))]);
    times.push(performance.now() - started);
    rows += result.rowCount ?? 0;
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(RUNS * 0.5)]!, p95: times[Math.min(RUNS - 1, Math.floor(RUNS * 0.95))]!, max: times.at(-1)!, rows: rows / RUNS };
}

const WORDS = ["damaged", "refund", "appointment", "charged twice", "larger size", "delivery address", "where is my order"];
const sample = (index: number) => samples[index % samples.length]!;
const scenarios: [string, string, (index: number) => Record<string, unknown>][] = [
  ["phone number, all tenants", "< 50", (index) => ({ contact: sample(index).contact_number })],
  ["message id, all tenants", "< 50", (index) => ({ messageId: sample(index).id })],
  ["provider message id, all tenants", "< 50", (index) => ({ providerMessageId: `wamid.bench.${index}` })],
  ["text (substring), all tenants", "< 300", (index) => ({ text: WORDS[index % WORDS.length] })],
  ["text (substring), the largest tenant", "< 100", (index) => ({ text: WORDS[index % WORDS.length], tenantId: largest.tenant_id })],
  ["number within one tenant", "< 50", (index) => ({ contact: sample(index).contact_number, tenantId: sample(index).tenant_id })],
];

console.log(
  `\n${SCENARIO}: ${total.toLocaleString("en-US")} messages in ${TENANTS} tenants (largest ${Number(largest.n).toLocaleString("en-US")}); ${RUNS} searches of each kind, one at a time, first page of 20`,
);
console.log("  search                                   p50 ms   p95 ms   max ms   rows/search  target p95");
for (const [name, target, filter] of scenarios) {
  const { p50, p95, max, rows } = await time(filter);
  console.log(
    `  ${name.padEnd(40)} ${p50.toFixed(1).padStart(7)}  ${p95.toFixed(1).padStart(7)}  ${max.toFixed(1).padStart(7)}  ${rows.toFixed(1).padStart(11)}  ${target} ms`,
  );
}
await appPool.end();
