import type pg from "pg";
import { v7 as uuidv7 } from "uuid";
import { AppError, badInput } from "../../errors.ts";
import { PlatformRole } from "../../generated/prisma/enums.ts";
import { checkPasswordPolicy, hashPassword } from "../../security/passwords.ts";
import { normalizeEmail } from "../auth/auth.service.ts";

/**
 * Granting and withdrawing platform roles: `npm run staff -w server` (scripts/staff.mts). On the owner
 * connection only (the one migrations use): the app role can neither read nor write platform_staff,
 * so no request to the server can make anyone staff.
 */

export type StaffMember = { email: string; role: PlatformRole; since: Date };

export const isPlatformRole = (value: string): value is PlatformRole => (Object.values(PlatformRole) as string[]).includes(value);

async function inTransaction<T>(client: pg.Client | pg.PoolClient, work: () => Promise<T>): Promise<T> {
  await client.query("BEGIN");
  try {
    const result = await work();
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
}

/**
 * Gives the account with this email the role, creating the account when there is none (then the
 * password is needed, and must pass the sign-up rules). Returns whether the account was created.
 */
export async function grantStaffRole(
  client: pg.Client | pg.PoolClient,
  { email, role, password }: { email: string; role: PlatformRole; password?: () => Promise<string> },
): Promise<{ created: boolean; userId: string }> {
  const address = normalizeEmail(email);
  if (!/^[^\s@]+@[^\s@]+$/.test(address)) throw badInput("email", "Give the staff member's email address.");
  if (!isPlatformRole(role)) throw badInput("role", `The role is one of ${Object.values(PlatformRole).join(", ")}.`);
  const existing = await client.query<{ id: string }>("SELECT id FROM users WHERE email = $1", [address]);
  let userId = existing.rows[0]?.id;
  let passwordHash: string | undefined;
  if (!userId) {
    if (!password) throw new AppError("BAD_USER_INPUT", `No account has the email ${address}: give a password to create it.`, { field: "password" });
    const chosen = await password();
    checkPasswordPolicy(chosen, address);
    passwordHash = await hashPassword(chosen);
  }
  return inTransaction(client, async () => {
    let created = false;
    if (!userId) {
      userId = uuidv7();
      // As that user, so the insert passes users' row-level security for an owner that is not a superuser.
      await client.query("SELECT set_config('app.user_id', $1, true)", [userId]);
      await client.query("INSERT INTO users (id, email, password_hash) VALUES ($1, $2, $3)", [userId, address, passwordHash]);
      created = true;
    }
    await client.query(
      `INSERT INTO platform_staff (user_id, role) VALUES ($1, $2::"PlatformRole")
       ON CONFLICT (user_id) DO UPDATE SET role = excluded.role`,
      [userId, role],
    );
    return { created, userId };
  });
}

export async function listStaff(client: pg.Client | pg.PoolClient): Promise<StaffMember[]> {
  const { rows } = await client.query<{ email: string; role: PlatformRole; created_at: Date }>(
    "SELECT u.email, s.role, s.created_at FROM platform_staff s JOIN users u ON u.id = s.user_id ORDER BY u.email",
  );
  return rows.map((row) => ({ email: row.email, role: row.role, since: row.created_at }));
}

/** Withdraws the role (the account stays) and ends the member's support sessions at once. */
export async function removeStaff(client: pg.Client | pg.PoolClient, email: string): Promise<boolean> {
  const address = normalizeEmail(email);
  return inTransaction(client, async () => {
    const { rows } = await client.query<{ user_id: string }>(
      "DELETE FROM platform_staff s USING users u WHERE u.id = s.user_id AND u.email = $1 RETURNING s.user_id",
      [address],
    );
    if (!rows[0]) return false;
    await client.query("UPDATE support_sessions SET expires_at = now() WHERE staff_user_id = $1 AND expires_at > now()", [rows[0].user_id]);
    return true;
  });
}
