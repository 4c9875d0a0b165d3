import slugify from "@sindresorhus/slugify";
import { v7 as uuidv7 } from "uuid";
import type { Database, ScopedTransaction } from "../../db/database.ts";
import { isUniqueViolation } from "../../db/prisma-errors.ts";
import { conflict, forbidden, unauthenticated } from "../../errors.ts";
import { burnPasswordCheck, checkPasswordPolicy, hashPassword, verifyPassword } from "../../security/passwords.ts";
import type { PlatformRole } from "../../generated/prisma/enums.ts";
import type { RateLimits } from "./rate-limits.ts";
import { newSessionToken, SESSION_TTL_MS } from "./session-token.ts";

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

type SignUp = { email: string; password: string; companyName: string };

/** Creates the user, their tenant and the OWNER membership, and logs them in. */
export async function signUp(db: Database, input: SignUp) {
  const email = normalizeEmail(input.email);
  const companyName = input.companyName.trim();
  checkPasswordPolicy(input.password, email);
  const passwordHash = await hashPassword(input.password);
  const userId = uuidv7();
  const tenantId = uuidv7();
  try {
    // Acting as the new user and the new tenant is what lets RLS accept their first rows.
    return await db.withScope({ tenantId, userId }, async (tx) => {
      const user = await tx.user.create({ data: { id: userId, email, passwordHash } });
      const tenant = await createTenant(tx, tenantId, companyName || email);
      await tx.membership.create({ data: { tenantId, userId, role: "OWNER" } });
      await tx.auditLog.create({ data: { tenantId, actor: `user:${userId}`, action: "tenant.created", target: tenantId } });
      const session = await startSession(tx, userId);
      return { ...session, user, tenant, platformRole: null };
    });
  } catch (error) {
    if (isUniqueViolation(error, "email")) throw conflict("An account with this email already exists; log in instead.", "email");
    throw error;
  }
}

/** The slug from the company name, with a random suffix if another tenant has it already. */
async function createTenant(tx: ScopedTransaction, id: string, companyName: string) {
  const base = slugify(companyName).slice(0, 60) || "tenant";
  for (let attempt = 0; ; attempt++) {
    const slug = attempt === 0 ? base : `${base}-${Math.random().toString(36).slice(2, 8)}`;
    // A savepoint keeps a slug clash from aborting the whole sign-up transaction.
    await tx.$executeRaw`SAVEPOINT tenant_slug`;
    try {
      const tenant = await tx.tenant.create({ data: { id, companyName, slug } });
      await tx.$executeRaw`RELEASE SAVEPOINT tenant_slug`;
      return tenant;
    } catch (error) {
      await tx.$executeRaw`ROLLBACK TO SAVEPOINT tenant_slug`;
      if (!isUniqueViolation(error, "slug") || attempt >= 4) throw error;
    }
  }
}

async function startSession(tx: ScopedTransaction, userId: string) {
  const { token, tokenHash } = newSessionToken();
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await tx.session.create({ data: { userId, tokenHash, expiresAt } });
  return { token, expiresAt };
}

/** Same answer for an unknown email and a wrong password, in about the same time. */
export async function logIn(db: Database, limits: RateLimits, input: { email: string; password: string }, clientIp: string) {
  const email = normalizeEmail(input.email);
  await limits.logInAttempt(email, clientIp);
  const candidate = await db.auth.loginCandidate(email);
  const passwordMatches = candidate ? await verifyPassword(candidate.passwordHash, input.password) : await burnPasswordCheck(input.password).then(() => false);
  if (!candidate || !passwordMatches) throw unauthenticated("Wrong email or password.");
  await limits.logInSucceeded(email, clientIp);
  const platformRole = await db.auth.platformRole(candidate.userId);

  return db.withUser(candidate.userId, async (tx) => {
    const user = await tx.user.findUniqueOrThrow({ where: { id: candidate.userId } });
    const membership = await tx.membership.findFirst({
      where: { userId: user.id },
      orderBy: [{ createdAt: "asc" }, { tenantId: "asc" }],
      include: { tenant: true },
    });
    // Staff act in no tenant (principal.ts), whether or not they belong to one.
    if (platformRole) return { ...(await startSession(tx, user.id)), user, tenant: null, platformRole };
    if (!membership) throw forbidden("Your account no longer belongs to any tenant; ask an owner to add you again.");
    const session = await startSession(tx, user.id);
    return { ...session, user, tenant: membership.tenant, platformRole };
  });
}

export async function logOut(db: Database, userId: string, sessionId: string): Promise<void> {
  await db.withUser(userId, (tx) => tx.session.updateMany({ where: { id: sessionId, userId, revokedAt: null }, data: { revokedAt: new Date() } }));
}

export function getMe(db: Database, userId: string, platformRole: PlatformRole | null) {
  return db.withUser(userId, async (tx) => {
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
    const memberships = await tx.membership.findMany({
      where: { userId },
      orderBy: [{ createdAt: "asc" }, { tenantId: "asc" }],
      include: { tenant: true },
    });
    return { ...user, memberships, platformRole };
  });
}
