import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCode, signUp, startTestApi, type TestApi } from "../support/api.ts";

/** What operators see: /metrics (bounded, behind a token) and request logs (no secrets). */

const METRICS_TOKEN = "metrics-token-for-the-observability-suite-0123";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ environment: { METRICS_TOKEN }, captureLogs: true });
});
afterAll(() => api?.close());

/** GET /metrics with `token` as the bearer (null: no Authorization header). */
const scrape = async (token: string | null = METRICS_TOKEN, target = api) => {
  const response = await fetch(`${target.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, headers: response.headers, text: await response.text() };
};

/** The series whose labels come from requests (not the Node process's own). */
const requestSeries = (text: string) => text.split("\n").filter((line) => /^switchboard_(graphql|http)_/.test(line));

const postBatch = (queries: string[]) =>
  fetch(`${api.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(queries.map((query) => ({ query }))),
  });

describe("/metrics", () => {
  it("needs the metrics token", async () => {
    for (const token of [null, "wrong-token", `${METRICS_TOKEN}x`]) {
      const refused = await scrape(token);
      expect(refused.status, String(token)).toBe(401);
      expect(JSON.parse(refused.text).errors[0].extensions.code).toBe("UNAUTHENTICATED");
      expect(refused.text).not.toContain("switchboard_");
    }
    const served = await scrape();
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(served.text).toContain("# TYPE switchboard_http_request_duration_seconds histogram");
  });

  it("is off without METRICS_TOKEN, in production too", async () => {
    for (const env of ["test", "production"] as const) {
      const plain = await startTestApi({ env });
      try {
        const response = await scrape(null, plain);
        expect(response.status, env).toBe(404);
        expect(response.text).not.toContain("nodejs_version_info");
      } finally {
        await plain.close();
      }
    }
  });

  it("counts GraphQL errors by code and HTTP request durations by route", async () => {
    const unauthenticatedCount = (text: string) => Number(text.match(/^switchboard_graphql_errors_total\{code="UNAUTHENTICATED"\} (\d+)$/m)?.[1] ?? 0);
    const before = unauthenticatedCount((await scrape()).text);

    expect(errorCode(await api.graphql(`{ tenant { id } }`))).toBe("UNAUTHENTICATED");

    const metrics = await scrape();
    expect(unauthenticatedCount(metrics.text)).toBe(before + 1);
    expect(metrics.text).toMatch(/^switchboard_http_request_duration_seconds_count\{route="\/graphql",method="POST",status="200"\} [1-9]\d*$/m);
    expect(metrics.text).toMatch(/^switchboard_graphql_operation_duration_seconds_count\{operation="query:tenant"\} [1-9]\d*$/m);
  });

  it("labels operations by the schema's root fields only: 1,000 distinct query shapes add no series", async () => {
    // Warm up every label the shapes below can produce.
    const warmUp = await postBatch([`{ health }`, `{ __typename }`, `{ me { id } }`]);
    expect(warmUp.status).toBe(200);
    const before = requestSeries((await scrape()).text);
    expect(before.some((line) => line.includes(`operation="query:health"`))).toBe(true);
    expect(before.some((line) => line.includes(`operation="other"`))).toBe(true);

    const shapes = Array.from({ length: 1_000 }, (_, index) => {
      const repeats = "__typename ".repeat(Math.floor(index / 4) + 1);
      switch (index % 4) {
        case 0:
          return `{ ${repeats} health }`;
        case 1:
          return `query Shape${index} { h${index}: health ${repeats} }`;
        case 2:
          return `{ ...F${index} } fragment F${index} on Query { health ${repeats} }`;
        default:
          return `{ ${repeats} }`;
      }
    });
    expect(new Set(shapes).size).toBe(1_000);
    for (let start = 0; start < shapes.length; start += 10) {
      const response = await postBatch(shapes.slice(start, start + 10));
      expect(response.status).toBe(200);
      const results = (await response.json()) as { data?: unknown; errors?: unknown }[];
      expect(results.every((result) => result.errors === undefined)).toBe(true);
    }

    const after = requestSeries((await scrape()).text);
    const names = (lines: string[]) => lines.map((line) => line.replace(/ [^ ]+$/, "")).sort();
    expect(names(after)).toEqual(names(before));
  });
});

describe("request logs", () => {
  it("leave the inbound webhook token out of the request line", async () => {
    const owner = await signUp(api, "logs");
    const connected = await api.graphql(
      `mutation { connectWhatsApp(input: { apiKey: "sandbox_logs", number: "+8801711000009" }) { inboundWebhookUrl } }`,
      {},
      { token: owner.token },
    );
    const inboundUrl: string = connected.data!.connectWhatsApp.inboundWebhookUrl;
    const token = inboundUrl.split("/").at(-1)!;
    expect(token).toMatch(/^[\w-]{32}$/);

    const response = await fetch(`${api.url}/webhooks/rapiwa/${token}?retry=1`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "inbound-log-check" },
      body: JSON.stringify({ data: { from: "+14155550123", message: "hello", messageId: "wamid.log" } }),
    });
    expect(response.status).toBe(200);

    const lines = api.logs.filter((line) => line.reqId === "inbound-log-check");
    expect(lines.map((line) => line.msg)).toEqual(["incoming request", "request completed"]);
    expect(lines[0]!.req).toMatchObject({ method: "POST", url: "/webhooks/rapiwa/[redacted]?retry=1" });
    expect(JSON.stringify(api.logs)).not.toContain(token);
  });
});
