import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, type Prisma } from "../generated/prisma/client.ts";
import { createAuthLookups, type AuthLookups } from "./auth-lookups.ts";
import { databaseRuleError } from "./prisma-errors.ts";
import type { JobDirectory } from "../jobs/engine.ts";
import { createJobLookups } from "./job-lookups.ts";
import { subscribe, type Subscription } from "./notifications.ts";
import { createSupportLookups, type SupportLookups } from "./support-lookups.ts";

/** What services get: a Prisma transaction already scoped by RLS to one tenant (and/or user). */
export type TenantTransaction = Prisma.TransactionClient;
export type ScopedTransaction = Prisma.TransactionClient;

export type Scope = { tenantId?: string; userId?: string };

export type Database = {
  /**
   * The one way to touch tenant data: an interactive transaction that first sets `app.tenant_id`
   * (transaction-local, so a pooled connection never leaks it), then runs `work`.
   */
  withTenant<T>(tenantId: string, work: (tx: TenantTransaction) => Promise<T>): Promise<T>;
  /** The same for a user's own account data (`app.user_id`): sessions, memberships, profile. */
  withUser<T>(userId: string, work: (tx: ScopedTransaction) => Promise<T>): Promise<T>;
  /**
   * Both at once, for work on a user's own rows and a tenant's together: sign-up (a user and a tenant),
   * answering an invitation, leaving a tenant.
   */
  withScope<T>(scope: Scope, work: (tx: ScopedTransaction) => Promise<T>): Promise<T>;
  /**
   * The same contract for the measured hot paths (e.g. `tenant` for API keys) and for SQL that
   * Prisma's query API does not express (keyset pages, usage by day, ON CONFLICT on a partial index):
   * a raw node-postgres client in a transaction that has set `app.tenant_id` first. Prisma's
   * interactive transactions cost 2-3x on such short work (measured with pgbench and in-process,
   * 16 clients). See docs/database-access.md.
   */
  withTenantSql<T>(tenantId: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  /** The named look-ups authentication needs before it knows the tenant (see auth-lookups.ts). */
  auth: AuthLookups;
  /** The work engine's two cross-tenant questions (see job-lookups.ts). */
  jobs: JobDirectory;
  /** The support console's audited reads across tenants (see support-lookups.ts), on `supportPool`. */
  support: SupportLookups;
  /** Liveness of the database, for /healthz. */
  ping(): Promise<void>;
  /**
   * The pool Prisma's adapter uses. Direct queries on it only call an `app_*` function that scopes
   * itself (accepting a message), or touch `rate_limits` (no tenant data); see docs/database-access.md.
   */
  pool: pg.Pool;
  /**
   * A few connections of their own for background work (the dispatcher), so it keeps its pace
   * when API requests fill the main pool, and API requests keep theirs when it is busy.
   */
  backgroundPool: pg.Pool;
  /**
   * The support console's few connections, each with a statement timeout: a slow search across
   * tenants waits here and is cancelled, never taking the API's connections.
   */
  supportPool: pg.Pool;
  /** LISTEN on a channel (cache invalidation); see notifications.ts. */
  subscribe(channel: string, onMessage: (payload: string) => void, onReset: () => void): Subscription;
  close(): Promise<void>;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID.test(value);

/** How long a scoped transaction may wait for a pooled connection, and run in all. */
const TRANSACTION_LIMITS = { maxWait: 10_000, timeout: 20_000 } as const;

export class InvalidScopeError extends Error {
  override name = "InvalidScopeError";
}

export function connectDatabase(
  appUrl: string,
  {
    maxConnections = 10,
    backgroundConnections = 4,
    support = { poolSize: 2, statementTimeoutMs: 5_000 },
  }: { maxConnections?: number; backgroundConnections?: number; support?: { poolSize: number; statementTimeoutMs: number } } = {},
): Database {
  // A database that does not answer a connection within the timeout fails the request (UNAVAILABLE)
  // instead of holding it for the operating system's TCP timeout (minutes); it is also how long a
  // request may wait for a free connection, as Prisma's transactions do (TRANSACTION_LIMITS.maxWait).
  const poolOptions = { connectionString: appUrl, connectionTimeoutMillis: TRANSACTION_LIMITS.maxWait };
  const pool = new pg.Pool({ ...poolOptions, max: maxConnections });
  const backgroundPool = new pg.Pool({ ...poolOptions, max: backgroundConnections });
  // The timeout is the connection's own setting: one set inside a function would not bound the
  // statement that called it (PostgreSQL arms the timer when the statement starts).
  const supportPool = new pg.Pool({ ...poolOptions, max: support.poolSize, options: `-c statement_timeout=${support.statementTimeoutMs}` });
  for (const each of [pool, backgroundPool, supportPool]) {
    // A client that loses its connection emits 'error'; without a listener Node would crash. The pool
    // listens while a client is idle; this listener covers the time it is checked out between two
    // queries (a restarting database ends every connection at once). The client is unusable after
    // it: its next query fails, and the pool drops it on release.
    each.on("error", () => undefined);
    each.on("connect", (client) => client.on("error", () => undefined));
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });

  function withScope<T>({ tenantId, userId }: Scope, work: (tx: ScopedTransaction) => Promise<T>): Promise<T> {
    for (const id of [tenantId, userId]) {
      if (id !== undefined && !isUuid(id)) return Promise.reject(new InvalidScopeError(`Not an id: ${id}`));
    }
    if (!tenantId && !userId) return Promise.reject(new InvalidScopeError("A scope needs a tenant or a user"));
    return prisma
      .$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT set_config('app.tenant_id', ${tenantId ?? ""}, true), set_config('app.user_id', ${userId ?? ""}, true)`;
          return work(tx);
        },
        // Prisma's defaults (2 s to get a pooled connection, 5 s in all) turned busy moments into
        // INTERNAL errors on sign-ups; waiting longer for the pool is the better answer.
        TRANSACTION_LIMITS,
      )
      .catch((error: unknown) => {
        // A rule the database enforces (a statement or a deferred trigger at COMMIT) becomes its AppError.
        throw databaseRuleError(error) ?? error;
      });
  }

  async function withTenantSql<T>(tenantId: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    if (!isUuid(tenantId)) throw new InvalidScopeError(`Not an id: ${tenantId}`);
    const client = await pool.connect();
    let broken = false;
    try {
      // One round trip for both; the id is a checked UUID, so inlining it is safe.
      await client.query(`BEGIN; SELECT set_config('app.tenant_id', '${tenantId}', true)`);
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {
        broken = true;
      });
      throw databaseRuleError(error) ?? error;
    } finally {
      client.release(broken);
    }
  }

  const subscriptions = new Set<Subscription>();

  return {
    pool,
    withTenantSql,
    subscribe(channel, onMessage, onReset) {
      const subscription = subscribe(appUrl, channel, onMessage, onReset);
      subscriptions.add(subscription);
      return subscription;
    },
    auth: createAuthLookups(pool),
    jobs: createJobLookups(backgroundPool),
    support: createSupportLookups(supportPool),
    backgroundPool,
    supportPool,
    withScope,
    withTenant: (tenantId, work) => withScope({ tenantId }, work),
    withUser: (userId, work) => withScope({ userId }, work),
    async ping() {
      await pool.query("SELECT 1");
    },
    async close() {
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
      await prisma.$disconnect();
      await pool.end().catch(() => undefined);
      await backgroundPool.end().catch(() => undefined);
      await supportPool.end().catch(() => undefined);
    },
  };
}
