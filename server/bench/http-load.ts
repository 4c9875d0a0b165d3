import autocannon from "autocannon";

/** One kind of request, sent over and over by every connection. */
export type LoadRequest = {
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  /** Headers per request in turn, e.g. one API key per tenant: each connection cycles through them. */
  headerVariants?: Record<string, string>[];
  body?: string;
  /** A path and body per request instead (e.g. a new provider message id each time); `path` is then only the first. */
  nextRequest?: () => { path: string; body: string };
  /** True for the body a working server answers; any other body counts as a bad body. */
  verifyBody: (body: string) => boolean;
};

export type LoadResult = {
  requestsPerSecond: number;
  responses: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  /** Connection errors, timeouts included. */
  errors: number;
  /** Responses whose body failed `verifyBody` (GraphQL errors, wrong data, error pages). */
  badBodies: number;
  /** The first status, body or error that was wrong, to say what broke. */
  problems: string[];
};

export type LoadOptions = { connections: number; durationSeconds: number; signal?: AbortSignal };

/** Runs autocannon against `baseUrl + request.path`; an aborted signal ends the run early. */
export function runLoad(baseUrl: string, request: LoadRequest, { connections, durationSeconds, signal }: LoadOptions): Promise<LoadResult> {
  const problems = new Map<string, string>();
  const note = (kind: string, detail: string) => {
    if (!problems.has(kind)) problems.set(kind, detail);
  };
  // autocannon's latency histogram keeps whole milliseconds, too coarse for sub-millisecond
  // health checks; keep every response time (a few hundred KB for a run) and rank them instead.
  let latencies = new Float64Array(1 << 16);
  let count = 0;

  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: new URL(request.path, baseUrl).toString(),
        connections,
        duration: durationSeconds,
        method: request.method,
        headers: request.headers,
        body: request.body,
        ...requestsOf(request),
        // autocannon concatenates the body chunks into a string.
        verifyBody: (raw) => {
          const body = String(raw ?? "");
          const ok = request.verifyBody(body);
          if (!ok) note("body", `unexpected body: ${body.slice(0, 300)}`);
          return ok;
        },
      },
      (error, result) => {
        signal?.removeEventListener("abort", stop);
        if (error) return reject(error);
        const sorted = latencies.subarray(0, count).sort();
        resolve({
          requestsPerSecond: result.requests.average,
          responses: count,
          p50Ms: percentile(sorted, 0.5),
          p99Ms: percentile(sorted, 0.99),
          non2xx: result.non2xx,
          errors: result.errors,
          badBodies: result.mismatches,
          problems: [...problems.values()],
        });
      },
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (statusCode < 200 || statusCode >= 300) note("status", `HTTP ${statusCode}`);
      if (count === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[count++] = responseTime;
    });
    instance.on("reqError", (error) => note("error", `request error: ${error instanceof Error ? error.message : String(error)}`));
    const stop = () => instance.stop();
    if (signal?.aborted) stop();
    signal?.addEventListener("abort", stop, { once: true });
  });
}

/** autocannon's per-request settings: headers in turn, and a new path and body each time, either or both. */
function requestsOf({ headerVariants, nextRequest }: LoadRequest) {
  const setup = nextRequest ? { setupRequest: (sent: object) => ({ ...sent, ...nextRequest() }) } : {};
  if (headerVariants) return { requests: headerVariants.map((headers) => ({ headers, ...setup })) };
  return nextRequest ? { requests: [setup] } : {};
}

/** Nearest-rank percentile of ascending values; NaN when there are none. */
export function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}
