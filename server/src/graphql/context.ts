import type { Database } from "../db/database.ts";
import type { Logger } from "../logger.ts";

/** Everything a resolver may use; built once per request. */
export type GraphQLContext = {
  db: Database;
  logger: Logger;
  requestId: string;
};
