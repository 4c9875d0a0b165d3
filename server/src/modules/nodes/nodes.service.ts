import type { Database } from "../../db/database.ts";
import { isUuid } from "../../db/database.ts";
import { badInput } from "../../errors.ts";
import { holdsPermission } from "../auth/permissions.ts";
import type { TenantPrincipal } from "../auth/principal.ts";
import { apiKeyNodes } from "../api-keys/api-keys.service.ts";
import { conversationNodes, messageNodes } from "../messages/messages.queries.ts";
import type { FoundNode, NodeSource } from "../relay/node-source.ts";
import { teamInvitationNodes } from "../team/team-invitations.service.ts";
import { teamMemberNodes, userNodes } from "../team/team.service.ts";
import { tenantNodes } from "../tenants/tenants.service.ts";
import { webhookDeliveryNodes } from "../webhooks/deliveries.queries.ts";
import { webhookEndpointNodes } from "../webhooks/webhooks.service.ts";
import { whatsAppConnectionNodes } from "../whatsapp/whatsapp.service.ts";

/** The most ids one `nodes` call may ask for. */
export const MAX_NODE_IDS = 100;

/** Every type with a global id. Ids are the tables' own UUIDs, so the type is found from the rows. */
const SOURCES: NodeSource[] = [
  messageNodes,
  conversationNodes,
  apiKeyNodes,
  tenantNodes,
  whatsAppConnectionNodes,
  teamMemberNodes,
  userNodes,
  teamInvitationNodes,
  webhookEndpointNodes,
  webhookDeliveryNodes,
];

/** A loaded object with the name of its GraphQL type, for the Node interface's resolveType. */
export type NodeValue = object & { __typename: string };

/**
 * The objects behind `ids`, in their order, null for each id that is not one the caller may see:
 * unknown, another tenant's, of a type whose list the caller may not read (a MESSAGES_READ key asking
 * for an API key), or not a UUID at all (an id is opaque to clients: GitHub answers such ids with null
 * too, and one bad id in a `nodes` list should not fail the others).
 *
 * Ids are plain UUIDs (the ones clients already stored), so they do not say their type. One query in the
 * caller's tenant scope (row-level security, and `tenant_id = $1` in every branch) asks each table the
 * caller may read for the ids, on its primary key: a UNION ALL of index look-ups, then one query per type
 * found to load the objects, in the same transaction. Conversation ids are computed, not stored: only
 * version-8 ids are looked for among them (see `conversationNodes`).
 */
export async function resolveNodes(db: Database, actor: TenantPrincipal, ids: string[]): Promise<(NodeValue | null)[]> {
  if (ids.length > MAX_NODE_IDS) throw badInput("ids", `Ask for at most ${MAX_NODE_IDS} ids at once.`);
  const wanted = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
  const sources = SOURCES.filter((source) => holdsPermission(actor, source.permission));
  if (wanted.length === 0 || sources.length === 0) return ids.map(() => null);

  const found = await db.withTenantSql(actor.tenantId, async (client) => {
    const values: unknown[] = [actor.tenantId, wanted];
    const branches: string[] = [];
    for (const source of sources) {
      let idsParam = "$2::uuid[]";
      if (source.candidate) {
        const candidates = wanted.filter(source.candidate);
        if (candidates.length === 0) continue;
        values.push(candidates);
        idsParam = `$${values.length}::uuid[]`;
      }
      // The type names are this file's constants, never input.
      branches.push(`SELECT '${source.typename}'::text AS type, f.id::text AS id, f.key FROM (${source.find("$1::uuid", idsParam)}) f`);
    }
    const { rows } = await client.query<{ type: string } & FoundNode>(branches.join("\nUNION ALL\n"), values);

    const nodes = new Map<string, NodeValue>();
    for (const source of sources) {
      const ofType = rows.filter((row) => row.type === source.typename && !nodes.has(row.id));
      if (ofType.length === 0) continue;
      for (const [id, value] of await source.load(client, actor.tenantId, ofType)) nodes.set(id, { ...value, __typename: source.typename });
    }
    return nodes;
  });
  return ids.map((id) => found.get(id.toLowerCase()) ?? null);
}
