/**
 * The support console's searches and a large tenant's own reads on a large message log, and the send
 * path while support searches text:
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:support -w server   (part of `npm run bench`)
 *
 * DATABASE_URL names a PostgreSQL cluster (an owner role). The bench fills a database of its own there,
 * `switchboard_bench_support` (npm run seed:bulk: BENCH_SUPPORT_MESSAGES, default 5,000,000 messages over 200
 * tenants, skewed; a few minutes), keeps it for the next run, migrates and ANALYZEs it. Then:
 * 1. staff searches, p50/p95 of each kind: the audited SECURITY DEFINER function `support_search_messages`,
 *    as the app role, one search at a time, each with the support pool's 5 s statement timeout;
 * 2. the largest tenant's message log (filters, text) and inbox through GraphQL over HTTP, as its owner,
 *    on a production-mode server (bench/server.mts) started on this database;
 * 3. sendMessage at 64 connections for 4 new tenants, alone, then while staff search text through the
 *    API (one search after another), then alone again: the throughput lost to the search load.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { enableAppRoleLogin } from "../src/db/app-role.ts";
import { applyMigrations } from "../src/db/migrations.ts";
import { grantStaffRole } from "../src/modules/support/staff.ts";
import { BULK_SEED_PASSWORD, OUTBOUND } from "../scripts/bulk-seed-data.ts";
import { BENCH_SECRET } from "./bench-secret.ts";
import { percentile, runLoad, type LoadResult } from "./http-load.ts";
import { startFakeRapiwa, startServer, type CleanupStep } from "./processes.ts";
import { sendMessage } from "./scenarios.ts";
import { connectBenchNumber, createBenchTenant, graphql, SEND_TENANTS, type BenchTenant } from "./tenant.ts";

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
await applyMigrations(ownerUrl);
await owner.query("ANALYZE");
const STAFF_PASSWORD = "bench support passphrase";
const { userId } = await grantStaffRole(owner, {
  email: "bench-support@switchboard.example",
  role: "SUPPORT",
  password: async () => STAFF_PASSWORD,
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
const largestOwner = (
  await owner.query<{ email: string }>(
    "SELECT u.email FROM memberships ms JOIN users u ON u.id = ms.user_id WHERE ms.tenant_id = $1 AND ms.role = 'OWNER' LIMIT 1",
    [largest.tenant_id],
  )
).rows[0]!.email;
const largestContacts = (
  await owner.query<{ contact_number: string }>(`SELECT contact_number FROM messages TABLESAMPLE SYSTEM (0.1) WHERE tenant_id = $1 LIMIT ${RUNS}`, [
    largest.tenant_id,
  ])
).rows.map((row) => row.contact_number);
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

/** A busy support team's pace: ten people, each searching every five seconds. */
const SEARCHES_PER_SECOND = 2;
const WORDS = ["damaged", "refund", "appointment", "charged twice", "larger size", "delivery address", "where is my order"];
const sample = (index: number) => samples[index % samples.length]!;
/** An order number as the seed writes them (#40000 to #48999): each in about one message in 9,000. */
const orderNumber = (index: number) => `#${40_000 + ((index * 7_919) % 9_000)}`;
const scenarios: [string, string, (index: number) => Record<string, unknown>][] = [
  ["phone number, all tenants", "< 50", (index) => ({ contact: sample(index).contact_number })],
  ["message id, all tenants", "< 50", (index) => ({ messageId: sample(index).id })],
  ["provider message id, all tenants", "< 50", (index) => ({ providerMessageId: `wamid.bench.${index}` })],
  ["text (substring), all tenants", "< 300", (index) => ({ text: WORDS[index % WORDS.length] })],
  ["text (substring), the largest tenant", "< 100", (index) => ({ text: WORDS[index % WORDS.length], tenantId: largest.tenant_id })],
  ["rare text (an order number), all tenants", "< 300", (index) => ({ text: orderNumber(index) })],
  ["rare text, the largest tenant", "< 100", (index) => ({ text: orderNumber(index), tenantId: largest.tenant_id })],
  ["number within one tenant", "< 50", (index) => ({ contact: sample(index).contact_number, tenantId: sample(index).tenant_id })],
];

console.log(
  `\n${SCENARIO}: ${total.toLocaleString("en-US")} messages in ${TENANTS} tenants (largest ${Number(largest.n).toLocaleString("en-US")}); ${RUNS} searches of each kind, one at a time, first page of 20`,
);
console.log("  search                                   p50 ms   p95 ms   max ms   rows/search  target p95");
/** Times one kind of search and prints its line. */
async function report(name: string, target: string, filter: (index: number) => Record<string, unknown>) {
  const { p50, p95, max, rows } = await time(filter);
  console.log(
    `  ${name.padEnd(40)} ${p50.toFixed(1).padStart(7)}  ${p95.toFixed(1).padStart(7)}  ${max.toFixed(1).padStart(7)}  ${rows.toFixed(1).padStart(11)}  ${target} ms`,
  );
}
for (const [name, target, filter] of scenarios) await report(name, target, filter);

// The common words again right after a flood: one tenant's 50,000 newest messages (a campaign), none with them.
const FLOOD_TENANT = "00000000-0000-4000-8000-00000000f100";
await deleteTenants([FLOOD_TENANT]);
const flood = new pg.Client({ connectionString: ownerUrl });
await flood.connect();
try {
  await flood.query("BEGIN");
  await flood.query("SELECT set_config('app.tenant_id', $1, true)", [FLOOD_TENANT]);
  await flood.query("INSERT INTO tenants (id, company_name, slug) VALUES ($1, 'Bench flood', 'bench-flood')", [FLOOD_TENANT]);
  await flood.query(
    `INSERT INTO messages (tenant_id, id, direction, from_number, to_number, contact_number, body, preview, status, created_at, status_changed_at)
     SELECT $1, gen_random_uuid(), 'OUTBOUND', '+8801712345678', '+14155550199', '+14155550199', 'Flash sale: 20% off today only, code ' || n, 'Flash sale', 'SENT',
            now() - n * interval '1 millisecond', now()
       FROM generate_series(1, 50000) AS n`,
    [FLOOD_TENANT],
  );
  await flood.query("COMMIT");
  await flood.query("ANALYZE messages");
  for (const [name, target, filter] of scenarios.filter(([name]) => name.startsWith("text"))) await report(`${name}, after a flood`, target, filter);
} finally {
  await flood.end();
  await deleteTenants([FLOOD_TENANT]);
}
await appPool.end();

// 2 and 3: through the API, on a production-mode server on this database.
const interrupt = new AbortController();
const onSignal = () => interrupt.abort(new Error("interrupted"));
process.once("SIGINT", onSignal);
process.once("SIGTERM", onSignal);
const cleanups: CleanupStep[] = [];
try {
  await throughTheApi(interrupt.signal);
} finally {
  for (let step = cleanups.pop(); step; step = cleanups.pop()) {
    const name = step.name;
    await step.run().catch((error: unknown) => console.error(`bench cleanup: could not ${name}: ${error instanceof Error ? error.message : String(error)}`));
  }
}

async function throughTheApi(signal: AbortSignal) {
  // The database outlives runs, and each run signs up and logs in from this address: past runs' counts go.
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  await owner.query("DELETE FROM rate_limits WHERE key IN ('signup-ip:127.0.0.1', 'login-ip:127.0.0.1')").finally(() => owner.end());
  const fake = await startFakeRapiwa({ cleanups, signal });
  const server = await startServer(ownerUrl, fake.url, { cleanups, signal });

  const post = <T,>(query: string, variables: Record<string, unknown>, token: string, tenantId?: string) =>
    graphql<T>(server.url, query, variables, token, signal, tenantId);
  const logIn = async (email: string, password: string) =>
    (
      await graphql<{ logIn: { token: string } }>(
        server.url,
        "mutation ($input: LogInInput!) { logIn(input: $input) { token } }",
        { input: { email, password } },
        undefined,
        signal,
      )
    ).logIn.token;

  // 2. The largest tenant's own reads, as the dashboard asks for them.
  const ownerToken = await logIn(largestOwner, BULK_SEED_PASSWORD);
  const MESSAGE_LOG = `query ($filter: MessageFilter, $first: Int) {
    messages(filter: $filter, first: $first) { edges { node { id createdAt direction status from to text error } } pageInfo { hasNextPage endCursor } } }`;
  const INBOX = `query ($search: String, $first: Int) {
    conversations(search: $search, first: $first) { edges { cursor node { id contact unreadCount lastMessageAt lastMessage { id direction text status createdAt } } } pageInfo { hasNextPage endCursor } } }`;
  const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString();
  const reads: [string, string, (index: number) => Record<string, unknown>][] = [
    ["message log, newest 50", MESSAGE_LOG, () => ({ first: 50 })],
    ["message log, FAILED only", MESSAGE_LOG, () => ({ first: 50, filter: { statuses: ["FAILED"] } })],
    ["message log, inbound in the last 7 days", MESSAGE_LOG, () => ({ first: 50, filter: { direction: "INBOUND", createdAfter: weekAgo } })],
    ["message log, one contact", MESSAGE_LOG, (index) => ({ first: 50, filter: { contact: largestContacts[index % largestContacts.length] } })],
    ["message log, text (common words)", MESSAGE_LOG, (index) => ({ first: 50, filter: { search: WORDS[index % WORDS.length] } })],
    ["message log, text (an order number)", MESSAGE_LOG, (index) => ({ first: 50, filter: { search: orderNumber(index) } })],
    ["inbox, first 30 conversations", INBOX, () => ({ first: 30 })],
    ["inbox, search (common words)", INBOX, (index) => ({ first: 30, search: WORDS[index % WORDS.length] })],
    ["inbox, search (an order number)", INBOX, (index) => ({ first: 30, search: orderNumber(index) })],
  ];
  console.log(`
the largest tenant (${Number(largest.n).toLocaleString("en-US")} messages) through GraphQL over HTTP, as its owner; ${RUNS} requests of each kind, one at a time`);
  console.log("  request                                  p50 ms   p95 ms   max ms");
  for (const [name, query, variables] of reads) {
    const times = new Float64Array(RUNS);
    for (let index = 0; index < RUNS; index++) {
      const started = performance.now();
      await post(query, variables(index), ownerToken, largest.tenant_id);
      times[index] = performance.now() - started;
    }
    times.sort();
    console.log(
      `  ${name.padEnd(40)} ${percentile(times, 0.5).toFixed(1).padStart(7)}  ${percentile(times, 0.95).toFixed(1).padStart(7)}  ${times.at(-1)!.toFixed(1).padStart(7)}`,
    );
  }

  // 3. sendMessage alone, then while staff search text one search after another, then alone again.
  const tenants: BenchTenant[] = [];
  // Their messages go when the run ends: the next run measures the seeded log, not this one's sends.
  cleanups.push({ name: "delete the send tenants", run: () => deleteTenants(tenants.map((tenant) => tenant.tenantId)) });
  for (let index = 0; index < SEND_TENANTS; index++) {
    const tenant = await createBenchTenant(server.url, signal);
    // A number of its own per run: the database outlives the run.
    await connectBenchNumber(server.url, tenant.sessionToken, `+88017${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`, signal);
    tenants.push(tenant);
  }
  const prepared = await sendMessage.prepare({
    baseUrl: server.url,
    tenantId: tenants[0]!.tenantId,
    apiKey: tenants[0]!.apiKey,
    sendApiKeys: tenants.map((tenant) => tenant.apiKey),
    databaseUrl: ownerUrl,
    scenarioTenants: [],
    signal,
  });
  // Each message a text like the seeded ones (a business's answer and an order number), not one text over and
  // over: the newest messages are then what a busy gateway holds, which text search reads first.
  const { query: sendQuery, variables: sendVariables } = JSON.parse(prepared.body!) as { query: string; variables: { input: { to: string } } };
  let sent = 0;
  const request = {
    ...prepared,
    nextRequest: () => ({
      path: "/graphql",
      body: JSON.stringify({
        query: sendQuery,
        variables: { input: { ...sendVariables.input, text: `${OUTBOUND[sent % OUTBOUND.length]} ${orderNumber(sent++)}` } },
      }),
    }),
  };
  const staffToken = await logIn("bench-support@switchboard.example", STAFF_PASSWORD);
  const sessionId = (
    await post<{ startSupportSession: { id: string } }>(
      "mutation ($reason: String!) { startSupportSession(reason: $reason) { id } }",
      { reason: "Bench: the send path under a text-search load" },
      staffToken,
    )
  ).startSupportSession.id;
  const SEARCH = `query ($sessionId: ID!, $filter: SupportMessageFilter!) {
    supportSearchMessages(sessionId: $sessionId, filter: $filter, first: 20) { edges { node { id status tenant { id } } } pageInfo { hasNextPage } } }`;

  const CONNECTIONS = 64;
  const sendLoad = async (): Promise<LoadResult> => {
    await runLoad(server.url, request, { connections: CONNECTIONS, durationSeconds: 2, signal });
    return runLoad(server.url, request, { connections: CONNECTIONS, durationSeconds: 8, signal });
  };
  /** sendMessage's load while staff search text, one search at a time: `perSecond` started each second at most, or back to back. */
  const sendLoadWhileSearching = async (perSecond: number | null) => {
    const stop = new AbortController();
    const times: number[] = [];
    const searching = (async () => {
      for (let index = 0; !stop.signal.aborted; index++) {
        const started = performance.now();
        await post(SEARCH, { sessionId, filter: { text: index % 2 ? WORDS[index % WORDS.length] : orderNumber(index) } }, staffToken);
        times.push(performance.now() - started);
        const pause = perSecond === null ? 0 : 1000 / perSecond - (performance.now() - started);
        if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
      }
    })();
    try {
      return { result: await sendLoad(), searches: Float64Array.from(times).sort() };
    } finally {
      stop.abort();
      await searching;
    }
  };
  const alone = await sendLoad();
  const paced = await sendLoadWhileSearching(SEARCHES_PER_SECOND);
  const backToBack = await sendLoadWhileSearching(null);
  const aloneAgain = await sendLoad();
  const withoutSearch = (alone.requestsPerSecond + aloneAgain.requestsPerSecond) / 2;
  const line = (name: string, result: LoadResult, searches?: Float64Array) =>
    console.log(
      `  ${name.padEnd(40)} ${result.requestsPerSecond.toFixed(0).padStart(6)} req/s  ${(result.requestsPerSecond / withoutSearch).toFixed(3)}  p99 ${result.p99Ms.toFixed(1).padStart(6)} ms` +
        (searches ? `   ${searches.length} searches: p50 ${percentile(searches, 0.5).toFixed(1)} ms, p95 ${percentile(searches, 0.95).toFixed(1)} ms` : ""),
    );
  console.log(`\nsendMessage at ${CONNECTIONS} connections, ${SEND_TENANTS} tenants, 8 s each after 2 s warm-up, on this database; ratio to the mean alone`);
  console.log(`  (target: at least 0.900 while staff search; a search alternates common words and order numbers, across tenants)`);
  line("alone", alone);
  line(`staff search text, ${SEARCHES_PER_SECOND} per second`, paced.result, paced.searches);
  line("staff search text back to back", backToBack.result, backToBack.searches);
  line("alone again", aloneAgain);
  for (const result of [alone, paced.result, backToBack.result, aloneAgain]) {
    if (result.non2xx || result.errors || result.badBodies) throw new Error(`sendMessage failed under load: ${result.problems.join("; ")}`);
  }
}

/** Deletes tenants with all they own, each acting for itself (the owner role is subject to RLS too). */
async function deleteTenants(tenantIds: string[]) {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    for (const tenantId of tenantIds) {
      await client.query("BEGIN");
      await client.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
      await client.query("DELETE FROM tenants WHERE id = $1", [tenantId]);
      await client.query("COMMIT");
    }
  } finally {
    await client.end();
  }
}
