import { parentPort, workerData } from "node:worker_threads";
import { connectDatabase } from "../db/database.ts";
import { createLogger } from "../logger.ts";
import { createBackgroundWork } from "../services.ts";
import type { EngineThreadData, ToEngineThread } from "./engine-thread.ts";

// The engine thread's entry (see engine-thread.ts).
const { config, appUrl } = workerData as EngineThreadData;
const logger = createLogger(config.logLevel, undefined, { format: config.logFormat }).child({ thread: "work-engine" });
// The engine works on the background pool; the main pool serves the sandbox's receipts.
const db = connectDatabase(appUrl, { maxConnections: 2 });
const work = createBackgroundWork(config, db, logger);
work.start();

let stopping = false;
parentPort!.on("message", (message: ToEngineThread) => {
  if (message === "stop") {
    if (stopping) return;
    stopping = true;
    void work
      .stop()
      .catch((error) => logger.error({ err: error }, "work engine did not stop cleanly"))
      .finally(async () => {
        await db.close();
        process.exit(0);
      });
    return;
  }
  for (const key of message.wake) work.notify(key);
});
