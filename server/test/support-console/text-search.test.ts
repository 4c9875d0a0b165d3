import "reflect-metadata";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SupportSearchFilter } from "../../src/db/support-lookups.ts";
import type { ApiKeyPrincipal } from "../../src/modules/auth/principal.ts";
import { listConversations, listMessages, type MessageFilterInput } from "../../src/modules/messages/messages.queries.ts";
import { grantStaffRole } from "../../src/modules/support/staff.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { seedTenant, type TenantFixture } from "../support/two-tenants.ts";

/**
 * Text search (the support console's, and a tenant's in its message log) reads the newest 10,000 messages first and turns to the trigram index only for older
 * ones when those held less than a page. Whichever way a page is found, paging through must give what
 * one plain query over every message gives: each match once, newest first, across that boundary too.
 * Tenant A has 11,000 messages and tenant B 3,000, interleaved in time, then B 10,500 more of a campaign
 * (the newest), so a search across tenants and one within A reach past the newest 10,000, and a common
 * word is missing from them.
 */

let database: TestDatabase;
let tenantA: TenantFixture;
let tenantB: TenantFixture;
let staffId: string;
let sessionId: string;

type Filter = SupportSearchFilter & { text: string };

/** A tenant's reader, as an API key with MESSAGES_READ presents itself. */
const actor = (tenant: TenantFixture): ApiKeyPrincipal => ({
  kind: "apiKey",
  apiKeyId: "test",
  tenantId: tenant.tenantId,
  scopes: ["MESSAGES_READ"],
  tenantActive: true,
});

/** Every match, newest first, by one plain query as the owner. */
async function expected(filter: Filter): Promise<string[]> {
  const { rows } = await database.ownerPool.query<{ id: string }>(
    `SELECT id FROM messages
      WHERE body ILIKE '%' || $1 || '%' AND ($2::uuid IS NULL OR tenant_id = $2) AND ($3::text IS NULL OR direction::text = $3)
      ORDER BY created_at DESC, id DESC`,
    [filter.text, filter.tenantId ?? null, filter.direction ?? null],
  );
  return rows.map((row) => row.id);
}

/** Pages of `size` through the support function until it says no more follow (at most `pages`). */
async function search(filter: Filter, size: number, pages = 100): Promise<{ ids: string[]; pageSizes: number[]; hasMore: boolean }> {
  const ids: string[] = [];
  const pageSizes: number[] = [];
  let after: { at: Date; id: string } | null = null;
  for (let page = 0; page < pages; page++) {
    const { messages, hasMore } = await database.db.support.searchMessages(staffId, sessionId, filter, size, after);
    ids.push(...messages.map((message) => message.id));
    pageSizes.push(messages.length);
    if (!hasMore) return { ids, pageSizes, hasMore };
    const last = messages.at(-1)!;
    after = { at: last.createdAt, id: last.id };
  }
  return { ids, pageSizes, hasMore: true };
}

beforeAll(async () => {
  database = await createTestDatabase();
  tenantA = await seedTenant(database.owner, "A");
  tenantB = await seedTenant(database.owner, "B");
  // Message n of a tenant is n seconds old (B's half a second older): common text in every third,
  // "parcel never arrived" in every 2,500th, and in both the 10,000 newest and older ones.
  for (const [tenant, count, offset] of [
    [tenantA, 11_000, 0],
    [tenantB, 3_000, 0.5],
  ] as const) {
    await database.ownerPool.query(
      `INSERT INTO messages (tenant_id, id, direction, from_number, to_number, contact_number, body, preview, status, created_at, status_changed_at)
       SELECT $1, gen_random_uuid(), CASE WHEN n % 2 = 0 THEN 'INBOUND' ELSE 'OUTBOUND' END::"MessageDirection", '+8801712345678', c.contact, c.contact,
              CASE WHEN n % 2500 = 17 THEN 'The Parcel never arrived, order ' || n
                   WHEN n % 3 = 0 THEN 'Where is my order ' || n ELSE 'Thanks, all good ' || n END,
              'preview', 'SENT', now() - (n + $3::float8) * interval '1 second', now()
         FROM generate_series(1, $2) AS n CROSS JOIN LATERAL (SELECT '+141555501' || lpad((n % 60)::text, 2, '0') AS contact) c`,
      [tenant.tenantId, count, offset],
    );
  }
  // Then B's campaign: 10,500 messages in the last 10.5 seconds, none with the words searched for.
  await database.ownerPool.query(
    `INSERT INTO messages (tenant_id, id, direction, from_number, to_number, contact_number, body, preview, status, created_at, status_changed_at)
     SELECT $1, gen_random_uuid(), 'OUTBOUND', '+8801712345678', '+14155550199', '+14155550199', 'Flash sale: 20% off today only ' || n, 'preview', 'SENT',
            now() - n * interval '1 millisecond', now()
       FROM generate_series(1, 10500) AS n`,
    [tenantB.tenantId],
  );
  await database.ownerPool.query("ANALYZE messages");
  const client = await database.ownerPool.connect();
  try {
    staffId = (await grantStaffRole(client, { email: "staff@switchboard.test", role: "SUPPORT", password: async () => "a long staff passphrase 1" })).userId;
  } finally {
    client.release();
  }
  sessionId = (await database.db.support.startSession(staffId, "Ticket 2: checking text search paging")).sessionId;
});
afterAll(() => database?.drop());

describe("text search", () => {
  it("pages a rare text newest first, each match once, including those older than the newest 10,000", async () => {
    for (const filter of [{ text: "parcel NEVER arrived" }, { text: "parcel never arrived", tenantId: tenantA.tenantId }]) {
      const all = await expected(filter);
      expect(all.length, JSON.stringify(filter)).toBe(filter.tenantId ? 5 : 7);
      for (const size of [1, 2, 20]) {
        const { ids, pageSizes } = await search(filter, size);
        expect(ids, `${JSON.stringify(filter)} by ${size}`).toEqual(all);
        // Full pages until the last.
        expect(pageSizes.slice(0, -1).every((length) => length === size)).toBe(true);
      }
    }
  });

  it("pages a common text newest first, also right after a campaign without it, the same as one query over every message", async () => {
    for (const filter of [{ text: "where is my" }, { text: "where is my", tenantId: tenantA.tenantId, direction: "INBOUND" as const }, { text: "order 99" }]) {
      const all = await expected(filter);
      const { ids, hasMore } = await search(filter, 50, 3);
      expect(ids, JSON.stringify(filter)).toEqual(all.slice(0, ids.length));
      expect(ids.length).toBe(Math.min(150, all.length));
      expect(hasMore).toBe(all.length > 150);
    }
  });

  it("finds nothing, in one empty page, for text no message has", async () => {
    expect(await search({ text: "no such words anywhere" }, 20)).toEqual({ ids: [], pageSizes: [0], hasMore: false });
  });
});

describe("a tenant's text search in its message log", () => {
  const ids = (page: { edges: { node: { id: string } }[] }) => page.edges.map((edge) => edge.node.id);

  it("pages forward and back across the newest 10,000, the same as one query, with exact page flags", async () => {
    for (const filter of [{ search: "parcel never" }, { search: "where is my", direction: "INBOUND" as const }] satisfies MessageFilterInput[]) {
      const all = await expected({ text: filter.search, tenantId: tenantA.tenantId, direction: filter.direction });
      const size = filter.search === "parcel never" ? 2 : 100;
      const forward: string[] = [];
      const cursors: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page = await listMessages(database.db, actor(tenantA), filter, { first: size, after });
        forward.push(...ids(page));
        expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
        if (page.pageInfo.endCursor) cursors.push(page.pageInfo.endCursor);
        if (!page.pageInfo.hasNextPage || forward.length >= 400) break;
        after = page.pageInfo.endCursor;
      }
      expect(forward, filter.search).toEqual(all.slice(0, forward.length));
      if (filter.search === "parcel never") expect(forward).toHaveLength(5);

      // Back from the last page's end: the pages before it, in order.
      const back = await listMessages(database.db, actor(tenantA), filter, { last: size, before: cursors.at(-1)! });
      expect(ids(back)).toEqual(forward.slice(-size - 1, -1));
      expect(back.pageInfo.hasNextPage).toBe(true);
    }
  });

  it("never returns another tenant's messages", async () => {
    const page = await listMessages(database.db, actor(tenantB), { search: "parcel never" }, { first: 100 });
    expect(ids(page)).toEqual(await expected({ text: "parcel never", tenantId: tenantB.tenantId }));
    expect(ids(page)).toHaveLength(2);
  });
});

describe("a tenant's inbox search", () => {
  /** Contacts whose number or any message contains the text, by their latest message, newest first: one plain query. */
  async function expectedContacts(tenantId: string, text: string): Promise<string[]> {
    const { rows } = await database.ownerPool.query<{ contact_number: string }>(
      `SELECT latest.contact_number FROM (
         SELECT DISTINCT ON (contact_number) contact_number, created_at, id FROM messages WHERE tenant_id = $1 ORDER BY contact_number, created_at DESC, id DESC
       ) latest
       WHERE latest.contact_number ILIKE '%' || $2 || '%'
          OR EXISTS (SELECT 1 FROM messages x WHERE x.tenant_id = $1 AND x.contact_number = latest.contact_number AND x.body ILIKE '%' || $2 || '%')
       ORDER BY latest.created_at DESC, latest.id DESC`,
      [tenantId, text],
    );
    return rows.map((row) => row.contact_number);
  }

  it("finds the contacts one query finds, for rare text (through the index), common text (walking), a number and short text", async () => {
    for (const text of ["parcel never arrived", "where is my", "Flash sale", "5550107", "14", "no such words anywhere"]) {
      for (const tenant of [tenantA, tenantB]) {
        const found: string[] = [];
        let after: string | null = null;
        for (let page = 0; page < 20; page++) {
          const result = await listConversations(database.db, actor(tenant), text, { first: 7, after });
          found.push(...result.edges.map((edge) => edge.node.contact));
          if (!result.pageInfo.hasNextPage) break;
          after = result.pageInfo.endCursor;
        }
        expect(found, `${text} in ${tenant === tenantA ? "A" : "B"}`).toEqual(await expectedContacts(tenant.tenantId, text));
      }
    }
    // The rare text is in a few of A's contacts, the common one in most, the campaign's only in B's.
    expect(await expectedContacts(tenantA.tenantId, "parcel never arrived")).toHaveLength(3);
    expect(await expectedContacts(tenantA.tenantId, "where is my")).toHaveLength(20);
    expect(await expectedContacts(tenantA.tenantId, "Flash sale")).toEqual([]);
    expect(await expectedContacts(tenantB.tenantId, "Flash sale")).toEqual(["+14155550199"]);
  });

  it("needs a tenant: the contacts function refuses a transaction acting for none", async () => {
    const client = await database.db.pool.connect();
    try {
      await expect(client.query("SELECT tenant_message_text_contacts('parcel never arrived')")).rejects.toMatchObject({ code: "42501" });
    } finally {
      client.release();
    }
  });
});
