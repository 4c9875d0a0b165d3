import { readFileSync } from "node:fs";
import path from "node:path";
import { listedBreakingChanges } from "./changelog.ts";
import { changeKey, compareSchemas, deprecationsWithoutRemovalDate } from "./compare.ts";
import { schemaHistory } from "./history.ts";

export type CheckOptions = {
  /** The repository's top folder. */
  root: string;
  schemaFile?: string;
  changelogFile?: string;
  /** In CI a history that cannot be read fails the check; elsewhere it is a warning. */
  ci?: boolean;
};

export type CheckResult = { ok: boolean; report: string[] };

/**
 * The schema change policy (README: Schema changes): every breaking change since CHANGELOG.md began is
 * listed there under "### Breaking" by its path in backticks, and every deprecation names its removal date.
 */
export async function checkSchemaChanges({
  root,
  schemaFile = "server/schema.graphql",
  changelogFile = "CHANGELOG.md",
  ci = false,
}: CheckOptions): Promise<CheckResult> {
  const report: string[] = [];
  let ok = true;
  let example: string | undefined;
  const changelog = readIfPresent(path.join(root, changelogFile));
  const listed = listedBreakingChanges(changelog ?? "");
  const history = schemaHistory({ root, schemaFile, changelogFile });

  for (const change of history.changes) {
    const comparison = await compareSchemas(change.oldSdl, change.newSdl, listed);
    if (comparison.unlisted.length > 0) {
      ok = false;
      example ??= changeKey(comparison.unlisted[0]!);
      report.push(`✗ ${change.label}: breaking changes that ${changelogFile} does not list under "### Breaking":`);
      for (const breaking of comparison.unlisted) report.push(`    \`${changeKey(breaking)}\`  ${breaking.message}`);
    }
    if (change.latest)
      for (const dangerous of comparison.dangerous) report.push(`! ${change.label}: dangerous: ${dangerous.message} (\`${changeKey(dangerous)}\`)`);
  }
  if (example !== undefined) {
    report.push(
      `  Prefer an additive change (a new field beside the old one, the old one @deprecated). If the break is intended, list each path`,
      `  in ${changelogFile}, e.g. under "## Unreleased" / "### Breaking": - \`${example}\`: what changed and what clients do instead.`,
    );
  }

  const current = readIfPresent(path.join(root, schemaFile));
  const undated = current === null ? [] : deprecationsWithoutRemovalDate(current);
  if (undated.length > 0) {
    ok = false;
    report.push(`✗ ${schemaFile}: deprecated without a removal date; end each reason with "Removal on YYYY-MM-DD":`);
    for (const coordinate of undated) report.push(`    ${coordinate}`);
  }

  if (history.missing) {
    if (ci) ok = false;
    report.push(`${ci ? "✗" : "!"} not every schema change could be checked: ${history.missing}`);
  }
  const compared = history.changes.length;
  report.push(`${ok ? "✓" : "✗"} schema check: ${compared} change${compared === 1 ? "" : "s"} of ${schemaFile} since ${changelogFile} began compared`);
  return { ok, report };
}

function readIfPresent(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}
