import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { ApolloServer } from "@apollo/server";
import fastifyApollo, { fastifyApolloDrainPlugin } from "@as-integrations/fastify";
import fastifyCookie from "@fastify/cookie";
import fastifyStatic from "@fastify/static";
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from "fastify";
import { validate, specifiedRules, type ExecutionResult, type GraphQLSchema } from "graphql";
import { createHandler as createStreamHandler } from "graphql-sse/lib/use/fastify";
import type { Config } from "../config.ts";
import type { Database } from "../db/database.ts";
import { trackDatabaseOutages } from "../db/availability.ts";
import type { ErrorCode } from "../errors.ts";
import { clientErrorOf, HTTP_STATUS, setExposeInternalDetail } from "../failures.ts";
import type { GraphQLContext } from "../graphql/context.ts";
import { contextError, formatError, unavailableStatusPlugin } from "../graphql/errors.ts";
import { QUERY_LIMITS, queryLimitProtections } from "../graphql/limits.ts";
import type { Logger } from "../logger.ts";
import { createAuthenticator } from "../modules/auth/authenticate.ts";
import { createRateLimits } from "../modules/auth/rate-limits.ts";
import { SESSION_COOKIE } from "../modules/auth/session-token.ts";
import { checkHealth } from "../modules/health/health.service.ts";
import { secretsEqual } from "../security/secrets.ts";
import type { Services } from "../services.ts";
import { createLiveFeeds } from "../modules/live/live-feed.ts";
import { createMetrics } from "./metrics.ts";
import { bearerToken } from "./bearer-token.ts";
import { restRoutes } from "./rest-v1.ts";

type AppDependencies = { config: Config; db: Database; logger: Logger; schema: GraphQLSchema; services: Services };

/** A JSON error body shaped like a GraphQL response, so clients have one error format to read. */
function sendError(reply: FastifyReply, status: number, code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
  return reply
    .code(status)
    .type("application/json")
    .send({ errors: [{ message, extensions: { code, ...extensions } }] });
}

/** Epoch ms at which a request started (Fastify keeps only the time elapsed since). */
const startedAtOf = (reply: FastifyReply) => Date.now() - reply.elapsedTime;

/** The HTTP server: /graphql, /healthz, /metrics and the dashboard. */
export async function createApp({ config, db, logger, schema, services }: AppDependencies) {
  const production = config.env === "production";
  setExposeInternalDetail(config.env === "development");
  const { keys } = services;
  const authenticator = createAuthenticator({ db, keys, logger });
  const limits = createRateLimits({ store: db.pool });
  // What this process knows of the database's availability: one log line per outage, /healthz, metrics.
  const outage = trackDatabaseOutages({ logger, probe: () => db.ping(), onRefused: () => metrics.countRefusedRequest() });
  const metrics = createMetrics(schema, { databaseUp: () => outage.state().up });
  const webhooks = { db, keys, allowPrivateUrls: config.webhooks.allowPrivateUrls };

  const app = Fastify({
    loggerInstance: logger,
    genReqId: (request) => {
      const incoming = request.headers["x-request-id"];
      return typeof incoming === "string" && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    },
    bodyLimit: QUERY_LIMITS.maxBodyBytes,
    trustProxy: config.trustProxy,
    // Route schemas check what clients send, not what it could be turned into: Fastify's default
    // coercion made `{"message": true}` the text "true". Unknown fields are refused, not dropped.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
    // A URL Fastify cannot decode (e.g. a percent-encoded lone surrogate) fails before any route or
    // error handler: answer it in our shapes too (REST's and webhooks' `{ error }`, else GraphQL's).
    frameworkErrors: (error, request, frameworkReply) => {
      const reply = frameworkReply as unknown as FastifyReply;
      const message =
        error.code === "FST_ERR_BAD_URL" ? "The URL is malformed (it holds a character encoding that cannot be decoded)." : "The request could not be read.";
      if (/^\/(api|webhooks)\//.test(request.url))
        return reply
          .code(400)
          .type("application/json")
          .send({ error: { code: "BAD_USER_INPUT" satisfies ErrorCode, message } });
      return sendError(reply, 400, "BAD_USER_INPUT", message);
    },
  });

  // Malformed JSON, oversized bodies, wrong content types: a typed 4xx, never a 5xx.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status < 500) {
      const message = error.code === "FST_ERR_CTP_BODY_TOO_LARGE" ? `The request body is larger than ${QUERY_LIMITS.maxBodyBytes} bytes.` : error.message;
      return sendError(reply, status, "BAD_USER_INPUT", message);
    }
    const answer = clientErrorOf(error, {
      requestId: String(request.id),
      logger: request.log as Logger,
      outage,
      startedAt: startedAtOf(reply),
      logAs: "unhandled request error",
    });
    if (answer.details.retryAfterSeconds) reply.header("retry-after", String(answer.details.retryAfterSeconds));
    return sendError(reply, HTTP_STATUS[answer.code], answer.code, answer.message, answer.details);
  });
  // Echo the request id so a client can quote it (and match it to our logs) even on success.
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  app.addHook("onResponse", async (request, reply) => {
    metrics.observeHttp(request.routeOptions.url ?? "unmatched", request.method, reply.statusCode, reply.elapsedTime / 1000);
  });

  await app.register(fastifyCookie);

  const protections = queryLimitProtections({ production });
  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    introspection: !production,
    allowBatchedHttpRequests: true,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    formatError,
    validationRules: protections.validationRules,
    parseOptions: protections.parseOptions,
    plugins: [fastifyApolloDrainPlugin(app), metrics.apolloPlugin, unavailableStatusPlugin, ...protections.plugins],
  });
  await apollo.start();

  // This process's live message feeds: one per tenant with subscribers, shared by them.
  const live = createLiveFeeds(db, logger, { pollMs: config.livePollMs });
  app.addHook("preClose", async () => live.close());

  async function contextOf(request: FastifyRequest, reply: FastifyReply): Promise<GraphQLContext> {
    const startedAt = startedAtOf(reply);
    const bearer = bearerToken(request);
    const tenantHeader = request.headers["x-tenant-id"];
    let auth: GraphQLContext["auth"];
    try {
      auth = await authenticator.authenticate({
        token: bearer ?? request.cookies[SESSION_COOKIE],
        tenantId: typeof tenantHeader === "string" ? tenantHeader : undefined,
      });
    } catch (error) {
      // Outside any resolver, so maskInternalErrors never sees it: without this a database
      // failure here went out as a bare INTERNAL with no reference to quote, and was not logged.
      throw contextError(
        clientErrorOf(error, { requestId: String(request.id), logger: request.log as Logger, outage, startedAt, logAs: "authentication failed" }),
      );
    }
    return {
      db,
      keys,
      limits,
      whatsapp: services.whatsapp,
      webhooks,
      forgetApiKey: authenticator.forgetApiKey,
      outbox: services.outbox,
      live,
      // request.log is the pino child carrying this request's id (loggerInstance above is pino).
      logger: request.log as Logger,
      requestId: String(request.id),
      startedAt,
      outage,
      auth,
      http: {
        clientIp: request.ip,
        setSessionCookie: (token, expiresAt) =>
          reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: "lax", secure: production, path: "/", expires: expiresAt }),
        clearSessionCookie: () => reply.clearCookie(SESSION_COOKIE, { path: "/" }),
      },
    };
  }

  await app.register(async (graphqlRoutes) => {
    graphqlRoutes.addHook("preHandler", async (request: FastifyRequest, reply: FastifyReply) => {
      if (Array.isArray(request.body) && request.body.length > QUERY_LIMITS.maxBatchSize) {
        return sendError(reply, 400, "BAD_USER_INPUT", `A batch may hold at most ${QUERY_LIMITS.maxBatchSize} operations.`);
      }
    });
    await graphqlRoutes.register(fastifyApollo(apollo), { path: "/graphql", context: contextOf });
  });

  // Subscriptions (the inbox's live updates): GraphQL over Server-Sent Events, authenticated as /graphql.
  const streamHandler = createStreamHandler<GraphQLContext>({
    schema,
    validate: (streamSchema, document) => validate(streamSchema, document, [...specifiedRules, ...protections.validationRules]),
    context: (request) => contextOf(request.raw, request.context.reply),
    // The errors of a stream in the shape /graphql gives them (extensions.code, never an internal's text).
    onNext: (_context, _request, result) =>
      "errors" in result && result.errors
        ? ({ ...result, errors: result.errors.map((error) => formatError(error.toJSON(), error)) } as unknown as ExecutionResult)
        : undefined,
  });
  app.all("/graphql/stream", async (request, reply) => {
    try {
      await streamHandler(request, reply);
    } catch (error) {
      const answer = clientErrorOf(error, {
        requestId: String(request.id),
        logger: request.log as Logger,
        outage,
        startedAt: startedAtOf(reply),
        logAs: "subscription stream failed",
      });
      if (!reply.sent) return sendError(reply, HTTP_STATUS[answer.code], answer.code, answer.message, answer.details);
    }
  });

  await app.register(restRoutes, { db, authenticate: authenticator.authenticate, outbox: services.outbox, inbox: services.inbox, outage });

  app.get("/healthz", async (_request, reply) => {
    const report = await checkHealth(db, outage);
    return reply.code(report.database === "up" ? 200 : 503).send(report);
  });
  app.addHook("onClose", async () => outage.close());

  // Off unless METRICS_TOKEN is set: the series show traffic by operation and the Node version.
  app.get("/metrics", async (request, reply) => {
    if (!config.metricsToken) return sendError(reply, 404, "NOT_FOUND", "Metrics are off; set METRICS_TOKEN to serve them.");
    const bearer = bearerToken(request);
    if (!bearer || !secretsEqual(bearer, config.metricsToken)) {
      return sendError(
        reply.header("www-authenticate", "Bearer"),
        401,
        "UNAUTHENTICATED",
        "Send the metrics token as `Authorization: Bearer <METRICS_TOKEN>`.",
      );
    }
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  if (existsSync(config.webDistDir)) {
    await app.register(fastifyStatic, {
      root: config.webDistDir,
      wildcard: false,
      cacheControl: false,
      // Vite names built files by their content hash: a file under assets/ never changes, while
      // index.html must be asked for again so a new deployment's files are picked up.
      setHeaders: (response, filePath) => {
        response.setHeader("cache-control", filePath.includes(`${path.sep}assets${path.sep}`) ? "public, max-age=31536000, immutable" : "no-cache");
      },
    });
    // Client-side routes (/login, /settings, ...): any other GET that accepts HTML gets the app, which
    // routes it in the browser. The API's own paths keep their JSON 404, whatever the client accepts.
    // Of /webhooks/ only Rapiwa's inbound URLs are the API's: /webhooks and /webhooks/<id> are the
    // dashboard's webhook endpoint pages.
    app.setNotFoundHandler((request, reply) => {
      const apiPath = /^\/(graphql|api|webhooks\/rapiwa|healthz|metrics|assets)(\/|\?|$)/.test(request.url);
      if (request.method === "GET" && !apiPath && request.headers.accept?.includes("text/html")) return reply.sendFile("index.html");
      return sendError(reply, 404, "NOT_FOUND", `No route for ${request.method} ${request.url}`);
    });
  } else {
    logger.warn({ webDistDir: config.webDistDir }, "dashboard not built (run `npm run build`); serving the API only");
    app.setNotFoundHandler((request, reply) => sendError(reply, 404, "NOT_FOUND", `No route for ${request.method} ${request.url}`));
  }

  return app;
}
