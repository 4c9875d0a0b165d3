import { isUuid, type Database } from "../../db/database.ts";
import { badInput, forbidden, unauthenticated } from "../../errors.ts";
import type { Logger } from "../../logger.ts";
import { hashesEqual, keyedHash, type ServerKeys } from "../../security/secrets.ts";
import { API_KEY_PREFIX_LENGTH, looksLikeApiKey } from "../api-keys/api-key-secret.ts";
import type { ApiKeyLookup } from "../../db/auth-lookups.ts";
import type { Authentication } from "./principal.ts";
import { hashSessionToken } from "./session-token.ts";

export type Credentials = {
  /** The bearer token from `Authorization`, or the session cookie. */
  token: string | undefined;
  /** `X-Tenant-Id`: which of the user's tenants this request acts for. */
  tenantId: string | undefined;
};

const TOUCH_INTERVAL_MS = 60_000;
/** Revocations arrive by NOTIFY at once; the TTL only bounds memory and staleness of the rest. */
const API_KEY_CACHE_TTL_MS = 60_000;
const API_KEY_CACHE_MAX = 10_000;
/** Channel on which revokeApiKey announces the revoked key's prefix (see api-keys.service.ts). */
export const API_KEY_REVOKED_CHANNEL = "switchboard_api_key_revoked";
/** The payload on API_KEY_REVOKED_CHANNEL that drops every cached key (a tenant's suspension changed). */
export const ALL_API_KEYS = "*";

/** Turns the credentials of a request into a principal; never throws for bad credentials. */
export function createAuthenticator({ db, keys, logger }: { db: Database; keys: ServerKeys; logger: Logger }) {
  // Keys whose last use was recorded recently: spares the touch query on busy keys.
  const recentlyTouched = new Map<string, number>();

  // Verified keys by prefix, so a busy integration costs no look-up per request. Trusted only while
  // the LISTEN connection is up: a revocation in any process is announced at its commit and evicts
  // the key here, and a dropped connection clears everything, since notifications may be lost.
  const verifiedKeys = new Map<string, { lookup: ApiKeyLookup; secretHash: string; expiresAt: number }>();
  const revocations = db.subscribe(
    API_KEY_REVOKED_CHANNEL,
    // "*": a tenant was suspended or reactivated; its keys' cached state is stale, whichever they are.
    (prefix) => (prefix === ALL_API_KEYS ? verifiedKeys.clear() : verifiedKeys.delete(prefix)),
    () => verifiedKeys.clear(),
  );

  async function findApiKey(prefix: string, secretHash: string): Promise<ApiKeyLookup | undefined> {
    const cached = verifiedKeys.get(prefix);
    if (cached && revocations.live && cached.expiresAt > Date.now() && hashesEqual(cached.secretHash, secretHash)) return cached.lookup;
    const key = (await db.auth.apiKeys(prefix)).find((candidate) => hashesEqual(candidate.secretHash, secretHash));
    if (!key) return undefined;
    if (revocations.live) {
      if (verifiedKeys.size >= API_KEY_CACHE_MAX) verifiedKeys.clear();
      verifiedKeys.set(prefix, { lookup: key, secretHash, expiresAt: Date.now() + API_KEY_CACHE_TTL_MS });
    }
    return key;
  }

  function touch(tenantId: string, apiKeyId: string, lastUsedAt: Date | null) {
    const now = Date.now();
    const last = Math.max(lastUsedAt?.getTime() ?? 0, recentlyTouched.get(apiKeyId) ?? 0);
    if (now - last < TOUCH_INTERVAL_MS) return;
    recentlyTouched.set(apiKeyId, now);
    if (recentlyTouched.size > 10_000) recentlyTouched.clear();
    db.auth.touchApiKey(tenantId, apiKeyId).catch((error) => logger.warn({ err: error, apiKeyId }, "could not record API key use"));
  }

  async function authenticate({ token, tenantId }: Credentials): Promise<Authentication> {
    if (!token) return { principal: null };

    if (looksLikeApiKey(token)) {
      const key = await findApiKey(token.slice(0, API_KEY_PREFIX_LENGTH), keyedHash(keys.apiKeyHashKey, token));
      if (!key) {
        return { principal: null, failure: unauthenticated("This API key is not valid or was revoked.") };
      }
      if (!key.tenantActive) {
        return {
          principal: null,
          failure: forbidden(
            "This API key's company is suspended by Switchboard: its API keys, sends and webhook deliveries are paused. Its owners and admins see the reason in the dashboard.",
          ),
        };
      }
      if (tenantId && tenantId !== key.tenantId) {
        return { principal: null, failure: badInput("X-Tenant-Id", "An API key acts only for its own tenant; drop the X-Tenant-Id header.") };
      }
      touch(key.tenantId, key.apiKeyId, key.lastUsedAt);
      return {
        principal: { kind: "apiKey", apiKeyId: key.apiKeyId, tenantId: key.tenantId, scopes: key.scopes, tenantActive: key.tenantActive },
      };
    }

    if (tenantId !== undefined && !isUuid(tenantId)) {
      return { principal: null, failure: badInput("X-Tenant-Id", "X-Tenant-Id must be the id of one of your tenants.") };
    }
    const session = await db.auth.session(hashSessionToken(token), tenantId ?? null);
    if (!session) return { principal: null, failure: unauthenticated("Your session has expired or was ended; log in again.") };
    const staff = session.platformRole !== null;
    return {
      principal: {
        kind: "user",
        userId: session.userId,
        sessionId: session.sessionId,
        tenantId: staff ? null : session.tenantId,
        role: staff ? null : session.role,
        tenantActive: staff ? false : (session.tenantActive ?? false),
        platformRole: session.platformRole,
      },
    };
  }

  return {
    authenticate,
    /** Evicts a revoked key from this process at once (other processes hear it by NOTIFY). */
    forgetApiKey(prefix: string) {
      verifiedKeys.delete(prefix);
    },
  };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;
