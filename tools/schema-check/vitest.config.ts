import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS and ESM builds; Node loads the CJS one for @graphql-inspector/core, while Vite
    // would pick the ESM one for our code: two copies whose schemas do not recognise each other.
    alias: { graphql: "graphql/index.js" },
  },
  test: {
    include: ["test/**/*.test.ts"],
    // The history tests run git in temporary repositories: a few seconds on a loaded 2-core machine.
    testTimeout: 30_000,
  },
});
