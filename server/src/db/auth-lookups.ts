import type pg from "pg";
import type { ApiKeyScope, MembershipRole, PlatformRole } from "../generated/prisma/enums.ts";

/**
 * The narrow, named paths past RLS that authentication needs: SECURITY DEFINER functions from the
 * `auth_lookups` migration, each answering one question. Nothing else reads across tenants.
 */
export type AuthLookups = ReturnType<typeof createAuthLookups>;

export type SessionLookup = {
  sessionId: string;
  userId: string;
  expiresAt: Date;
  tenantId: string | null;
  role: MembershipRole | null;
  tenantActive: boolean | null;
  /** Switchboard staff only (platform_staff); null for everyone else. */
  platformRole: PlatformRole | null;
};

export type ApiKeyLookup = {
  apiKeyId: string;
  tenantId: string;
  secretHash: string;
  scopes: ApiKeyScope[];
  lastUsedAt: Date | null;
  tenantActive: boolean;
};

export function createAuthLookups(pool: pg.Pool) {
  return {
    async loginCandidate(email: string): Promise<{ userId: string; passwordHash: string } | undefined> {
      const { rows } = await pool.query("SELECT user_id, password_hash FROM auth_login_candidate($1)", [email]);
      return rows[0] && { userId: rows[0].user_id, passwordHash: rows[0].password_hash };
    },

    async session(tokenHash: string, tenantId: string | null): Promise<SessionLookup | undefined> {
      const { rows } = await pool.query("SELECT * FROM auth_resolve_session($1, $2::uuid)", [tokenHash, tenantId]);
      const row = rows[0];
      return (
        row && {
          sessionId: row.session_id,
          userId: row.user_id,
          expiresAt: row.expires_at,
          tenantId: row.tenant_id,
          role: row.role,
          tenantActive: row.tenant_active,
          platformRole: row.platform_role,
        }
      );
    },

    /** A user's platform role (staff), or null. */
    async platformRole(userId: string): Promise<PlatformRole | null> {
      const { rows } = await pool.query("SELECT auth_platform_role($1) AS role", [userId]);
      return rows[0]?.role ?? null;
    },

    /**
     * The unrevoked keys with this prefix: one, almost always. Prefixes are unique per tenant only
     * (so the table can be distributed by tenant), so the caller picks the one whose hash matches.
     */
    async apiKeys(prefix: string): Promise<ApiKeyLookup[]> {
      // scopes::text[]: node-postgres does not parse arrays of enum types.
      const { rows } = await pool.query(
        "SELECT api_key_id, tenant_id, secret_hash, scopes::text[] AS scopes, last_used_at, tenant_active FROM auth_resolve_api_key($1)",
        [prefix],
      );
      return rows.map((row) => ({
        apiKeyId: row.api_key_id,
        tenantId: row.tenant_id,
        secretHash: row.secret_hash,
        scopes: row.scopes,
        lastUsedAt: row.last_used_at,
        tenantActive: row.tenant_active,
      }));
    },

    async touchApiKey(tenantId: string, apiKeyId: string): Promise<void> {
      await pool.query("SELECT auth_touch_api_key($1, $2)", [tenantId, apiKeyId]);
    },

    /** The connection whose inbound URL carries this token (by its SHA-256). */
    async inboundConnection(tokenHash: string): Promise<{ tenantId: string; connectionId: string; number: string } | undefined> {
      const { rows } = await pool.query("SELECT tenant_id, connection_id, number FROM inbound_connection_for_token($1)", [tokenHash]);
      return rows[0] && { tenantId: rows[0].tenant_id, connectionId: rows[0].connection_id, number: rows[0].number };
    },
  };
}
