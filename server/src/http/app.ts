import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { ApolloServer } from "@apollo/server";
import fastifyApollo, { fastifyApolloDrainPlugin } from "@as-integrations/fastify";
import fastifyStatic from "@fastify/static";
import Fastify from "fastify";
import type { GraphQLSchema } from "graphql";
import type { Config } from "../config.ts";
import type { Database } from "../db/database.ts";
import type { GraphQLContext } from "../graphql/context.ts";
import type { Logger } from "../logger.ts";
import { checkHealth } from "../modules/health/health.service.ts";

type AppDependencies = { config: Config; db: Database; logger: Logger; schema: GraphQLSchema };

/** The HTTP server: /graphql, /healthz and the dashboard. */
export async function createApp({ config, db, logger, schema }: AppDependencies) {
  const app = Fastify({
    loggerInstance: logger,
    genReqId: (request) => {
      const incoming = request.headers["x-request-id"];
      return typeof incoming === "string" && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    },
    bodyLimit: 1024 * 1024,
  });

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    introspection: config.env !== "production",
    plugins: [fastifyApolloDrainPlugin(app)],
  });
  await apollo.start();
  await app.register(fastifyApollo(apollo), {
    path: "/graphql",
    // request.log is the pino child carrying this request's id (loggerInstance above is pino).
    context: async (request) => ({ db, logger: request.log as Logger, requestId: String(request.id) }),
  });

  app.get("/healthz", async (_request, reply) => {
    const report = await checkHealth(db);
    return reply.code(report.database === "up" ? 200 : 503).send(report);
  });

  if (existsSync(config.webDistDir)) {
    await app.register(fastifyStatic, { root: config.webDistDir, wildcard: false });
    // Client-side routes: any other GET that accepts HTML gets the app shell.
    app.setNotFoundHandler((request, reply) => {
      if (request.method === "GET" && request.headers.accept?.includes("text/html")) return reply.sendFile("index.html");
      return reply.code(404).send({ error: { code: "NOT_FOUND", message: `No route for ${request.method} ${request.url}` } });
    });
  } else {
    logger.warn({ webDistDir: config.webDistDir }, "dashboard not built (run `npm run build`); serving the API only");
  }

  return app;
}
