import { Worker } from "node:worker_threads";
import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";
import type { JobKey } from "./engine.ts";
import { gatherKeys } from "./wake-ups.ts";

/** What the engine thread starts from (structured-cloned into it). */
export type EngineThreadData = { config: Config; appUrl: string };

/** What the server tells its engine thread: new work for these keys, or stop. */
export type ToEngineThread = { wake: JobKey[] } | "stop";

const RESTART_DELAY_MS = 1_000;

/**
 * Runs the work engine (and the sandbox's receipts) on a worker thread of its own, with its own
 * database pools. On the API's event loop the dispatcher waited behind every queued HTTP request:
 * under load it sent a fifth of what was accepted and the backlog grew (bench, 2026-11-26); a
 * thread gets its share of the CPU from the OS. A thread that dies is restarted; a send it had in
 * flight ends UNKNOWN by its lease, like after a crash.
 */
export function startEngineThread({ config, appUrl, logger }: EngineThreadData & { logger: Logger }) {
  const data: EngineThreadData = { config, appUrl };
  const thread = superviseThread(() => new Worker(workerBoot(), { eval: true, workerData: data }), logger);
  return {
    /** New work for `key`: the keys of one turn of the event loop go to the thread in one message. */
    notify: gatherKeys(
      (flush) => setImmediate(flush),
      (wake) => thread.post({ wake } satisfies ToEngineThread),
    ),
    /** Stops claiming, waits for the jobs in hand to be recorded, then ends the thread. */
    stop: () => thread.stop("stop" satisfies ToEngineThread),
  };
}

export type EngineThread = ReturnType<typeof startEngineThread>;

/**
 * Keeps one worker thread running: one that exits unasked is replaced after `restartDelayMs`.
 * `stop(message)` posts the message and resolves once the thread has exited.
 */
export function superviseThread(spawn: () => Worker, logger: Logger, restartDelayMs = RESTART_DELAY_MS) {
  let worker: Worker | undefined;
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;

  function start() {
    const thread = spawn();
    thread.on("error", (error) => logger.error({ err: error }, "worker thread failed"));
    thread.on("exit", (code) => {
      if (worker === thread) worker = undefined;
      if (stopping) return;
      logger.error({ code }, `worker thread exited; restarting in ${restartDelayMs} ms`);
      restartTimer = setTimeout(start, restartDelayMs);
      restartTimer.unref();
    });
    worker = thread;
  }
  start();

  return {
    /** Posts to the running thread; dropped while it is being restarted. */
    post(message: unknown) {
      worker?.postMessage(message);
    },
    async stop(message: unknown) {
      stopping = true;
      clearTimeout(restartTimer);
      const thread = worker;
      if (!thread) return;
      await new Promise<void>((resolve) => {
        thread.once("exit", () => resolve());
        thread.postMessage(message);
      });
    },
  };
}

/**
 * The thread's first code: the server runs TypeScript through tsx, whose `--import` hook does not
 * reach worker threads on Node 20, so the thread registers tsx itself before loading its entry.
 */
function workerBoot(): string {
  const entry = new URL("./engine-worker.ts", import.meta.url).href;
  const tsx = import.meta.resolve("tsx/esm/api");
  return `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
}
