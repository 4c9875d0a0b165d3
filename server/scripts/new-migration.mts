/**
 * Writes the SQL for a schema change: `npm run migration:new -w server -- <name> [--from <old schema.prisma>]`.
 *
 * Prisma 7's migrate commands need a native schema engine we cannot download here, so this runs
 * Prisma 6's `migrate diff` on its JS engine (installed as `prisma-legacy`) between the schema as
 * of the last committed migration (or --from) and prisma/schema.prisma. That engine wants a
 * reachable PostgreSQL for its adapter even though it only diffs files: a throwaway embedded one.
 * Policies, grants and functions are not Prisma's business: add RLS for new tables by hand.
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { repoRoot } from "../src/config.ts";
import { startEmbeddedPostgres } from "../src/db/embedded-postgres.ts";
import { defaultMigrationsDir } from "../src/db/migrations.ts";
import { createLogger } from "../src/logger.ts";

const args = process.argv.slice(2);
const name = args.find((arg) => !arg.startsWith("--") && args[args.indexOf(arg) - 1] !== "--from");
const fromIndex = args.indexOf("--from");
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run migration:new -w server -- <snake_case_name> [--from <old schema.prisma>]");
  process.exit(2);
}

/**
 * Now (UTC, to the second), or one second after the latest migration when that is later: migrations run in
 * name order, so a new one must sort after every existing one even if a clock (or an earlier stamp) is ahead.
 */
function nextStamp(existing: string[]): string {
  const now = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const latest = existing
    .map((name) => /^(\d{14})_/.exec(name)?.[1])
    .filter((stamp): stamp is string => Boolean(stamp))
    .sort()
    .at(-1);
  if (!latest || now > latest) return now;
  const [, y, mo, d, h, mi, se] = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(latest)!;
  const next = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se) + 1));
  return next.toISOString().replace(/\D/g, "").slice(0, 14);
}

const withUrl = (schema: string) => schema.replace(/provider\s*=\s*"postgresql"/, '$&\n  url = env("DATABASE_URL")');

function oldSchema(): string | undefined {
  if (fromIndex >= 0) return undefined;
  const lastMigrationCommit = execFileSync("git", ["log", "-1", "--format=%H", "--", "prisma/migrations"], { cwd: repoRoot, encoding: "utf8" }).trim();
  if (!lastMigrationCommit) return undefined;
  return execFileSync("git", ["show", `${lastMigrationCommit}:prisma/schema.prisma`], { cwd: repoRoot, encoding: "utf8" });
}

const work = await mkdtemp(path.join(tmpdir(), "switchboard-migration-"));
const embedded = await startEmbeddedPostgres({ dataDir: work, logger: createLogger("warn"), ephemeral: true });
try {
  const before = fromIndex >= 0 ? await readFile(args[fromIndex + 1]!, "utf8") : oldSchema();
  await writeFile(path.join(work, "new.prisma"), withUrl(await readFile(path.join(repoRoot, "prisma/schema.prisma"), "utf8")));
  if (before) await writeFile(path.join(work, "old.prisma"), withUrl(before));
  const adapter = path.join(repoRoot, "node_modules/@prisma/adapter-pg/dist/index.mjs");
  await writeFile(
    path.join(work, "prisma.config.mjs"),
    `import { PrismaPg } from ${JSON.stringify(adapter)};
export default { experimental: { adapter: true }, engine: "js", schema: "new.prisma",
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL }) };\n`,
  );
  const sql = execFileSync(
    process.execPath,
    [
      path.join(repoRoot, "node_modules/prisma-legacy/build/index.js"),
      "migrate",
      "diff",
      "--config",
      "prisma.config.mjs",
      ...(before ? ["--from-schema-datamodel", "old.prisma"] : ["--from-empty"]),
      "--to-schema-datamodel",
      "new.prisma",
      "--script",
    ],
    {
      cwd: work,
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: embedded.url, PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false", PRISMA_QUERY_ENGINE_LIBRARY: "/bin/false" },
    },
  );
  if (/^-- This is an empty migration\.\s*$/m.test(sql.trim())) {
    console.log("schema.prisma matches the last migration: nothing to write");
  } else {
    const stamp = nextStamp(await readdir(defaultMigrationsDir));
    const dir = path.join(defaultMigrationsDir, `${stamp}_${name}`);
    await mkdir(dir);
    await writeFile(path.join(dir, "migration.sql"), sql);
    console.log(
      `wrote ${path.relative(repoRoot, dir)}/migration.sql: review it, add RLS for any new tenant table, then \`npm run schema:sql -w server\` (prisma/schema.sql)`,
    );
  }
} finally {
  await embedded.stop();
  await rm(work, { recursive: true, force: true });
}
