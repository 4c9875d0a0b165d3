import { parentPort, workerData } from "node:worker_threads";
import { connectDatabase } from "../../db/database.ts";
import { createLogger } from "../../logger.ts";
import { createDispatchWork } from "../../services.ts";
import type { DispatchThreadData, ToDispatchThread } from "./dispatch-thread.ts";

// The dispatcher thread's entry (see dispatch-thread.ts).
const { config, appUrl } = workerData as DispatchThreadData;
const logger = createLogger(config.logLevel).child({ thread: "dispatcher" });
// The dispatcher works on the background pool; the main pool serves the sandbox's receipts.
const db = connectDatabase(appUrl, { maxConnections: 2 });
const work = createDispatchWork(config, db, logger);
work.start();

let stopping = false;
parentPort!.on("message", (message: ToDispatchThread) => {
  if (message === "wake") work.dispatcher.notify();
  if (message === "stop" && !stopping) {
    stopping = true;
    void work
      .stop()
      .catch((error) => logger.error({ err: error }, "dispatcher did not stop cleanly"))
      .finally(async () => {
        await db.close();
        process.exit(0);
      });
  }
});
