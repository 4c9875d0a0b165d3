// npm run schema:check (part of npm test): see README, "Schema changes".
import { execFileSync } from "node:child_process";
import path from "node:path";
import { checkSchemaChanges } from "./check.ts";

function repositoryRoot(): string {
  try {
    return execFileSync("git", ["rev-parse", "--show-toplevel"], { cwd: import.meta.dirname, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return path.resolve(import.meta.dirname, "../../..");
  }
}

const { ok, report } = await checkSchemaChanges({ root: repositoryRoot(), ci: process.env.CI === "true" || process.env.CI === "1" });
for (const line of report) console.log(line);
process.exitCode = ok ? 0 : 1;
