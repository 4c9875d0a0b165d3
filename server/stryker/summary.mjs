// Prints the mutation score per module of a Stryker JSON report as a markdown table, and the
// survivors (file:line, mutator, replacement), for reports/mutation/README.md.
// Usage: node server/stryker/summary.mjs [reports/mutation/mutation.json]
import { readFileSync } from "node:fs";

const report = JSON.parse(readFileSync(process.argv[2] ?? "reports/mutation/mutation.json", "utf8"));
const moduleOf = (file) => {
  const match = /src\/modules\/(auth|api-keys|team|usage)\//.exec(file) ?? /src\/(security)\//.exec(file);
  return match ? match[1] : file.replace(/^.*src\//, "");
};

const modules = new Map();
const survivors = [];
for (const [file, { mutants }] of Object.entries(report.files)) {
  const counts = modules.get(moduleOf(file)) ?? { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, CompileError: 0, Ignored: 0, RuntimeError: 0 };
  for (const mutant of mutants) {
    counts[mutant.status] = (counts[mutant.status] ?? 0) + 1;
    if (mutant.status === "Survived" || mutant.status === "NoCoverage") {
      survivors.push(
        `${file.replace(/^.*src\//, "")}:${mutant.location.start.line} ${mutant.status} ${mutant.mutatorName}: ${JSON.stringify(mutant.replacement ?? "")}`,
      );
    }
  }
  modules.set(moduleOf(file), counts);
}

console.log("| module | killed | timeout | survived | no coverage | compile error | ignored (static) | score |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const [name, c] of [...modules].sort()) {
  const detected = c.Killed + c.Timeout;
  const valid = detected + c.Survived + c.NoCoverage;
  const score = valid ? `${((100 * detected) / valid).toFixed(1)}%` : "n/a";
  console.log(`| ${name} | ${c.Killed} | ${c.Timeout} | ${c.Survived} | ${c.NoCoverage} | ${c.CompileError} | ${c.Ignored} | ${score} |`);
}
console.log("\nSurvivors:");
for (const line of survivors) console.log(`- ${line}`);
