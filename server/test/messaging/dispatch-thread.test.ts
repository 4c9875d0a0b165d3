import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.ts";
import { superviseThread } from "../../src/modules/messages/dispatch-thread.ts";

const logger = createLogger("silent");

/** A thread that reports each message to the test (but "die": it exits with code 1), and exits after "stop". */
function echoThread(port: (message: unknown) => void): Worker {
  const worker = new Worker(
    `const { parentPort } = require("node:worker_threads");
     parentPort.postMessage("started");
     parentPort.on("message", (message) => {
       if (message === "die") process.exit(1);
       parentPort.postMessage(message);
       if (message === "stop") setTimeout(() => process.exit(0), 20);
     });`,
    { eval: true },
  );
  worker.on("message", port);
  return worker;
}

function collect() {
  const seen: unknown[] = [];
  const waiters: { count: number; resolve(): void }[] = [];
  return {
    seen,
    record(message: unknown) {
      seen.push(message);
      for (const waiter of waiters.filter((w) => seen.length >= w.count)) waiter.resolve();
    },
    until(count: number) {
      return seen.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve }));
    },
  };
}

/** An echo thread under supervision (restart delay 10 ms), with what it reported and how often it was started. */
function supervisedEchoThread() {
  const events = collect();
  let starts = 0;
  const thread = superviseThread(
    () => {
      starts++;
      return echoThread((message) => events.record(message));
    },
    logger,
    10,
  );
  return { thread, events, spawned: () => starts };
}

describe("the dispatcher thread's supervisor", () => {
  it("replaces a thread that dies, and messages reach the new one", async () => {
    const { thread, events, spawned } = supervisedEchoThread();
    await events.until(1);
    thread.post("die");
    await events.until(2); // the replacement's "started"
    expect(spawned()).toBe(2);
    thread.post("wake");
    await events.until(3);
    expect(events.seen).toEqual(["started", "started", "wake"]);
    await thread.stop("stop");
  });

  it("stop waits for the thread to exit and does not restart it", async () => {
    const { thread, events, spawned } = supervisedEchoThread();
    await events.until(1);
    await thread.stop("stop");
    expect(events.seen).toEqual(["started", "stop"]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(spawned()).toBe(1);
  });
});
