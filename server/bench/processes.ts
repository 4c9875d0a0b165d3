import path from "node:path";
import { startChild, type BenchChild } from "./child.ts";

/**
 * The bench's own processes: the server (server.mts) and the fake Rapiwa (fake-rapiwa.mts), each in a
 * Node process of its own, started for run.mts and support-search.mts alike.
 */

/** Undo steps, run last-in first-out when a bench ends however it ends. */
export type CleanupStep = { name: string; run: () => Promise<void> };
/** Where a started process registers its stop, and the bench's interrupt (Ctrl-C). */
export type ProcessOptions = { cleanups: CleanupStep[]; signal: AbortSignal };

export type RunningServer = {
  url: string;
  pid: number;
  /** API processes (BENCH_API_PROCESSES); if any, `pid` only dispatches and these serve HTTP. */
  apiProcesses: number;
  workerPids: number[];
  /** The API's database pool (DATABASE_POOL_SIZE); the raw-SQL baseline uses the same. */
  poolSize: number;
  dispatch: { concurrency: number; providerTimeoutMs: number };
  webhookConcurrency: number;
  gone: AbortSignal;
  exitReason(): string;
  /** Stops it (it finishes the sends in flight); later cleanup does nothing more. */
  stop(): Promise<void>;
};

export async function startServer(databaseUrl: string, rapiwaBaseUrl: string, { cleanups, signal }: ProcessOptions): Promise<RunningServer> {
  // BENCH_CPU_PROF=<folder>: the server writes a V8 CPU profile there when it stops (open it in
  // Chrome DevTools or speedscope) to see where the server's time goes.
  const profileDir = process.env.BENCH_CPU_PROF;
  const profileArgs = profileDir ? ["--cpu-prof", "--cpu-prof-dir", path.resolve(profileDir)] : [];
  // DISPATCH_CONCURRENCY and PROVIDER_TIMEOUT_MS pass through from the shell (see server.mts).
  const child = startChild("the server", "server.mts", { ...process.env, BENCH_DATABASE_URL: databaseUrl, RAPIWA_BASE_URL: rapiwaBaseUrl }, profileArgs);
  cleanups.push({ name: "stop the server", run: () => child.stop() });
  const first = await firstMessage<{
    url: string;
    dispatch: RunningServer["dispatch"];
    rapiwaBaseUrl: string;
    apiProcesses: number;
    workerPids: number[];
    poolSize: number;
    webhookConcurrency: number;
  }>(child, signal);
  if (first.rapiwaBaseUrl !== rapiwaBaseUrl) throw new Error(`the server sends to ${first.rapiwaBaseUrl}, not to the fake Rapiwa at ${rapiwaBaseUrl}`);
  const { url, dispatch, apiProcesses, workerPids, poolSize, webhookConcurrency } = first;
  return {
    url,
    pid: child.pid,
    apiProcesses,
    workerPids,
    poolSize,
    dispatch,
    webhookConcurrency,
    gone: child.gone,
    exitReason: child.exitReason,
    stop: child.stop,
  };
}

export type RunningFake = { url: string; pid: number };

/** The fake Rapiwa in a process of its own (fake-rapiwa.mts), on a free port. */
export async function startFakeRapiwa({ cleanups, signal }: ProcessOptions): Promise<RunningFake> {
  const child = startChild("the fake Rapiwa", "fake-rapiwa.mts", { ...process.env, FAKE_RAPIWA_PORT: "0", FAKE_RAPIWA_HOST: "127.0.0.1" });
  cleanups.push({ name: "stop the fake Rapiwa", run: () => child.stop() });
  const { url } = await firstMessage<{ url: string }>(child, signal);
  return { url, pid: child.pid };
}

/** The JSON line a child prints once it is ready. */
async function firstMessage<T>(child: BenchChild, signal: AbortSignal): Promise<T> {
  try {
    return await child.nextMessage<T>(60_000, signal);
  } catch (error) {
    signal.throwIfAborted();
    throw new Error(`${child.name} did not start: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
