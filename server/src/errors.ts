/**
 * The one error type services throw. Its code reaches the client as `extensions.code`; its message
 * is written for the person reading it. Anything else that escapes is masked as INTERNAL.
 */
export const ERROR_CODES = [
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "BAD_USER_INPUT",
  "NOT_FOUND",
  "CONFLICT",
  "RATE_LIMITED",
  "PROVIDER_ERROR",
  "UNAVAILABLE",
  "TIMEOUT",
  "INTERNAL",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type ErrorDetails = {
  /** The input field at fault, as the client named it (BAD_USER_INPUT, CONFLICT). */
  field?: string;
  /** Seconds until a retry can succeed (RATE_LIMITED, UNAVAILABLE). */
  retryAfterSeconds?: number;
};

export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
  }
}

export const badInput = (field: string, message: string) => new AppError("BAD_USER_INPUT", message, { field });
export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} was not found.`);
export const forbidden = (message: string) => new AppError("FORBIDDEN", message);
export const conflict = (message: string, field?: string) => new AppError("CONFLICT", message, field ? { field } : {});
export const unauthenticated = (message = "Log in, or send an API key as `Authorization: Bearer swb_...`.") => new AppError("UNAUTHENTICATED", message);
export const rateLimited = (retryAfterSeconds: number, message = "Too many attempts.") =>
  new AppError("RATE_LIMITED", `${message} Try again in ${retryAfterSeconds} s.`, { retryAfterSeconds });

/** How long a client should wait before retrying a request answered UNAVAILABLE. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

/** The database did not answer: nothing was done, and the same request may simply be sent again. */
export const unavailable = (message = "The database is not answering; nothing was done. Try again in a few seconds.") =>
  new AppError("UNAVAILABLE", message, { retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS });

/**
 * Something the request needs did not answer (the database), thrown where the service can say more
 * than the default message of `unavailable()` (e.g. which check could not be made). Answered as
 * UNAVAILABLE with this message; the error path (failures.ts) counts it toward the outage.
 */
export class UnavailableError extends Error {
  override name = "UnavailableError";
}
