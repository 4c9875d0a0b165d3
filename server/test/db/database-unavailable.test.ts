import { randomUUID } from "node:crypto";
import net from "node:net";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "../../src/db/availability.ts";
import { findFreePort } from "../../src/db/embedded-postgres.ts";
import { AppError, UnavailableError } from "../../src/errors.ts";
import { PrismaClient } from "../../src/generated/prisma/client.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

/**
 * Which failures mean "the database is not answering" (answered UNAVAILABLE, retry in a few
 * seconds) and which are a bug or a rule (INTERNAL, or the rule's own error). Real errors from
 * node-postgres and Prisma wherever a test can cause them; the shapes measured during a real
 * restart (test/faults/database-restart.test.ts) for the rest.
 */

let database: TestDatabase;
const cleanups: (() => Promise<unknown>)[] = [];
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await database?.drop();
});

/** What `work` rejects with (fails the test if it resolves). */
async function failureOf(work: () => Promise<unknown>): Promise<unknown> {
  return work().then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

/** A pool and a Prisma client on `url`, ended after the file. */
function clients(url: string, options: pg.PoolConfig = {}) {
  const pool = new pg.Pool({ connectionString: url, ...options });
  pool.on("error", () => undefined);
  pool.on("connect", (client) => client.on("error", () => undefined));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  cleanups.push(async () => {
    await prisma.$disconnect();
    await pool.end();
  });
  return { pool, prisma };
}

/** A TCP server on loopback doing `onConnection` with every socket; closed after the file. */
async function tcpServer(onConnection: (socket: net.Socket) => void): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return (server.address() as net.AddressInfo).port;
}

const urlOnPort = (port: number) => `postgresql://nobody:secret@127.0.0.1:${port}/none`;

/** Runs `query` (whose SQL holds `marker`) and ends its backend from the owner's connection while it runs. */
async function terminatedDuring(query: () => Promise<unknown>, marker: string): Promise<unknown> {
  const running = failureOf(query);
  await expect
    .poll(
      async () =>
        (await database.ownerPool.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE $1 AND pid <> pg_backend_pid()", [`%${marker}%`]))
          .rows[0].n,
      { timeout: 10_000 },
    )
    .toBeGreaterThan(0);
  await database.ownerPool.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE $1 AND pid <> pg_backend_pid()", [`%${marker}%`]);
  return running;
}

describe("the database is not answering: UNAVAILABLE", () => {
  it("nobody listens on the port (ECONNREFUSED; Prisma P1001)", async () => {
    const { pool, prisma } = clients(urlOnPort(await findFreePort()));
    const pgError = await failureOf(() => pool.query("SELECT 1"));
    expect(pgError).toMatchObject({ code: "ECONNREFUSED" });
    expect(isDatabaseUnavailable(pgError)).toBe(true);
    const prismaError = await failureOf(() => prisma.user.count());
    expect(prismaError).toMatchObject({ code: "P1001" });
    expect(isDatabaseUnavailable(prismaError)).toBe(true);
    const rawError = await failureOf(() => prisma.$queryRaw`SELECT 1`);
    expect(isDatabaseUnavailable(rawError)).toBe(true);
  });

  it("the server takes the connection and never answers (the pool's connection timeout)", async () => {
    const port = await tcpServer(() => undefined);
    const { pool, prisma } = clients(urlOnPort(port), { connectionTimeoutMillis: 200, max: 1 });
    const pgError = await failureOf(() => pool.query("SELECT 1"));
    expect(pgError).toMatchObject({ message: "Connection terminated due to connection timeout" });
    expect(isDatabaseUnavailable(pgError)).toBe(true);
    expect(isDatabaseUnavailable(await failureOf(() => prisma.user.count()))).toBe(true);
  });

  it("the server closes the connection at once (Connection terminated unexpectedly)", async () => {
    const port = await tcpServer((socket) => socket.end());
    const { pool, prisma } = clients(urlOnPort(port));
    const pgError = await failureOf(() => pool.query("SELECT 1"));
    expect(pgError).toMatchObject({ message: expect.stringMatching(/^Connection terminated/) });
    expect(isDatabaseUnavailable(pgError)).toBe(true);
    expect(isDatabaseUnavailable(await failureOf(() => prisma.user.count()))).toBe(true);
  });

  it("every connection of the pool is busy past the timeout (timeout exceeded when trying to connect; Prisma P2028)", async () => {
    const { pool, prisma } = clients(database.ownerUrl, { max: 1, connectionTimeoutMillis: 300 });
    const held = await pool.connect();
    try {
      const pgError = await failureOf(() => pool.query("SELECT 1"));
      expect(pgError).toMatchObject({ message: "timeout exceeded when trying to connect" });
      expect(isDatabaseUnavailable(pgError)).toBe(true);
      const prismaError = await failureOf(() => prisma.$transaction(async (tx) => tx.user.count(), { maxWait: 100 }));
      expect(isDatabaseUnavailable(prismaError)).toBe(true);
    } finally {
      held.release();
    }
  });

  it("PostgreSQL ends the connection (57P01, as a shutdown does), in node-postgres and in Prisma", async () => {
    const { pool, prisma } = clients(database.ownerUrl);
    const pgError = await terminatedDuring(() => pool.query("SELECT pg_sleep(30) AS pg_marker_one"), "pg_marker_one");
    expect(pgError).toMatchObject({ code: "57P01" });
    expect(isDatabaseUnavailable(pgError)).toBe(true);

    const rawError = await terminatedDuring(() => prisma.$queryRaw`SELECT 1 AS prisma_marker_two FROM pg_sleep(30)`, "prisma_marker_two");
    expect(isDatabaseUnavailable(rawError)).toBe(true);
    const txError = await terminatedDuring(
      () => prisma.$transaction(async (tx) => tx.$queryRaw`SELECT 1 AS prisma_marker_three FROM pg_sleep(30)`),
      "prisma_marker_three",
    );
    expect(isDatabaseUnavailable(txError)).toBe(true);

    // A client checked out of the pool whose connection was ended between two queries.
    const client = await pool.connect();
    try {
      const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      await database.ownerPool.query("SELECT pg_terminate_backend($1)", [rows[0]!.pid]);
      await expect.poll(() => (client as unknown as { _queryable: boolean })._queryable).toBe(false);
      const brokenError = await failureOf(() => client.query("SELECT 1"));
      expect(brokenError).toMatchObject({ message: "Client has encountered a connection error and is not queryable" });
      expect(isDatabaseUnavailable(brokenError)).toBe(true);
    } finally {
      client.release(true);
    }
  });

  it("a connection ended between two statements of the server's own transaction fails that transaction, not the process", async () => {
    // Without a listener on the checked-out client, its 'error' event would be unhandled and end the
    // process: a restarting database ends every connection at once, idle or in use.
    let pid = 0;
    const failure = await failureOf(() =>
      database.db.withTenantSql(randomUUID(), async (client) => {
        pid = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
        await database.ownerPool.query("SELECT pg_terminate_backend($1)", [pid]);
        await expect.poll(() => (client as unknown as { _queryable: boolean })._queryable).toBe(false);
        return client.query("SELECT 1");
      }),
    );
    expect(pid).toBeGreaterThan(0);
    expect(failure).toMatchObject({ message: "Client has encountered a connection error and is not queryable" });
    expect(isDatabaseUnavailable(failure)).toBe(true);
    // The pool dropped that client: the next transaction gets a working one.
    expect(await database.db.withTenantSql(randomUUID(), async (client) => (await client.query("SELECT 1 AS one")).rows)).toEqual([{ one: 1 }]);
  });

  it("the database takes no more connections (53300; Prisma P2037)", async () => {
    const { pool, prisma } = clients(database.appUrl);
    await database.ownerPool.query(`ALTER DATABASE ${database.name} CONNECTION LIMIT 0`);
    try {
      const pgError = await failureOf(() => pool.query("SELECT 1"));
      expect(pgError).toMatchObject({ code: "53300" });
      expect(isDatabaseUnavailable(pgError)).toBe(true);
      const prismaError = await failureOf(() => prisma.user.count());
      expect(isDatabaseUnavailable(prismaError)).toBe(true);
    } finally {
      await database.ownerPool.query(`ALTER DATABASE ${database.name} CONNECTION LIMIT -1`);
    }
  });

  // What a restart produced that a test cannot cause on demand (shapes copied from the errors seen).
  it.each([
    [
      "57P02 crash shutdown",
      Object.assign(new Error("terminating connection because of crash of another server process"), { code: "57P02", severity: "FATAL" }),
    ],
    ["57P03 shutting down / starting up", Object.assign(new Error("the database system is starting up"), { code: "57P03", severity: "FATAL" })],
    ["08006 connection failure", Object.assign(new Error("connection failure"), { code: "08006", severity: "FATAL" })],
    ["08001 unable to connect", Object.assign(new Error("could not connect"), { code: "08001", severity: "FATAL" })],
    ["EPIPE", Object.assign(new Error("write EPIPE"), { code: "EPIPE", syscall: "write", errno: -32 })],
    ["ETIMEDOUT", Object.assign(new Error("connect ETIMEDOUT 10.0.0.1:5432"), { code: "ETIMEDOUT", syscall: "connect", errno: -110 })],
    ["ECONNRESET", Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET", syscall: "read", errno: -104 })],
    [
      "a bare DriverAdapterError (a failed COMMIT)",
      Object.assign(new Error("ConnectionClosed"), { name: "DriverAdapterError", cause: { kind: "ConnectionClosed" } }),
    ],
    [
      "Prisma P2039 wrapping 57P03",
      Object.assign(new Error("Database error. Code: `57P03`. Message: `the database system is shutting down`"), {
        code: "P2039",
        meta: { driverAdapterError: { name: "DriverAdapterError", cause: { originalCode: "57P03", kind: "postgres", code: "57P03", severity: "FATAL" } } },
      }),
    ],
    ["Prisma P2024 (pool timeout)", Object.assign(new Error("Timed out fetching a new connection from the connection pool."), { code: "P2024" })],
    [
      "PrismaClientInitializationError P1001",
      Object.assign(new Error("Can't reach database server"), { name: "PrismaClientInitializationError", errorCode: "P1001" }),
    ],
    ["wrapped as a cause", new Error("could not load", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) })],
  ])("%s", (_label, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });
});

describe("anything else stays what it is (INTERNAL or the rule's own error)", () => {
  it("a syntax error (42601) and a unique violation (23505), from node-postgres and from Prisma", async () => {
    const { pool, prisma } = clients(database.ownerUrl);
    const syntax = await failureOf(() => pool.query("SELEC 1"));
    expect(syntax).toMatchObject({ code: "42601" });
    expect(isDatabaseUnavailable(syntax)).toBe(false);
    const rawSyntax = await failureOf(() => prisma.$queryRawUnsafe("SELEC 1"));
    expect(rawSyntax).toMatchObject({ code: "P2010" });
    expect(isDatabaseUnavailable(rawSyntax)).toBe(false);

    const email = `twice-${Date.now()}@example.com`;
    await prisma.user.create({ data: { email, passwordHash: "argon2id-placeholder" } });
    const unique = await failureOf(() => prisma.user.create({ data: { email, passwordHash: "argon2id-placeholder" } }));
    expect(unique).toMatchObject({ code: "P2002" });
    expect(isDatabaseUnavailable(unique)).toBe(false);
    const pgUnique = await failureOf(() => pool.query("INSERT INTO users (id, email, password_hash) SELECT gen_random_uuid(), $1, 'x'", [email]));
    expect(pgUnique).toMatchObject({ code: "23505" });
    expect(isDatabaseUnavailable(pgUnique)).toBe(false);
    const inTransaction = await failureOf(() => prisma.$transaction(async (tx) => tx.user.create({ data: { email, passwordHash: "argon2id-placeholder" } })));
    expect(isDatabaseUnavailable(inTransaction)).toBe(false);
  });

  it("our own pool, closed (a bug, not an outage)", async () => {
    const pool = new pg.Pool({ connectionString: database.ownerUrl });
    await pool.end();
    const closed = await failureOf(() => pool.query("SELECT 1"));
    expect(closed).toMatchObject({ message: expect.stringMatching(/after calling end on the pool/) });
    expect(isDatabaseUnavailable(closed)).toBe(false);
  });

  it.each([
    ["a serialization failure (40001)", Object.assign(new Error("could not serialize access"), { code: "40001", severity: "ERROR" })],
    ["an owner rule (SB001)", Object.assign(new Error("a tenant needs an owner"), { code: "SB001", severity: "ERROR" })],
    ["Prisma P2028 for an expired transaction", Object.assign(new Error("Transaction API error: Transaction already closed"), { code: "P2028" })],
    ["a TypeError", new TypeError("Cannot read properties of undefined (reading 'id')")],
    ["an AppError, whatever it says", new AppError("CONFLICT", "Connection terminated by the other device.")],
    ["a string", "ECONNREFUSED"],
    ["null", null],
  ])("%s", (_label, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it("an UnavailableError is the service saying so itself (failures.ts answers it UNAVAILABLE), whatever its cause", () => {
    // Not the classifier's business: it only judges database errors.
    expect(isDatabaseUnavailable(new UnavailableError("The log-in limit could not be checked"))).toBe(false);
  });
});
