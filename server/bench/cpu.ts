import { readdirSync, readFileSync } from "node:fs";

/**
 * Where the machine's CPU time went during a measured run, from Linux's /proc: the load generator
 * (this process), the server process (or the raw-SQL baseline's process), PostgreSQL (when it
 * runs on this machine), the fake Rapiwa process and everything else. A load generator near one
 * full core means the figures measure autocannon, not the server; a busy "other" means something
 * else on the machine disturbed the run.
 */
export type CpuSnapshot = {
  machineTotal: number;
  machineIdle: number;
  loadGenerator: number;
  /** The server process and its children (API processes under BENCH_API_PROCESSES). */
  server: Map<number, number>;
  /** Ticks per process of the cluster (postmaster and children), as backends come and go. */
  postgres: Map<number, number> | undefined;
  fake: number | undefined;
};

/** In cores: 1.0 is one CPU busy for the whole run. */
export type CpuUsage = { loadGenerator: number; server: number; postgres: number | undefined; fake: number | undefined; other: number; idle: number };

/** The processes to tell apart; `server` is whichever process is under load. */
export type CpuPids = { server: number; postmaster: number | undefined; fake?: number | undefined };

/** Undefined where /proc is not available (not Linux) or the server process is gone. */
export function cpuSnapshot({ server: serverPid, postmaster: postmasterPid, fake: fakePid }: CpuPids): CpuSnapshot | undefined {
  try {
    // First line: "cpu  user nice system idle iowait irq softirq steal guest guest_nice", in ticks.
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    return {
      machineTotal: fields.reduce((sum, value) => sum + value, 0),
      machineIdle: fields[3]! + fields[4]!,
      loadGenerator: processStat(process.pid).ticks,
      server: processTreeTicks(serverPid),
      postgres: postmasterPid === undefined ? undefined : processTreeTicks(postmasterPid),
      fake: fakePid === undefined ? undefined : optionalTicks(fakePid),
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
  const server = cores(treeDelta(before.server, after.server));
  const postgres = before.postgres === undefined || after.postgres === undefined ? undefined : cores(treeDelta(before.postgres, after.postgres));
  const fake = before.fake === undefined || after.fake === undefined ? undefined : cores(after.fake - before.fake);
  const idle = cores(after.machineIdle - before.machineIdle);
  return { loadGenerator, server, postgres, fake, idle, other: Math.max(0, cpus - idle - loadGenerator - server - (postgres ?? 0) - (fake ?? 0)) };
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

/** A process and its children (a postmaster's backends, the server's API processes): scans /proc for them. */
function processTreeTicks(parentPid: number): Map<number, number> {
  const ticks = new Map([[parentPid, processStat(parentPid).ticks]]);
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = processStat(Number(entry));
      if (stat.ppid === parentPid) ticks.set(Number(entry), stat.ticks);
    } catch {
      // Exited while we looked.
    }
  }
  return ticks;
}

/**
 * CPU used between two scans by the processes alive at the second: one started meanwhile counts
 * whole, one that exited meanwhile is missing (its last ticks are lost, but never negative).
 */
function treeDelta(before: Map<number, number>, after: Map<number, number>): number {
  let ticks = 0;
  for (const [pid, now] of after) ticks += Math.max(0, now - (before.get(pid) ?? 0));
  return ticks;
}

/** A process that may be gone (the fake Rapiwa is optional to the figures). */
function optionalTicks(pid: number): number | undefined {
  try {
    return processStat(pid).ticks;
  } catch {
    return undefined;
  }
}

/** Parent and utime + stime (all threads) of a process, in the same ticks as /proc/stat. */
function processStat(pid: number): { ppid: number; ticks: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // After the parenthesised command name: state (field 3), ppid (4), ..., utime (14), stime (15).
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
}
