import type { CpuUsage } from "./cpu.ts";

/** Prints rows as columns: the first left-aligned (names), the figures right-aligned. */
export function printTable(rows: string[][]) {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) {
    console.log(`  ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("  ")}`);
  }
}

/** One measured run's CPU figures; `server` is the process under load (the server, or raw pg). */
export type CpuRow = { scenario: string; connections: number; cpu: CpuUsage | undefined };

/** The CPU table of every measured run, with notes on runs whose figures need care. */
export function printCpu(rows: CpuRow[], cpus: number) {
  if (rows.every((row) => !row.cpu)) return;
  console.log(`\nCPU during the measured runs, in cores (of ${cpus}):`);
  const cores = (value: number | undefined) => (value === undefined ? "n/a" : value.toFixed(2));
  printTable([
    ["scenario", "conns", "load gen", "server", "postgres", "fake", "other", "idle"],
    ...rows.map(({ scenario, connections, cpu }) => [
      scenario,
      String(connections),
      ...[cpu?.loadGenerator, cpu?.server, cpu?.postgres, cpu?.fake, cpu?.other, cpu?.idle].map(cores),
    ]),
  ]);
  console.log(
    '("load gen" is autocannon in the bench process; in the raw pg rows, "server" is the baseline\'s own process and the bench process idles; "fake" is the fake Rapiwa process)',
  );
  if (rows.some((row) => row.cpu && row.cpu.postgres === undefined)) console.log('(PostgreSQL is not on this machine or not visible: "other" includes it)');
  const busyGenerator = rows.filter((row) => row.cpu && row.cpu.loadGenerator > 0.9);
  if (busyGenerator.length > 0) {
    console.log(
      `note: the load generator used over 0.9 of a core in ${busyGenerator.length} scenario(s); there, req/s is a floor for the server, not its limit.`,
    );
  }
  const saturated = rows.filter((row) => row.cpu && row.cpu.idle < 0.1 * cpus);
  if (saturated.length > 0) {
    console.log(`note: the CPUs were over 90% busy in ${saturated.length} scenario(s): load generator, server and PostgreSQL compete for them.`);
  }
  const disturbed = rows.filter((row) => row.cpu && row.cpu.postgres !== undefined && row.cpu.other > 0.25);
  if (disturbed.length > 0) {
    console.log(`note: other processes used over 0.25 of a core in ${disturbed.length} scenario(s); those figures are disturbed, rerun on a quiet machine.`);
  }
}
