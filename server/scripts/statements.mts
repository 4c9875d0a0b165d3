import { loadConfig } from "../src/config.ts";
import { openDatabase } from "../src/db/bootstrap.ts";
import { createLogger } from "../src/logger.ts";
import { closeMonth, previousMonth } from "../src/modules/usage/statements.ts";

// `npm run statements -w server -- close [--month YYYY-MM]`: freezes every tenant's statement for an ended
// month (default: the previous one, UTC), as the server's hourly task does. Statements already closed stay
// as they are. Uses DATABASE_URL, else the embedded PostgreSQL's data folder (stop `npm start` first).
const USAGE = "usage: npm run statements -w server -- close [--month YYYY-MM]";
const args = process.argv.slice(2);
const monthIndex = args.indexOf("--month");
const month = monthIndex >= 0 ? args[monthIndex + 1] : previousMonth();
if (args[0] !== "close" || !month || !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
  console.error(USAGE);
  process.exit(2);
}

const config = loadConfig();
const logger = createLogger("warn");
const database = await openDatabase(config, logger);
try {
  const tenants = await closeMonth(database.db, month);
  console.log(tenants === 0 ? `${month}: every tenant's statement was already closed` : `${month}: closed the statements of ${tenants} tenant(s)`);
} catch (error) {
  console.error(`${month} was not closed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
