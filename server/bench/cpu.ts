import { readdirSync, readFileSync } from "node:fs";

/**
 * Where the machine's CPU time went during a measured run, from Linux's /proc: the load generator
 * (this process), the server process, PostgreSQL (when it runs on this machine) and everything
 * else. A load generator near one full core means the figures measure autocannon, not the server;
 * a busy "other" means something else on the machine disturbed the run.
 */
export type CpuSnapshot = { machineTotal: number; machineIdle: number; loadGenerator: number; server: number; postgres: number | undefined };

/** In cores: 1.0 is one CPU busy for the whole run. */
export type CpuUsage = { loadGenerator: number; server: number; postgres: number | undefined; other: number; idle: number };

/** Undefined where /proc is not available (not Linux) or the server process is gone. */
export function cpuSnapshot(serverPid: number, postmasterPid: number | undefined): CpuSnapshot | undefined {
  try {
    // First line: "cpu  user nice system idle iowait irq softirq steal guest guest_nice", in ticks.
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    return {
      machineTotal: fields.reduce((sum, value) => sum + value, 0),
      machineIdle: fields[3]! + fields[4]!,
      loadGenerator: processStat(process.pid).ticks,
      server: processStat(serverPid).ticks,
      postgres: postmasterPid === undefined ? undefined : processTreeTicks(postmasterPid),
    };
  } catch {
    return undefined;
  }
}

export function cpuUsage(before: CpuSnapshot | undefined, after: CpuSnapshot | undefined, cpus: number): CpuUsage | undefined {
  if (!before || !after) return undefined;
  const total = after.machineTotal - before.machineTotal;
  if (total <= 0) return undefined;
  // Ticks of all CPUs together: a share of `total` times the CPU count is cores.
  const cores = (ticks: number) => (ticks / total) * cpus;
  const loadGenerator = cores(after.loadGenerator - before.loadGenerator);
  const server = cores(after.server - before.server);
  const postgres = before.postgres === undefined || after.postgres === undefined ? undefined : cores(after.postgres - before.postgres);
  const idle = cores(after.machineIdle - before.machineIdle);
  return { loadGenerator, server, postgres, idle, other: Math.max(0, cpus - idle - loadGenerator - server - (postgres ?? 0)) };
}

/**
 * The postmaster of the cluster a backend belongs to, when that cluster runs on this machine:
 * its backends are its children. Undefined for a remote cluster (or one in another pid namespace).
 */
export function findPostmaster(backendPid: number): number | undefined {
  try {
    const { ppid } = processStat(backendPid);
    return readFileSync(`/proc/${ppid}/cmdline`, "utf8").includes("postgres") ? ppid : undefined;
  } catch {
    return undefined;
  }
}

/** The postmaster and its children (backends, background workers): scans /proc for them. */
function processTreeTicks(postmasterPid: number): number {
  let ticks = processStat(postmasterPid).ticks;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = processStat(Number(entry));
      if (stat.ppid === postmasterPid) ticks += stat.ticks;
    } catch {
      // Exited while we looked.
    }
  }
  return ticks;
}

/** Parent and utime + stime (all threads) of a process, in the same ticks as /proc/stat. */
function processStat(pid: number): { ppid: number; ticks: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // After the parenthesised command name: state (field 3), ppid (4), ..., utime (14), stime (15).
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
}
