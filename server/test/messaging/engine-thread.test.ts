import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.ts";
import { loadConfig } from "../../src/config.ts";
import { startEngineThread, superviseThread } from "../../src/jobs/engine-thread.ts";
import { expectData } from "../support/api.ts";
import { TEST_SECRET } from "../support/database.ts";
import { connectedTenant, eventually, messageState, SEND, startMessagingWorld } from "../support/messaging.ts";

const logger = createLogger("silent");
const RESTART_MS = 10;

/**
 * A thread that reports each message to the test (but "die": it exits with code 1), and exits after "stop".
 * A controlled double on purpose: the supervisor's job is what happens when a thread dies at a given
 * moment, and the real work engine thread cannot be made to die on cue. The real thread is tested below.
 */
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
    RESTART_MS,
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
    // A restart would be a timer of RESTART_MS set when the thread exited (before stop resolved); a
    // timer of the same length set now fires after it, so by then any restart would have happened.
    await new Promise((resolve) => setTimeout(resolve, RESTART_MS));
    expect(spawned()).toBe(1);
  });
});

describe("the real work engine thread", () => {
  it("sends what the API queued, on its own connections, and stop() ends it after recording", { timeout: 60_000 }, async () => {
    // The API without its in-process dispatcher; the thread is the only sender.
    const world = await startMessagingWorld({ DISPATCH_ENABLED: "false" });
    let thread: ReturnType<typeof startEngineThread> | undefined;
    try {
      const tenant = await connectedTenant(world, { label: "thread" });
      const accepted = expectData(await world.api.graphql(SEND, { input: { to: "+14155550131", text: "via the thread" } }, { token: tenant.key })).sendMessage;
      const config = loadConfig({
        NODE_ENV: "test",
        SWITCHBOARD_SECRET: TEST_SECRET,
        DATABASE_URL: world.api.database.ownerUrl,
        RAPIWA_BASE_URL: world.rapiwa.url,
        LOG_LEVEL: "silent",
        PROVIDER_TIMEOUT_MS: "2000",
      });
      thread = startEngineThread({ config, appUrl: world.api.database.appUrl, logger });
      const done = await eventually(
        () => messageState(world.api, tenant, accepted.id),
        (message) => message.status === "SENT",
        30_000,
      );
      expect(done).toMatchObject({ attempts: 1, providerMessageId: expect.stringMatching(/^rapiwa_/) });
      expect(world.rapiwa.received().filter((entry) => entry.message === "via the thread")).toHaveLength(1);
      await thread.stop();
      thread = undefined;
    } finally {
      await thread?.stop();
      await world.close();
    }
  });
});
