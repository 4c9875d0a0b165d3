import { fileURLToPath } from "node:url";
import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.ts";

// Stryker runs from the repository root (so that src/config.ts finds prisma/ in its sandbox):
// pin the root to this folder. The suites that spawn server processes (crash recovery,
// startup) test the process, not these modules, and would cost minutes per mutant.
export default mergeConfig(
  base,
  defineConfig({
    root: fileURLToPath(new URL(".", import.meta.url)),
    test: {
      exclude: ["test/messaging/crash-recovery.test.ts", "test/startup/**", "**/node_modules/**"],
    },
  }),
);
