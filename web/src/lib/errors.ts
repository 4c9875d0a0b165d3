import { GraphQLRequestError, type ErrorCode } from "./graphql-client.ts";

export type ErrorDescription = {
  code: ErrorCode;
  /** A short heading. */
  title: string;
  /** What happened and what to do, in words a person understands. */
  message: string;
  /** Seconds to wait before the same request can succeed (RATE_LIMITED, UNAVAILABLE). */
  retryAfterSeconds?: number;
};

type Wording = { title: string; message: string; serverMessage: boolean };

/**
 * The one mapping from the API's `extensions.code` to what the dashboard says. `serverMessage: true`
 * where the server's own message is written for people and says more than a generic text could (which
 * rule an input broke, which reference to quote); else ours, because the server's talks to integrators
 * (e.g. "send an API key as `Authorization: Bearer ...`").
 */
const WORDING: Record<ErrorCode, Wording> = {
  UNAUTHENTICATED: { title: "Logged out", message: "Your session ended; log in again.", serverMessage: false },
  FORBIDDEN: {
    title: "Not allowed",
    message: "Your role does not allow this. An owner or admin of your team can do it, or change your role.",
    serverMessage: true,
  },
  BAD_USER_INPUT: { title: "Check what you entered", message: "Something you entered is not valid.", serverMessage: true },
  NOT_FOUND: { title: "Not found", message: "We could not find it; it may have been removed.", serverMessage: true },
  CONFLICT: { title: "Could not save", message: "This clashes with something that already exists.", serverMessage: true },
  RATE_LIMITED: { title: "Too many attempts", message: "Too many attempts; wait a moment, then try again.", serverMessage: true },
  PROVIDER_ERROR: {
    title: "WhatsApp provider did not answer",
    message: "Rapiwa, the WhatsApp provider, did not answer as expected. Nothing was lost; try again in a moment.",
    serverMessage: true,
  },
  UNAVAILABLE: {
    title: "Briefly unavailable",
    message: "Switchboard is briefly unavailable and nothing was changed. Try again in a few seconds.",
    serverMessage: false,
  },
  TIMEOUT: { title: "Search too broad", message: "This search took too long and was stopped. Narrow it and try again.", serverMessage: true },
  INTERNAL: {
    title: "Something went wrong",
    message: "Something went wrong on our side. Try again; if it keeps happening, contact support.",
    serverMessage: true,
  },
  NETWORK: { title: "No connection", message: "Could not reach Switchboard. Check your internet connection and try again.", serverMessage: false },
};

/**
 * What to tell a person about `error`. `useServerMessageFor` lists codes whose server message is right in
 * this context although the default wording is ours (the log-in form's UNAUTHENTICATED: "Wrong email or password.").
 */
export function describeError(error: unknown, { useServerMessageFor = [] }: { useServerMessageFor?: ErrorCode[] } = {}): ErrorDescription {
  if (!(error instanceof GraphQLRequestError)) {
    return { code: "INTERNAL", title: WORDING.INTERNAL.title, message: WORDING.INTERNAL.message };
  }
  const wording = WORDING[error.code];
  const serverMessage = wording.serverMessage || useServerMessageFor.includes(error.code);
  return {
    code: error.code,
    title: wording.title,
    message: serverMessage && error.message ? error.message : wording.message,
    ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
  };
}

export const isUnauthenticated = (error: unknown) => error instanceof GraphQLRequestError && error.code === "UNAUTHENTICATED";

/**
 * The form field a server error belongs to, if it is one of `fields`: the server names input fields
 * with their path (`input.password`), forms by their own name (`password`).
 */
export function formFieldOf<Field extends string>(error: unknown, fields: readonly Field[]): Field | undefined {
  if (!(error instanceof GraphQLRequestError) || !error.field) return undefined;
  const name = error.field.split(".").at(-1);
  return fields.find((field) => field === name);
}
