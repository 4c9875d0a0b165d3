// Mutation testing (StrykerJS) of the modules where a bug costs most. Run from the repository root
// (`npm run test:mutation`): the sandbox then keeps prisma/ where src/config.ts looks for it.
// Not part of `npm test`: a full run takes hours on two cores; incremental mode re-tests only
// mutants whose code or covering tests changed since the committed result.
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  packageManager: "npm",
  testRunner: "vitest",
  vitest: { configFile: "server/vitest.stryker.config.ts", related: true },
  checkers: ["typescript"],
  tsconfigFile: "server/tsconfig.json",
  coverageAnalysis: "perTest",
  // Module-level mutants (e.g. a constant table) would run the whole suite for each mutant.
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 20_000,
  dryRunTimeoutMinutes: 30,
  incremental: true,
  incrementalFile: "reports/mutation/stryker-incremental.json",
  reporters: ["html", "json", "clear-text", "progress"],
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  ignorePatterns: ["web", ".data", "reports", "server/.stryker-tmp", "server/bench"],
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
  mutate: [
    "server/src/security/**/*.ts",
    "server/src/config.ts",
    "server/src/graphql/auth-checker.ts",
    "server/src/modules/auth/**/*.ts",
    "server/src/modules/api-keys/**/*.ts",
    "server/src/modules/team/**/*.ts",
    "server/src/modules/usage/**/*.ts",
    "server/src/modules/sending/**/*.ts",
    "server/src/jobs/engine.ts",
    "server/src/jobs/group-commit.ts",
    "server/src/jobs/backoff.ts",
    "server/src/providers/rapiwa/inbound-callback.ts",
    "server/src/modules/messages/receive-message.ts",
    "server/src/modules/messages/message-status.ts",
    // GraphQL type classes: decorators and descriptions only.
    "!server/src/**/*.types.ts",
  ],
};
