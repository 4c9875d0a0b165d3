import type { Logger } from "../logger.ts";

/**
 * Clean-up that runs on a schedule across every tenant (old webhook payloads, old idempotency keys):
 * bounded batches, each one short statement, until a batch comes back short.
 */
export type PeriodicTask = {
  /** Names it in the log and for `run`. */
  name: string;
  /** One bounded batch of the work; resolves with how many rows it handled. */
  batch(): Promise<number>;
  /** A batch that handles fewer rows than this means there is nothing more to do for now. */
  batchSize: number;
  /** What the log line says was done, e.g. "webhook payloads older than 30 days cleared". */
  done: string;
};

const HOUR_MS = 3_600_000;

/**
 * Runs each task at start and then every hour (`everyMs`), never twice at once. A failed run (the
 * database away) is logged and tried again at the next tick; it does not hold the other tasks up.
 */
export function startPeriodicTasks({ tasks, logger, everyMs = HOUR_MS }: { tasks: PeriodicTask[]; logger: Logger; everyMs?: number }) {
  // The latest run of each task that has not finished; a new run queues behind it.
  const latest = new Map<string, Promise<number>>();

  async function drain(task: PeriodicTask): Promise<number> {
    let total = 0;
    for (;;) {
      const handled = await task.batch();
      total += handled;
      if (handled < task.batchSize) return total;
    }
  }

  function start(task: PeriodicTask): Promise<number> {
    const run: Promise<number> = (latest.get(task.name) ?? Promise.resolve(0))
      .then(() => drain(task))
      .then(
        (count) => {
          if (count > 0) logger.info({ task: task.name, count }, task.done);
          return count;
        },
        (error: unknown) => {
          logger.warn({ err: error, task: task.name }, `${task.name} did not run; it is tried again at the next hour`);
          return 0;
        },
      )
      .finally(() => {
        if (latest.get(task.name) === run) latest.delete(task.name);
      });
    latest.set(task.name, run);
    return run;
  }

  const tick = () => {
    for (const task of tasks) if (!latest.has(task.name)) void start(task);
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  tick();

  return {
    /** Runs the named task now, or right after its current run; resolves with how many rows it handled. */
    run(name: string): Promise<number> {
      const task = tasks.find((candidate) => candidate.name === name);
      if (!task) throw new Error(`No periodic task named ${name}`);
      return start(task);
    },
    async stop() {
      clearInterval(timer);
      await Promise.all(latest.values());
    },
  };
}

export type PeriodicTasks = ReturnType<typeof startPeriodicTasks>;
