import type { Database } from "../../db/database.ts";
import { isUuid } from "../../db/database.ts";
import { badInput, notFound } from "../../errors.ts";
import type { ApiKeyScope } from "../../generated/prisma/enums.ts";
import { Permission } from "../auth/permissions.ts";
import type { TenantPrincipal } from "../auth/principal.ts";
import { byId, findById, type NodeSource } from "../relay/node-source.ts";
import { keyedHash, type ServerKeys } from "../../security/secrets.ts";
import { actorOf } from "../auth/principal.ts";
import { newApiKeySecret } from "./api-key-secret.ts";
import { API_KEY_REVOKED_CHANNEL } from "../auth/authenticate.ts";

const publicFields = { id: true, name: true, prefix: true, scopes: true, createdAt: true, lastUsedAt: true, revokedAt: true } as const;

export function createApiKey(db: Database, keys: ServerKeys, actor: TenantPrincipal, input: { name: string; scopes: ApiKeyScope[] }) {
  const { secret, prefix } = newApiKeySecret();
  const scopes = [...new Set(input.scopes)];
  return db.withTenant(actor.tenantId, async (tx) => {
    const apiKey = await tx.apiKey.create({
      data: { tenantId: actor.tenantId, name: input.name.trim(), prefix, secretHash: keyedHash(keys.apiKeyHashKey, secret), scopes },
      select: publicFields,
    });
    await tx.auditLog.create({
      data: {
        tenantId: actor.tenantId,
        actor: actorOf(actor),
        action: "api_key.created",
        target: `api_key:${apiKey.id}`,
        details: { name: apiKey.name, scopes },
      },
    });
    return { apiKey, secret };
  });
}

export function listApiKeys(db: Database, actor: TenantPrincipal) {
  return db.withTenant(actor.tenantId, (tx) =>
    tx.apiKey.findMany({ where: { tenantId: actor.tenantId }, select: publicFields, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
  );
}

/** `node(id:)` for API keys: the primary key; the fields of `publicFields`, never the secret's hash. */
export const apiKeyNodes: NodeSource = {
  typename: "ApiKey",
  permission: Permission.API_KEYS_MANAGE,
  find: findById("api_keys"),
  async load(client, tenantId, found) {
    const { rows } = await client.query<{
      id: string;
      name: string;
      prefix: string;
      scopes: ApiKeyScope[];
      createdAt: Date;
      lastUsedAt: Date | null;
      revokedAt: Date | null;
    }>(
      `SELECT id, name, prefix, scopes::text[] AS scopes, created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"
         FROM api_keys WHERE tenant_id = $1 AND id = ANY ($2::uuid[])`,
      [tenantId, found.map((node) => node.id)],
    );
    return byId(rows);
  },
};

/** Takes effect on the key's next request (authentication reads revoked_at every time). */
export function revokeApiKey(db: Database, actor: TenantPrincipal, id: string) {
  if (!isUuid(id)) throw badInput("id", "id must be an API key id.");
  return db.withTenant(actor.tenantId, async (tx) => {
    const existing = await tx.apiKey.findUnique({ where: { tenantId_id: { tenantId: actor.tenantId, id } }, select: publicFields });
    if (!existing) throw notFound("That API key");
    if (existing.revokedAt) return existing;
    const revoked = await tx.apiKey.update({
      where: { tenantId_id: { tenantId: actor.tenantId, id } },
      data: { revokedAt: new Date() },
      select: publicFields,
    });
    await tx.auditLog.create({ data: { tenantId: actor.tenantId, actor: actorOf(actor), action: "api_key.revoked", target: `api_key:${id}` } });
    // Delivered at commit to every server process, which drop the key from their caches.
    await tx.$executeRaw`SELECT pg_notify(${API_KEY_REVOKED_CHANNEL}, ${revoked.prefix})`;
    return revoked;
  });
}
