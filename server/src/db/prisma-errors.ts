import { conflict, type AppError } from "../errors.ts";
import { Prisma } from "../generated/prisma/client.ts";

/** A unique constraint failed; `field` narrows it to constraints that include that field. */
export function isUniqueViolation(error: unknown, field?: string): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== "P2002") return false;
  if (!field) return true;
  const target = JSON.stringify(error.meta ?? {});
  return target.includes(field);
}

/** SQLSTATE of memberships_keep_an_owner (migration 20261129100000_owner_invariant). */
export const OWNER_RULE_SQLSTATE = "SB001";

/**
 * The SQLSTATE of a database error, however it arrived: from node-postgres itself, as Prisma's adapter
 * error (what an interactive transaction throws when COMMIT fails, e.g. in a deferred trigger), or
 * wrapped in a known request error (a statement inside the transaction failed).
 */
function sqlStateOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  type AdapterCause = { originalCode?: unknown } | undefined;
  let cause: AdapterCause;
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    cause = (error.meta as { driverAdapterError?: { cause?: AdapterCause } } | undefined)?.driverAdapterError?.cause;
  } else if ((error as { name?: unknown }).name === "DriverAdapterError") {
    cause = (error as { cause?: AdapterCause }).cause;
  } else {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" && code.length === 5 ? code : undefined;
  }
  return typeof cause?.originalCode === "string" ? cause.originalCode : undefined;
}

/**
 * The rules the database enforces itself, as the AppError a client should see; undefined for any other
 * error. Every transaction (withScope, withTenantSql) passes its failure through this one function.
 */
export function databaseRuleError(error: unknown): AppError | undefined {
  if (sqlStateOf(error) === OWNER_RULE_SQLSTATE) {
    return conflict("A tenant needs at least one owner: make someone else owner first (another owner may just have stepped down).");
  }
  return undefined;
}
