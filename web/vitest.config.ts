import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// Component tests in a simulated DOM (happy-dom: jsdom 29+ wants Node 22). Browser tests of the
// whole product run in Chromium instead (e2e/).
export default defineConfig({
  plugins: [react()],
  test: {
    environment: "happy-dom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test/setup.ts"],
    restoreMocks: true,
  },
});
