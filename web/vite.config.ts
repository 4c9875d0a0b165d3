import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { bundleBudget } from "./build/bundle-budget.ts";

// In development the dashboard runs on Vite's server and talks to the API on :4000;
// `npm start` serves the built files from the API server itself (one origin, no CORS).
export default defineConfig({
  plugins: [react(), tailwindcss(), bundleBudget({ budgetKb: 150 })],
  server: {
    // /api: the message log's CSV export link.
    proxy: { "/graphql": "http://localhost:4000", "/api": "http://localhost:4000", "/healthz": "http://localhost:4000" },
  },
  build: { outDir: "dist", emptyOutDir: true },
});
