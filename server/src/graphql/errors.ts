import { HeaderMap, type ApolloServerPlugin } from "@apollo/server";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { ArgumentValidationError, type MiddlewareFn } from "type-graphql";
import { AppError, ERROR_CODES, UNAVAILABLE_RETRY_AFTER_SECONDS, type ErrorCode } from "../errors.ts";
import { clientErrorOf, HTTP_STATUS } from "../failures.ts";
import type { GraphQLContext } from "./context.ts";

/**
 * Resolvers and services throw AppError; this middleware passes anything else a resolver throws
 * through the one error path (failures.ts: UNAVAILABLE for a database that does not answer, else a
 * masked INTERNAL logged in full with the request id), and `formatError` gives every error its
 * `extensions.code` from our small set.
 */
export const maskInternalErrors: MiddlewareFn<GraphQLContext> = async ({ context, info }, next) => {
  try {
    return await next();
  } catch (error) {
    if (error instanceof AppError || error instanceof ArgumentValidationError || error instanceof GraphQLError) throw error;
    throw clientErrorOf(error, {
      requestId: context.requestId,
      logger: context.logger,
      outage: context.outage,
      startedAt: context.startedAt,
      logAs: "unexpected resolver error",
      logFields: { field: `${info.parentType.name}.${info.fieldName}` },
    });
  }
};

/**
 * Sets the HTTP status of a GraphQL answer that has no data because the database did not answer:
 * 503 with Retry-After, as REST answers. A partial answer (some fields resolved) stays 200.
 */
export const unavailableStatusPlugin: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== "single") return;
        const { data, errors } = response.body.singleResult;
        const unavailable = errors?.find((error) => error.extensions?.code === ("UNAVAILABLE" satisfies ErrorCode));
        const noData = data === null || data === undefined || Object.values(data).every((value) => value === null);
        if (!unavailable || !noData) return;
        response.http.status = HTTP_STATUS.UNAVAILABLE;
        response.http.headers.set("retry-after", String(unavailable.extensions?.retryAfterSeconds ?? UNAVAILABLE_RETRY_AFTER_SECONDS));
      },
    };
  },
};

/**
 * For failures outside resolvers (building the context: authentication), which the middleware above
 * never sees and Apollo answers without running the plugins: the error with its HTTP status attached.
 */
export function contextError(error: AppError): GraphQLError {
  const headers = new HeaderMap();
  if (error.details.retryAfterSeconds) headers.set("retry-after", String(error.details.retryAfterSeconds));
  return new GraphQLError(error.message, { originalError: error, extensions: { http: { status: HTTP_STATUS[error.code], headers } } });
}

/** Apollo's own codes for malformed requests all mean "fix your input". */
const APOLLO_INPUT_CODES = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
]);

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
