import type { Database } from "../../db/database.ts";

export enum HealthStatus {
  OK = "OK",
  DEGRADED = "DEGRADED",
}

export type HealthReport = { status: HealthStatus; database: "up" | "down"; databaseLatencyMs: number };

const PING_TIMEOUT_MS = 2_000;

export async function checkHealth(db: Database): Promise<HealthReport> {
  const started = performance.now();
  const databaseUp = await Promise.race([
    db.ping().then(() => true, () => false),
    new Promise<boolean>((resolve) => setTimeout(resolve, PING_TIMEOUT_MS, false).unref()),
  ]);
  return {
    status: databaseUp ? HealthStatus.OK : HealthStatus.DEGRADED,
    database: databaseUp ? "up" : "down",
    databaseLatencyMs: Math.round(performance.now() - started),
  };
}
