/**
 * Switchboard staff (platform roles outside every tenant):
 *
 *   npm run staff -w server -- add --email ana@switchboard.test --role SUPPORT [--password-stdin]
 *   npm run staff -w server -- list
 *   npm run staff -w server -- remove --email ana@switchboard.test
 *
 * `add` grants the role to the account with that email, or creates the account first: its password
 * comes from --password-stdin, else STAFF_PASSWORD, else a prompt. Runs on the owner connection, as
 * migrations do: DATABASE_URL, or the embedded PostgreSQL in DATA_DIR (the running server's, if one is
 * running, else started for the command), after applying pending migrations.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import pg from "pg";
import { loadConfig } from "../src/config.ts";
import { startEmbeddedPostgres } from "../src/db/embedded-postgres.ts";
import { applyMigrations } from "../src/db/migrations.ts";
import { AppError } from "../src/errors.ts";
import { createLogger } from "../src/logger.ts";
import { grantStaffRole, isPlatformRole, listStaff, removeStaff } from "../src/modules/support/staff.ts";

const USAGE = `usage: npm run staff -w server -- add --email <email> --role SUPPORT|SUPERADMIN [--password-stdin]
       npm run staff -w server -- list
       npm run staff -w server -- remove --email <email>`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { email: { type: "string" }, role: { type: "string" }, "password-stdin": { type: "boolean", default: false } },
});
const command = positionals[0];
if (!command || !["add", "list", "remove"].includes(command) || positionals.length > 1) fail(USAGE);
if (command !== "list" && !values.email) fail(`--email is required\n${USAGE}`);
if (command === "add" && !(values.role && isPlatformRole(values.role))) fail(`--role SUPPORT or --role SUPERADMIN is required\n${USAGE}`);

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

/** Asks at the terminal without echoing what is typed. */
function prompt(question: string): Promise<string> {
  if (!process.stdin.isTTY) fail("No password given: pass it on standard input with --password-stdin, or set STAFF_PASSWORD.");
  return new Promise((resolve) => {
    const terminal = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const write = (terminal as unknown as { _writeToOutput: (text: string) => void })._writeToOutput.bind(terminal);
    let asked = false;
    (terminal as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = (text) => {
      if (!asked) {
        asked = true;
        write(text);
      }
    };
    terminal.question(question, (answer) => {
      terminal.close();
      process.stdout.write("\n");
      resolve(answer);
    });
  });
}

const password = async () => {
  if (values["password-stdin"]) return readStdin();
  if (process.env.STAFF_PASSWORD) return process.env.STAFF_PASSWORD;
  return prompt(`Password for the new account ${values.email} (12+ characters): `);
};

const config = loadConfig();
const logger = createLogger(process.env.LOG_LEVEL ?? "warn");

/** The owner URL, and how to let go of the database afterwards. */
async function ownerConnection(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (config.databaseUrl) return { url: config.databaseUrl, stop: async () => {} };
  // A running server holds the embedded cluster: connect to it where it listens (postmaster.pid's 4th line).
  const pidFile = path.join(config.dataDir, "pg", "postmaster.pid");
  const passwordFile = path.join(config.dataDir, "postgres-password");
  if (existsSync(pidFile) && existsSync(passwordFile)) {
    const lines = readFileSync(pidFile, "utf8").split("\n");
    const pid = Number(lines[0]);
    const alive = (() => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    })();
    if (alive) {
      const secret = encodeURIComponent(readFileSync(passwordFile, "utf8").trim());
      return { url: `postgresql://postgres:${secret}@127.0.0.1:${lines[3]!.trim()}/switchboard`, stop: async () => {} };
    }
  }
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, logger });
  return { url: embedded.url, stop: () => embedded.stop() };
}

const connection = await ownerConnection();
let exitCode = 0;
try {
  await applyMigrations(connection.url, { logger });
  const client = new pg.Client({ connectionString: connection.url });
  await client.connect();
  try {
    if (command === "add") {
      const { created } = await grantStaffRole(client, { email: values.email!, role: values.role as "SUPPORT" | "SUPERADMIN", password });
      console.log(`${values.email!.trim().toLowerCase()} is ${values.role}${created ? " (new account)" : ""}`);
    } else if (command === "list") {
      const staff = await listStaff(client);
      if (staff.length === 0) console.log("No staff.");
      for (const member of staff) console.log(`${member.email}\t${member.role}\tsince ${member.since.toISOString()}`);
    } else {
      const removed = await removeStaff(client, values.email!);
      console.log(removed ? `${values.email!.trim().toLowerCase()} is no longer staff` : `${values.email} is not staff`);
      if (!removed) exitCode = 1;
    }
  } finally {
    await client.end();
  }
} catch (error) {
  if (!(error instanceof AppError)) throw error;
  console.error(error.message);
  exitCode = 1;
} finally {
  await connection.stop();
}
process.exit(exitCode);
