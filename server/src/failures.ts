import { isDatabaseUnavailable, type DatabaseOutage } from "./db/availability.ts";
import { AppError, type ErrorCode, unavailable, UnavailableError } from "./errors.ts";
import type { Logger } from "./logger.ts";

/** What the error path needs to know of the request that failed. */
export type FailedRequest = {
  requestId: string;
  /** The request's logger (carries its id). */
  logger: Logger;
  outage: DatabaseOutage;
  /** Epoch ms at which the request started (see DatabaseOutage.refused). */
  startedAt: number;
  /** How a bug is logged: its message ("unexpected resolver error") and fields beside the error. */
  logAs: string;
  logFields?: Record<string, unknown>;
};

let exposeInternalDetail = false;
/** Development shows the hidden message of INTERNAL errors (never the stack). */
export function setExposeInternalDetail(expose: boolean) {
  exposeInternalDetail = expose;
}

/**
 * The one error path for GraphQL and REST alike: what the client is told of anything a request
 * threw. An AppError goes out as it is; a database that does not answer is UNAVAILABLE (retry in a
 * few seconds; logged once per outage, see availability.ts); anything else is a bug, logged in full
 * and answered INTERNAL with a reference to quote.
 */
export function clientErrorOf(error: unknown, request: FailedRequest): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof UnavailableError || isDatabaseUnavailable(error)) {
    request.outage.refused(error, request.startedAt);
    return error instanceof UnavailableError ? unavailable(error.message) : unavailable();
  }
  request.logger.error({ err: error, requestId: request.requestId, ...request.logFields }, request.logAs);
  const internal = new AppError("INTERNAL", `Something went wrong on our side. Quote reference ${request.requestId} if you contact support.`);
  if (exposeInternalDetail) Object.assign(internal.details, { detail: String((error as Error)?.message ?? error) });
  return internal;
}

/** HTTP status of each code, where the transport carries one (REST always; GraphQL when there is no data). */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  PROVIDER_ERROR: 502,
  UNAVAILABLE: 503,
  TIMEOUT: 504,
  INTERNAL: 500,
};
