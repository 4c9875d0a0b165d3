import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    // The server starts on an empty embedded PostgreSQL (initdb and every migration): allow for a loaded machine.
    hookTimeout: 180_000,
  },
});
