import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS and ESM builds; Node (and so type-graphql) loads the CJS one, while
    // Vite would pick the ESM one: two copies whose types do not recognise each other.
    alias: { graphql: "graphql/index.js" },
  },
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Vitest's default is one worker per core less one: a single worker on a 2-core machine, where
    // these suites mostly wait (on PostgreSQL, spawned servers, the fake provider, log-in slow-downs).
    maxWorkers: 3,
  },
});
