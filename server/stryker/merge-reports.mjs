// Merges the report of a run narrowed with `--mutate` into the incremental file of earlier runs:
// Stryker writes only the files it mutated, so without this the other files' results would be lost.
// The newer report wins for the files it holds. Test ids are per run: an earlier run's test keeps
// its id's meaning by being matched to the newer run's test of the same file, name and position
// (Stryker's own key), or else is carried over under a fresh id.
// Usage: node server/stryker/merge-reports.mjs older.json newer.json out.json [mutation.html]
// (the html report, if given, gets the merged data in place of its own).
import { readFileSync, writeFileSync } from "node:fs";

const [olderFile, newerFile, outFile, htmlFile] = process.argv.slice(2);
if (!outFile) throw new Error("usage: merge-reports.mjs older.json newer.json out.json [mutation.html]");
const older = JSON.parse(readFileSync(olderFile, "utf8"));
const newer = JSON.parse(readFileSync(newerFile, "utf8"));

const keyOf = (file, test) => {
  const start = test.location?.start ?? { line: 0, column: 0 };
  return `${file}@${start.line}:${start.column}\n${test.name}`;
};

const testFiles = structuredClone(newer.testFiles ?? {});
const newerIdByKey = new Map();
for (const [file, { tests }] of Object.entries(testFiles)) for (const test of tests) newerIdByKey.set(keyOf(file, test), test.id);

const oldIdMap = new Map();
for (const [file, { tests, source }] of Object.entries(older.testFiles ?? {})) {
  for (const test of tests) {
    const key = keyOf(file, test);
    let id = newerIdByKey.get(key);
    if (id === undefined) {
      id = `earlier-${test.id}`;
      testFiles[file] ??= { tests: [], source };
      testFiles[file].tests.push({ ...test, id });
      newerIdByKey.set(key, id);
    }
    oldIdMap.set(test.id, id);
  }
}

const remap = (ids) => ids?.map((id) => oldIdMap.get(id) ?? id);
const files = {};
for (const [file, result] of Object.entries(older.files)) {
  if (newer.files[file]) continue;
  files[file] = { ...result, mutants: result.mutants.map((m) => ({ ...m, id: `earlier-${m.id}`, coveredBy: remap(m.coveredBy), killedBy: remap(m.killedBy) })) };
}
Object.assign(files, newer.files);

const merged = { ...newer, files, testFiles };
writeFileSync(outFile, JSON.stringify(merged, null, 2));
if (htmlFile) {
  const html = readFileSync(htmlFile, "utf8");
  const line = /^(\s*app\.report = ).*;$/m;
  if (!line.test(html)) throw new Error(`no "app.report = ...;" line in ${htmlFile}`);
  writeFileSync(htmlFile, html.replace(line, (_, prefix) => `${prefix}${JSON.stringify(merged).replaceAll("<", "\\u003c")};`));
}
