import { defineConfig } from "prisma/config";

// `prisma generate` parses the schema offline; the URL is only read by commands that connect,
// and Prisma throws on a missing env var even for generate, hence the default.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/switchboard" },
});
