import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { ArgumentValidationError, type MiddlewareFn } from "type-graphql";
import { AppError, ERROR_CODES, UnavailableError, type ErrorCode } from "../errors.ts";
import type { GraphQLContext } from "./context.ts";

/**
 * The one error path. Resolvers and services throw AppError; this middleware turns anything else a
 * resolver throws into a masked INTERNAL error (logged in full with the request id), and
 * `formatError` gives every error its `extensions.code` from our small set.
 */
export const maskInternalErrors: MiddlewareFn<GraphQLContext> = async ({ context, info }, next) => {
  try {
    return await next();
  } catch (error) {
    if (error instanceof AppError || error instanceof ArgumentValidationError || error instanceof GraphQLError) throw error;
    context.logger.error({ err: error, requestId: context.requestId, field: `${info.parentType.name}.${info.fieldName}` }, "unexpected resolver error");
    throw internalError(context.requestId, error);
  }
};

let exposeInternalDetail = false;
/** Development shows the hidden message of INTERNAL errors (never the stack). */
export function setExposeInternalDetail(expose: boolean) {
  exposeInternalDetail = expose;
}

/** Exported for failures outside resolvers (the HTTP context), which the middleware above never sees. */
export function internalError(requestId: string, cause: unknown): AppError {
  const what = cause instanceof UnavailableError ? cause.message : "Something went wrong on our side.";
  const error = new AppError("INTERNAL", `${what} Quote reference ${requestId} if you contact support.`);
  if (exposeInternalDetail) Object.assign(error.details, { detail: String((cause as Error)?.message ?? cause) });
  return error;
}

/** Apollo's own codes for malformed requests all mean "fix your input". */
const APOLLO_INPUT_CODES = new Set(["GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT", "BAD_REQUEST", "OPERATION_RESOLUTION_FAILURE", "PERSISTED_QUERY_NOT_FOUND", "PERSISTED_QUERY_NOT_SUPPORTED"]);

export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? error.originalError : error;
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };

  if (original instanceof AppError) {
    return { ...base, message: original.message, extensions: { code: original.code, ...original.details } };
  }
  if (original instanceof ArgumentValidationError) {
    const first = original.extensions.validationErrors?.[0] as ValidationNode | undefined;
    const problem = firstConstraint(first);
    return {
      ...base,
      message: problem ? problem.message : "The input is not valid.",
      extensions: { code: "BAD_USER_INPUT" satisfies ErrorCode, ...(problem ? { field: problem.field } : {}) },
    };
  }
  const code = formatted.extensions?.code;
  if (typeof code === "string" && (APOLLO_INPUT_CODES.has(code) || isArmorRejection(formatted.message))) {
    return { ...base, extensions: { code: "BAD_USER_INPUT" satisfies ErrorCode } };
  }
  if (typeof code === "string" && (ERROR_CODES as readonly string[]).includes(code) && code !== "INTERNAL") {
    return { ...base, extensions: { code } };
  }
  // Not ours and not a known input problem: never let its text out.
  return { message: "Something went wrong on our side.", path: formatted.path, extensions: { code: "INTERNAL" satisfies ErrorCode } };
}

type ValidationNode = { property?: string; constraints?: Record<string, string>; children?: ValidationNode[] };

/** class-validator nests errors of input objects; report the innermost field as a dotted path. */
function firstConstraint(node: ValidationNode | undefined, path: string[] = []): { field: string; message: string } | undefined {
  if (!node) return undefined;
  const here = node.property ? [...path, node.property] : path;
  const message = node.constraints && Object.values(node.constraints)[0];
  if (message) return { field: here.join("."), message };
  return firstConstraint(node.children?.[0], here);
}

const isArmorRejection = (message: string) => /Syntax Error: (Query Cost|Query depth|Aliases limit|Directives limit|Token limit)/i.test(message);
