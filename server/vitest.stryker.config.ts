import { fileURLToPath } from "node:url";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.ts";

/**
 * Unit files first: most mutants die there in milliseconds, and Stryker stops at the first failure,
 * so the database suites (seconds each) run only for the mutants the unit tests let through.
 */
class UnitTestsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]) {
    const sorted = await super.sort(files);
    const isUnit = (file: TestSpecification) => file.moduleId.includes("/test/unit/");
    return [...sorted.filter(isUnit), ...sorted.filter((file) => !isUnit(file))];
  }
}

// Stryker runs from the repository root (so that src/config.ts finds prisma/ in its sandbox):
// pin the root to this folder. The suites that spawn server processes (crash recovery,
// startup) test the process, not these modules, and would cost minutes per mutant.
export default mergeConfig(
  base,
  defineConfig({
    root: fileURLToPath(new URL(".", import.meta.url)),
    test: {
      exclude: ["test/messaging/crash-recovery.test.ts", "test/startup/**", "**/node_modules/**"],
      sequence: { sequencer: UnitTestsFirst },
    },
  }),
);
