import { AppError } from "../errors.ts";
import type { Logger } from "../logger.ts";

/**
 * Whether `error` says the database is not answering (down, restarting, unreachable, out of
 * connections), as opposed to refusing this one statement. The one place that decides it; what
 * arrives, measured by restarting PostgreSQL under load (test/faults/database-restart.test.ts):
 *
 * - node-postgres: a socket error (`code` ECONNREFUSED while it is down, ECONNRESET when it goes);
 *   a FATAL with SQLSTATE 57P01 (our connection terminated by the shutdown) or 57P03 ("the database
 *   system is shutting down" / "... is starting up"); on a checked-out client that lost its
 *   connection, a plain Error "Client has encountered a connection error and is not queryable";
 *   "Connection terminated unexpectedly"; and with `connectionTimeoutMillis`, pg-pool's "timeout
 *   exceeded when trying to connect" or the client's "Connection terminated due to connection timeout".
 * - Prisma (through @prisma/adapter-pg): PrismaClientKnownRequestError P1001 (DatabaseNotReachable),
 *   P1017 (ConnectionClosed), P2039 ("Database error" wrapping one of the SQLSTATEs above), P2010 for
 *   raw queries, each with `meta.driverAdapterError.cause` holding the adapter's `kind` and the
 *   `originalCode`; a bare DriverAdapterError (a failed COMMIT of an interactive transaction); P2028
 *   "Unable to start a transaction in the given time"; and the node-postgres errors above, unwrapped,
 *   from inside an interactive transaction.
 *
 * Anything else (a syntax error, a constraint, a serialization failure, our own closed pool) is not
 * an outage: it stays a bug or a rule, answered as before.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; typeof current === "object" && current !== null && depth < 5; depth++) {
    // Ours: a service already said what went wrong.
    if (current instanceof AppError) return false;
    if (saysUnavailable(current as ErrorLike)) return true;
    current = (current as ErrorLike).cause;
  }
  return false;
}

type ErrorLike = {
  name?: unknown;
  code?: unknown;
  errorCode?: unknown;
  message?: unknown;
  meta?: unknown;
  cause?: unknown;
  kind?: unknown;
  originalCode?: unknown;
};

/** Socket errors of a connection that could not be made or was lost. */
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ECONNABORTED", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

/** admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections; class 08 is tested apart. */
const SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300"]);

/** What @prisma/adapter-pg calls the failures above (DriverAdapterError `cause.kind`). */
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);

/** Prisma's codes for them: can't reach, timed out reaching, operation timed out, closed, pool timeout, too many connections. */
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2037"]);

/** node-postgres and pg-pool raise these as plain Errors, without a code. */
const MESSAGES = [
  /^Connection terminated\b/, // "Connection terminated", "... unexpectedly", "... due to connection timeout"
  /^Client has encountered a connection error and is not queryable$/,
  /^timeout exceeded when trying to connect$/,
  /^Unable to start a transaction in the given time\.?$/,
  /Transaction API error: Unable to start a transaction in the given time/,
];

const isSqlStateUnavailable = (code: unknown) => typeof code === "string" && (SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code));

function saysUnavailable(error: ErrorLike): boolean {
  const { code, message } = error;
  if (typeof code === "string" && (SOCKET_CODES.has(code) || isSqlStateUnavailable(code) || PRISMA_CODES.has(code))) return true;
  // PrismaClientInitializationError carries its code as `errorCode`.
  if (typeof error.errorCode === "string" && PRISMA_CODES.has(error.errorCode)) return true;
  if (typeof message === "string" && MESSAGES.some((pattern) => pattern.test(message))) return true;
  // A DriverAdapterError (its `cause` is the adapter's description), or a Prisma error wrapping one.
  const adapterCause =
    error.name === "DriverAdapterError" ? error.cause : (error.meta as { driverAdapterError?: { cause?: unknown } } | undefined)?.driverAdapterError?.cause;
  if (typeof adapterCause === "object" && adapterCause !== null) {
    const { kind, originalCode } = adapterCause as ErrorLike;
    if (typeof kind === "string" && ADAPTER_KINDS.has(kind)) return true;
    if (isSqlStateUnavailable(originalCode)) return true;
  }
  return false;
}

export type DatabaseOutageState = {
  up: boolean;
  /** When this process first saw the database fail, while it is down. */
  downSince?: Date;
  /** Requests answered UNAVAILABLE since then. */
  refusedRequests: number;
};

export type DatabaseOutage = ReturnType<typeof trackDatabaseOutages>;

/**
 * What this process knows of the database's availability, so an outage is logged once: the first
 * failure logs "database unavailable", the requests refused during it are only counted, and the
 * first sign of life (a probe every `probeIntervalMs`, or /healthz) logs "database available again
 * after N s, M requests refused".
 */
export function trackDatabaseOutages({
  logger,
  probe,
  probeIntervalMs = 1_000,
  onRefused = () => undefined,
  now = () => Date.now(),
}: {
  logger: Logger;
  /** Resolves when the database answers (a `SELECT 1`). */
  probe: () => Promise<unknown>;
  probeIntervalMs?: number;
  /** Told of every refused request (metrics). */
  onRefused?: () => void;
  now?: () => number;
}) {
  let downSince: number | undefined;
  let refusedRequests = 0;
  let recoveredAt = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;
  let probing = false;
  let closed = false;

  function wentDown(cause: unknown) {
    if (downSince !== undefined || closed) return;
    downSince = now();
    refusedRequests = 0;
    logger.error({ err: cause }, "database unavailable");
    timer = setInterval(() => void runProbe(), probeIntervalMs);
    timer.unref();
  }

  function cameBack() {
    if (downSince === undefined) return;
    const seconds = Math.round((now() - downSince) / 100) / 10;
    logger.info(
      { downSeconds: seconds, refusedRequests, downSince: new Date(downSince).toISOString() },
      `database available again after ${seconds} s, ${refusedRequests} requests refused`,
    );
    downSince = undefined;
    recoveredAt = now();
    clearInterval(timer);
    timer = undefined;
  }

  async function runProbe() {
    if (probing) return;
    probing = true;
    try {
      await probe();
      cameBack();
    } catch {
      // Still down: the next tick tries again.
    } finally {
      probing = false;
    }
  }

  return {
    /**
     * A request is answered UNAVAILABLE because of `cause`. One that started before the last
     * recovery and failed only now belongs to the outage that just ended: it is counted, not logged
     * as a new one.
     */
    refused(cause: unknown, requestStartedAt: number) {
      onRefused();
      if (downSince === undefined && requestStartedAt < recoveredAt) return;
      wentDown(cause);
      refusedRequests += 1;
    },
    /** A health check saw the database fail (not a refused request: nothing is counted). */
    failed(cause: unknown) {
      wentDown(cause);
    },
    /** A health check saw it answer. */
    answered() {
      cameBack();
    },
    state(): DatabaseOutageState {
      return downSince === undefined ? { up: true, refusedRequests: 0 } : { up: false, downSince: new Date(downSince), refusedRequests };
    },
    close() {
      closed = true;
      clearInterval(timer);
      timer = undefined;
    },
  };
}
