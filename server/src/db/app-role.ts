import { createHmac } from "node:crypto";
import pg from "pg";

export const APP_ROLE = "switchboard_app";

/**
 * Gives the migrations' NOLOGIN `switchboard_app` role a login and returns a URL that connects as
 * it. The password is derived from the server secret, so every start computes the same one.
 * Used when only an owner DATABASE_URL is configured; DATABASE_APP_URL skips this.
 */
export async function enableAppRoleLogin(ownerUrl: string, secret: string): Promise<string> {
  const password = appRolePassword(secret);
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query(`ALTER ROLE ${APP_ROLE} WITH LOGIN PASSWORD ${client.escapeLiteral(password)}`);
  } finally {
    await client.end();
  }
  return appRoleUrl(ownerUrl, secret);
}

function appRolePassword(secret: string): string {
  return createHmac("sha256", secret).update("database:switchboard_app").digest("base64url");
}

/** The owner's URL with the app role's credentials in place of the owner's. */
export function appRoleUrl(ownerUrl: string, secret: string): string {
  const url = new URL(ownerUrl);
  url.username = APP_ROLE;
  url.password = appRolePassword(secret);
  return url.toString();
}

/**
 * Row-level security means nothing if the server's own role can bypass it: refuse to run as a
 * superuser, a BYPASSRLS role or the owner of any table.
 */
export async function assertRestrictedRole(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ role: string; rolsuper: boolean; rolbypassrls: boolean; owned_tables: string }>(
    `SELECT r.rolname AS role, r.rolsuper, r.rolbypassrls,
            (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid AND c.relkind IN ('r', 'p')) AS owned_tables
       FROM pg_roles r WHERE r.rolname = current_user`,
  );
  const role = rows[0];
  if (!role) throw new Error("Could not read the database role the server connects as");
  if (role.rolsuper || role.rolbypassrls || Number(role.owned_tables) > 0) {
    throw new Error(
      `The server must connect as a role that bypasses no row-level security, but ${role.role} is ` +
        `${role.rolsuper ? "a superuser" : role.rolbypassrls ? "BYPASSRLS" : `the owner of ${role.owned_tables} tables`}. ` +
        `Point DATABASE_APP_URL at the ${APP_ROLE} role.`,
    );
  }
}
