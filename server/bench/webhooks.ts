import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { cpuSnapshot, cpuUsage, type CpuPids, type CpuUsage } from "./cpu.ts";
import { runLoad, type LoadRequest, type LoadResult } from "./http-load.ts";
import { printTable } from "./report.ts";
import { connectBenchNumber, createBenchTenant, graphql } from "./tenant.ts";

/**
 * Webhooks both ways: Rapiwa's callbacks coming in, and the deliveries they cause going out.
 *
 * Set-up, through the API like a user: WEBHOOK_TENANTS tenants, each with a connected number (its
 * inbound URL is what Rapiwa would call) and one webhook endpoint, subscribed to every event, on a
 * loopback receiver in this process that answers 204 at once and counts what it gets by webhook-id.
 *
 * 1. Callbacks: incoming-message callbacks, each with a new provider message id, spread over the
 *    tenants' inbound URLs, at 16 and 64 connections. Each stores a message, its event and its
 *    delivery in the request's transaction; the webhook engine delivers meanwhile, as in production.
 *    After the load, the bench waits until the receiver has every delivery (at most DRAIN_CAP_SECONDS).
 * 2. Backlog: DELIVERY_BACKLOG events recorded at once (one transaction, copies of the stored
 *    messages' payloads, split over the endpoints), then the time until the receiver has them all:
 *    deliveries per second with the engine's ordering (one in flight per endpoint). Then the same on
 *    one endpoint, which bounds a single receiver's rate.
 * A webhook-id received twice, or a delivery that never arrives, fails the bench.
 */

export const WEBHOOK_TENANTS = 4;
export const DELIVERY_BACKLOG = 20_000;
export const SINGLE_ENDPOINT_BACKLOG = 5_000;
const DRAIN_CAP_SECONDS = 60;
const POLL_MS = 50;

type WebhookTenant = { tenantId: string; inboundPath: string };

export type WebhookBench = { tenants: WebhookTenant[]; receiver: Receiver };

/** The tenants' receiver: counts deliveries by webhook-id (a repeat is a duplicate delivery). */
export type Receiver = { url: string; unique(): number; duplicates(): number; close(): Promise<void> };

async function startReceiver(): Promise<Receiver> {
  const seen = new Set<string>();
  let duplicates = 0;
  const server: Server = createServer((request, response) => {
    const id = request.headers["webhook-id"];
    request.resume();
    request.on("end", () => {
      if (typeof id === "string" && request.headers["webhook-signature"]) {
        if (seen.has(id)) duplicates++;
        else seen.add(id);
      }
      response.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    unique: () => seen.size,
    duplicates: () => duplicates,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The webhook tenants, their numbers (benchNumber-like, not clashing with the send path's) and endpoints. */
export async function prepareWebhookBench(baseUrl: string, signal: AbortSignal): Promise<WebhookBench> {
  const receiver = await startReceiver();
  const tenants: WebhookTenant[] = [];
  for (let index = 0; index < WEBHOOK_TENANTS; index++) {
    const tenant = await createBenchTenant(baseUrl, signal);
    await connectBenchNumber(baseUrl, tenant.sessionToken, `+88017123457${String(10 + index).padStart(2, "0")}`, signal);
    const { tenant: details } = await graphql<{ tenant: { whatsapp: { inboundWebhookUrl: string | null } | null } }>(
      baseUrl,
      "{ tenant { whatsapp { inboundWebhookUrl } } }",
      {},
      tenant.sessionToken,
      signal,
    );
    const inboundUrl = details.whatsapp?.inboundWebhookUrl;
    if (!inboundUrl) throw new Error("the connected bench number has no inbound webhook URL");
    await graphql(
      baseUrl,
      "mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }",
      { input: { url: receiver.url, description: "bench receiver" } },
      tenant.sessionToken,
      signal,
    );
    tenants.push({ tenantId: tenant.tenantId, inboundPath: new URL(inboundUrl).pathname });
  }
  return { tenants, receiver };
}

/** Incoming-message callbacks in Rapiwa's shape, each with a new provider message id, tenants in turn. */
let sequence = 0;

function callbackRequest(tenants: WebhookTenant[], accepted: { count: number }): LoadRequest {
  // One sequence for every scenario: a provider message id seen before would be a resent callback (stored once, delivered once).
  const next = () => {
    const n = sequence++;
    const tenant = tenants[n % tenants.length]!;
    const body = JSON.stringify({
      event: "message",
      data: { from: `+1415555${String(n % 10_000).padStart(4, "0")}`, message: `bench reply ${n}`, messageId: `bench_${process.pid}_${n}` },
    });
    return { path: tenant.inboundPath, body };
  };
  return {
    method: "POST",
    path: tenants[0]!.inboundPath,
    headers: { "content-type": "application/json" },
    nextRequest: next,
    verifyBody: (answer) => {
      const ok = answer.includes('"handledAs":"message"');
      if (ok) accepted.count++;
      return ok;
    },
  };
}

export type CallbackRow = {
  connections: number;
  warmUp: LoadResult;
  measured: LoadResult;
  cpu: CpuUsage | undefined;
  /** Deliveries the receiver got during the measured load, per second of it. */
  deliveredDuringLoad: number;
  /** Seconds from the end of the load until the receiver had every delivery (NaN: not within the cap). */
  drainSeconds: number;
  missing: number;
};

export type BacklogRow = { name: string; events: number; seconds: number; cpu: CpuUsage | undefined; missing: number };

/** Why deliveries are missing: the bench tenants' deliveries that did not succeed, by status and last error. */
export async function undelivered(databaseUrl: string, tenants: WebhookTenant[]): Promise<string[]> {
  const owner = new pg.Client({ connectionString: databaseUrl });
  await owner.connect();
  try {
    const lines: string[] = [];
    for (const { tenantId } of tenants) {
      await owner.query("SELECT set_config('app.tenant_id', $1, false)", [tenantId]);
      const { rows } = await owner.query<{ status: string; attempts: number; last_error: string | null; count: string }>(
        `SELECT status, attempts, last_error, count(*) FROM webhook_deliveries WHERE tenant_id = $1 AND status <> 'SUCCEEDED'
          GROUP BY 1, 2, 3 ORDER BY 4 DESC LIMIT 5`,
        [tenantId],
      );
      for (const row of rows) lines.push(`${row.count} ${row.status} after ${row.attempts} attempt(s): ${row.last_error ?? "no error recorded"}`);
    }
    return lines;
  } finally {
    await owner.end();
  }
}

type Context = { baseUrl: string; cpuPids: CpuPids; cpus: number; warmUpSeconds: number; durationSeconds: number; signal: AbortSignal };

export async function runCallbackScenario(bench: WebhookBench, connections: number, context: Context): Promise<CallbackRow> {
  const { baseUrl, cpuPids, cpus, warmUpSeconds, durationSeconds, signal } = context;
  const accepted = { count: 0 };
  const request = callbackRequest(bench.tenants, accepted);
  const expectedBefore = bench.receiver.unique();
  const warmUp = await runLoad(baseUrl, request, { connections, durationSeconds: warmUpSeconds, signal });
  const deliveredBefore = bench.receiver.unique();
  const startedAt = performance.now();
  const cpuBefore = cpuSnapshot(cpuPids);
  const measured = await runLoad(baseUrl, request, { connections, durationSeconds, signal });
  const cpu = cpuUsage(cpuBefore, cpuSnapshot(cpuPids), cpus);
  const endedAt = performance.now();
  const deliveredDuringLoad = (bench.receiver.unique() - deliveredBefore) / ((endedAt - startedAt) / 1000);
  const expected = expectedBefore + accepted.count;
  const caughtUp = await waitForDeliveries(bench.receiver, expected, endedAt + DRAIN_CAP_SECONDS * 1000, signal);
  return {
    connections,
    warmUp,
    measured,
    cpu,
    deliveredDuringLoad,
    drainSeconds: caughtUp ? (performance.now() - endedAt) / 1000 : Number.NaN,
    missing: Math.max(0, expected - bench.receiver.unique()),
  };
}

/**
 * Events recorded at once, as the database's owner, from messages the callbacks stored (their payloads
 * are real), then the time until the receiver has their deliveries. `tenants` limits it to some endpoints.
 */
export async function runBacklogScenario(
  bench: WebhookBench,
  { name, events, tenants }: { name: string; events: number; tenants: WebhookTenant[] },
  databaseUrl: string,
  context: Context,
): Promise<BacklogRow> {
  const { cpuPids, cpus, signal } = context;
  const expected = bench.receiver.unique() + events;
  const owner = new pg.Client({ connectionString: databaseUrl });
  await owner.connect();
  let cpuBefore;
  let startedAt: number;
  try {
    await owner.query("BEGIN");
    const share = Math.ceil(events / tenants.length);
    for (const [index, { tenantId }] of tenants.entries()) {
      const count = Math.min(share, events - index * share);
      await owner.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
      const { rows } = await owner.query<{ queued: number }>(
        `SELECT app_record_webhook_events($1, array_agg('message.received'::text), array_agg(app_message_event_payload(one.m))) AS queued
           FROM (SELECT m FROM messages m WHERE m.tenant_id = $1 AND m.direction = 'INBOUND' LIMIT 1) one, LATERAL generate_series(1, $2)`,
        [tenantId, count],
      );
      if (rows[0]?.queued !== count) throw new Error(`${name}: ${rows[0]?.queued} deliveries queued for ${count} events (one endpoint per tenant expected)`);
    }
    cpuBefore = cpuSnapshot(cpuPids);
    startedAt = performance.now();
    await owner.query("COMMIT");
  } finally {
    await owner.end();
  }
  const caughtUp = await waitForDeliveries(bench.receiver, expected, startedAt + 10 * DRAIN_CAP_SECONDS * 1000, signal);
  const seconds = (performance.now() - startedAt) / 1000;
  return {
    name,
    events,
    seconds: caughtUp ? seconds : Number.NaN,
    cpu: cpuUsage(cpuBefore, cpuSnapshot(cpuPids), cpus),
    missing: Math.max(0, expected - bench.receiver.unique()),
  };
}

async function waitForDeliveries(receiver: Receiver, expected: number, deadline: number, signal: AbortSignal): Promise<boolean> {
  while (receiver.unique() < expected) {
    if (performance.now() >= deadline) return false;
    await sleep(POLL_MS, undefined, { signal });
  }
  return true;
}

export function printWebhooks(callbacks: CallbackRow[], backlogs: BacklogRow[]) {
  if (callbacks.length === 0 && backlogs.length === 0) return;
  console.log(`\nWebhooks: Rapiwa callbacks in, deliveries out to a loopback receiver (${WEBHOOK_TENANTS} tenants, one endpoint each):`);
  printTable([
    ["callbacks (incoming messages)", "conns", "callbacks/s", "p50 ms", "p99 ms", "server µs/cb", "pg µs/cb", "delivered/s during", "caught up after"],
    ...callbacks.map((row) => [
      "POST /webhooks/rapiwa/:token",
      String(row.connections),
      row.measured.requestsPerSecond.toFixed(0),
      row.measured.p50Ms.toFixed(2),
      row.measured.p99Ms.toFixed(2),
      perEvent(row.cpu?.server, row.measured.requestsPerSecond),
      perEvent(row.cpu?.postgres, row.measured.requestsPerSecond),
      row.deliveredDuringLoad.toFixed(0),
      Number.isNaN(row.drainSeconds) ? `NOT within ${DRAIN_CAP_SECONDS} s` : `${row.drainSeconds.toFixed(1)} s`,
    ]),
  ]);
  console.log("(µs/cb: CPU time per callback of the server process, deliveries included, and of PostgreSQL)");
  printTable([
    ["delivery backlog", "events", "seconds", "deliveries/s", "server µs/delivery", "pg µs/delivery"],
    ...backlogs.map((row) => {
      const rate = row.events / row.seconds;
      return [row.name, String(row.events), row.seconds.toFixed(2), rate.toFixed(0), perEvent(row.cpu?.server, rate), perEvent(row.cpu?.postgres, rate)];
    }),
  ]);
  const at64 = callbacks.find((row) => row.connections === 64);
  const spread = backlogs[0];
  console.log("\ntargets (informational; the exit code does not depend on them):");
  if (at64) {
    const { requestsPerSecond, p99Ms } = at64.measured;
    console.log(
      `  callbacks @64 >= 1500/s: ${requestsPerSecond >= 1500 ? "yes" : "NO"} (${requestsPerSecond.toFixed(0)}); p99 < 50 ms: ${p99Ms < 50 ? "yes" : "NO"} (${p99Ms.toFixed(1)})`,
    );
  }
  if (spread) {
    const rate = spread.events / spread.seconds;
    console.log(`  deliveries to a loopback receiver >= 1000/s: ${rate >= 1000 ? "yes" : "NO"} (${rate.toFixed(0)}, ${spread.name})`);
  }
}

/** CPU µs per event from cores busy and events per second. */
function perEvent(cores: number | undefined, perSecond: number): string {
  return cores === undefined || !(perSecond > 0) ? "n/a" : ((cores * 1e6) / perSecond).toFixed(0);
}

export function webhookFailures(callbacks: CallbackRow[], backlogs: BacklogRow[], receiver: Receiver | undefined): string[] {
  const problems: string[] = [];
  for (const row of callbacks) {
    const bad = row.measured.non2xx + row.measured.errors + row.measured.badBodies + row.warmUp.non2xx + row.warmUp.errors + row.warmUp.badBodies;
    if (bad > 0) problems.push(`callbacks @${row.connections}: ${[...new Set([...row.warmUp.problems, ...row.measured.problems])].join("; ")}`);
    if (row.missing > 0) problems.push(`callbacks @${row.connections}: ${row.missing} deliveries not received within ${DRAIN_CAP_SECONDS} s`);
  }
  for (const row of backlogs) if (row.missing > 0) problems.push(`${row.name}: ${row.missing} deliveries not received`);
  if (receiver && receiver.duplicates() > 0) problems.push(`webhooks: the receiver got ${receiver.duplicates()} deliveries twice (same webhook-id)`);
  return problems;
}
