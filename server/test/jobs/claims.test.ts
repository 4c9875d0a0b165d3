import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectData } from "../support/api.ts";
import { connectedTenant, SEND, startMessagingWorld, type MessagingWorld, type Sender } from "../support/messaging.ts";

/**
 * The engine's SQL on PostgreSQL, without the engine: what a claim leases, how the pace per number
 * is kept in the database (so every dispatcher process shares it), and what the cross-tenant
 * look-ups reveal. The server's own work engine is off, so nothing else claims.
 */
let world: MessagingWorld;
beforeAll(async () => {
  world = await startMessagingWorld({ DISPATCH_ENABLED: "false" });
});
afterAll(() => world?.close());

type ClaimRow = { id: string | null; attempts: number | null; pace_wait_ms: number; drained: boolean };

async function queue(tenant: Sender, count: number, label: string): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const result = await world.api.graphql(SEND, { input: { to: "+14155550150", text: `${label} ${index}` } }, { token: tenant.key });
    ids.push(expectData(result).sendMessage.id as string);
  }
  return ids;
}

async function connectionOf(tenant: Sender): Promise<string> {
  const { rows } = await world.api.database.ownerPool.query("SELECT id FROM whatsapp_connections WHERE tenant_id = $1 AND status = 'CONNECTED'", [
    tenant.tenantId,
  ]);
  return rows[0].id as string;
}

/** A claim as the engine makes it, on the app role's pool (RLS applies). */
async function claim(tenant: Sender, connectionId: string, limit: number): Promise<ClaimRow[]> {
  const { rows } = await world.api.database.db.backgroundPool.query<ClaimRow>(
    "SELECT id, attempts, pace_wait_ms, drained FROM app_claim_sends($1, $2, $3, 60000)",
    [tenant.tenantId, connectionId, limit],
  );
  return rows;
}

const statusesOf = async (ids: string[]) =>
  (await world.api.database.ownerPool.query("SELECT status FROM messages WHERE id = ANY($1::uuid[])", [ids])).rows.map((row) => row.status as string);

describe("claiming sends", () => {
  it("takes one second's worth at the number's pace, marks them SENDING, then says how long to wait", async () => {
    const tenant = await connectedTenant(world, { label: "paced-claim", rate: 4 });
    const connectionId = await connectionOf(tenant);
    const ids = await queue(tenant, 10, "paced");

    const first = await claim(tenant, connectionId, 10);
    expect(first.map((row) => row.id)).toEqual(ids.slice(0, 4));
    expect(first.every((row) => row.attempts === 1 && !row.drained)).toBe(true);
    expect(first[0]!.pace_wait_ms).toBeGreaterThan(0);
    expect(first[0]!.pace_wait_ms).toBeLessThanOrEqual(250);
    expect(await statusesOf(ids.slice(0, 4))).toEqual(["SENDING", "SENDING", "SENDING", "SENDING"]);

    // Asked again at once (by this process or another): nothing, and the wait, not "drained".
    const second = await claim(tenant, connectionId, 10);
    expect(second).toHaveLength(1);
    expect(second[0]).toMatchObject({ id: null, drained: false });
    expect(second[0]!.pace_wait_ms).toBeGreaterThan(0);
    expect(await statusesOf(ids.slice(4))).toEqual(Array(6).fill("QUEUED"));
  });

  it("takes everything due of a fast number, oldest first, and says when it ran dry", async () => {
    const tenant = await connectedTenant(world, { label: "fast-claim", rate: 1000 });
    const connectionId = await connectionOf(tenant);
    const ids = await queue(tenant, 3, "fast");
    const rows = await claim(tenant, connectionId, 10);
    expect(rows.map((row) => row.id)).toEqual(ids);
    expect(rows.every((row) => row.drained)).toBe(true);
    expect(await claim(tenant, connectionId, 10)).toEqual([{ id: null, attempts: null, pace_wait_ms: 0, drained: true }]);
  });

  it("claims nothing of another tenant's number, whatever ids it is given", async () => {
    const owner = await connectedTenant(world, { label: "claim-owner" });
    const other = await connectedTenant(world, { label: "claim-other" });
    const ids = await queue(owner, 2, "not yours");
    const rows = await claim(other, await connectionOf(owner), 10);
    expect(rows.filter((row) => row.id !== null)).toEqual([]);
    expect(await statusesOf(ids)).toEqual(["QUEUED", "QUEUED"]);
  });

  it("names busy numbers across tenants by id only, until their work is leased", async () => {
    const tenant = await connectedTenant(world, { label: "due-keys" });
    const connectionId = await connectionOf(tenant);
    await queue(tenant, 2, "due");
    const dueKeys = async () =>
      (await world.api.database.db.backgroundPool.query("SELECT * FROM jobs_due_keys(1000, 0)")).rows.filter((row) => row.tenant_id === tenant.tenantId);
    expect(await dueKeys()).toEqual([{ queue: "send_message", tenant_id: tenant.tenantId, pace_key: connectionId, due_in_ms: 0 }]);
    await claim(tenant, connectionId, 10);
    expect(await dueKeys()).toEqual([]);
  });
});
