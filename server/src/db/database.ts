import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, type Prisma } from "../generated/prisma/client.ts";

/** What services get: a Prisma transaction that is already scoped to one tenant by RLS. */
export type TenantTransaction = Prisma.TransactionClient;

export type Database = {
  /**
   * The one way to touch tenant data: an interactive transaction that first sets `app.tenant_id`
   * (transaction-local, so a pooled connection never leaks it), then runs `work`.
   */
  withTenant<T>(tenantId: string, work: (tx: TenantTransaction) => Promise<T>): Promise<T>;
  /** Liveness of the database, for /healthz. */
  ping(): Promise<void>;
  /** The pool Prisma's adapter uses; for the few measured hot paths that run SQL directly. */
  pool: pg.Pool;
  close(): Promise<void>;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class InvalidTenantIdError extends Error {
  override name = "InvalidTenantIdError";
}

export function connectDatabase(appUrl: string, { maxConnections = 20 }: { maxConnections?: number } = {}): Database {
  const pool = new pg.Pool({ connectionString: appUrl, max: maxConnections });
  // An idle client that loses its connection emits 'error'; without a listener Node would crash.
  pool.on("error", () => undefined);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });

  return {
    pool,
    withTenant(tenantId, work) {
      if (!UUID.test(tenantId)) return Promise.reject(new InvalidTenantIdError(`Not a tenant id: ${tenantId}`));
      return prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT set_config('app.tenant_id', ${tenantId}, true)`;
        return work(tx);
      });
    },
    async ping() {
      await pool.query("SELECT 1");
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
