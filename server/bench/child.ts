import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const benchDir = path.dirname(fileURLToPath(import.meta.url));

/** A bench script running in a Node process of its own (server, fake Rapiwa, raw-SQL baseline). */
export type BenchChild = {
  name: string;
  pid: number;
  /** Aborted when the process exits, for whatever reason. */
  gone: AbortSignal;
  exitReason(): string;
  /**
   * The next line the process writes on stdout, parsed as JSON; rejects if the process exits, the
   * signal aborts or `timeoutMs` passes first. Lines are buffered, none is lost between calls.
   */
  nextMessage<T>(timeoutMs: number, signal: AbortSignal): Promise<T>;
  /** SIGTERM, then SIGKILL after 10 s; resolves once the process exited. Safe to call twice. */
  stop(): Promise<void>;
};

const running = new Set<ChildProcess>();

/** Last resort for an exit before the cleanup steps ran (see run.mts). */
export function killChildrenNow() {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
}

/**
 * Starts `node [nodeArgs] --import tsx bench/<script>` with the server folder as working folder.
 * stdin stays open, so the scripts notice when the bench dies without stopping them.
 */
export function startChild(name: string, script: string, env: NodeJS.ProcessEnv, nodeArgs: string[] = []): BenchChild {
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", path.join(benchDir, script)], {
    cwd: path.dirname(benchDir),
    env,
    stdio: ["pipe", "pipe", "inherit"],
  });
  running.add(child);
  const gone = new AbortController();
  let exitReason = "still running";
  // 'close', not 'exit': by then every line the process wrote has been read.
  const exited = new Promise<void>((resolve) =>
    child.once("close", (code, signal) => {
      exitReason = signal ? `signal ${signal}` : `exit code ${code}`;
      running.delete(child);
      gone.abort(new Error(`${name} ${exitReason}`));
      resolve();
    }),
  );
  // If spawning fails, 'exit' may never come.
  child.once("error", (error) => {
    exitReason = `could not start: ${error.message}`;
    running.delete(child);
    gone.abort(error);
  });

  const lines: string[] = [];
  let waiter: (() => void) | undefined;
  createInterface({ input: child.stdout! }).on("line", (line) => {
    lines.push(line);
    waiter?.();
  });

  async function nextMessage<T>(timeoutMs: number, signal: AbortSignal): Promise<T> {
    while (lines.length === 0) {
      if (gone.signal.aborted) throw new Error(`${name} stopped (${exitReason}); see its output above`);
      signal.throwIfAborted();
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`${name} said nothing within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
        const onAbort = () => done();
        function done(error?: Error) {
          clearTimeout(timer);
          waiter = undefined;
          gone.signal.removeEventListener("abort", onAbort);
          signal.removeEventListener("abort", onAbort);
          if (error) reject(error);
          else resolve();
        }
        waiter = () => done();
        gone.signal.addEventListener("abort", onAbort);
        signal.addEventListener("abort", onAbort);
      });
    }
    const line = lines.shift()!;
    try {
      return JSON.parse(line) as T;
    } catch {
      throw new Error(`unexpected line from ${name}: ${line}`);
    }
  }

  let stopping: Promise<void> | undefined;
  function stop(): Promise<void> {
    stopping ??= (async () => {
      if (gone.signal.aborted) return;
      child.kill("SIGTERM");
      const kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(kill);
    })();
    return stopping;
  }

  return { name, pid: child.pid ?? -1, gone: gone.signal, exitReason: () => exitReason, nextMessage, stop };
}
