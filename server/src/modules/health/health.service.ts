import type { DatabaseOutage } from "../../db/availability.ts";
import type { Database } from "../../db/database.ts";

export enum HealthStatus {
  OK = "OK",
  DEGRADED = "DEGRADED",
}

export type HealthReport = {
  status: HealthStatus;
  database: "up" | "down";
  databaseLatencyMs: number;
  /** While the database is down: since when this process has seen it fail (ISO 8601). */
  databaseDownSince?: string;
  /** While it is down: the requests answered UNAVAILABLE since then. */
  refusedRequests?: number;
};

/** How long a health check waits for the database before calling it down. */
export const PING_TIMEOUT_MS = 2_000;

/** Pings the database; `outage` (the process's record of database outages) learns what the ping saw. */
export async function checkHealth(db: Database, outage?: Pick<DatabaseOutage, "failed" | "answered" | "state">): Promise<HealthReport> {
  const started = performance.now();
  let failure: unknown;
  const databaseUp = await Promise.race([
    db.ping().then(
      () => true,
      (error: unknown) => {
        failure = error;
        return false;
      },
    ),
    new Promise<boolean>((resolve) => setTimeout(resolve, PING_TIMEOUT_MS, false).unref()),
  ]);
  const databaseLatencyMs = Math.round(performance.now() - started);
  if (databaseUp) {
    outage?.answered();
    return { status: HealthStatus.OK, database: "up", databaseLatencyMs };
  }
  outage?.failed(failure ?? new Error(`The database did not answer within ${PING_TIMEOUT_MS} ms`));
  const state = outage?.state();
  return {
    status: HealthStatus.DEGRADED,
    database: "down",
    databaseLatencyMs,
    ...(state?.downSince ? { databaseDownSince: state.downSince.toISOString(), refusedRequests: state.refusedRequests } : {}),
  };
}
