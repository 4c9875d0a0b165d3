import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, createApiKey, signUp } from "../support/api.ts";
import { connectedTenant, eventually, insertMessages, startMessagingWorld, type MessagingWorld } from "../support/messaging.ts";

/** GET /api/v1/messages.csv: the message log as a streamed CSV file. */
let world: MessagingWorld;
beforeAll(async () => {
  world = await startMessagingWorld({ DISPATCH_ENABLED: "false" });
});
afterAll(() => world?.close());

const HEADER = "id,created_at,direction,status,contact,from,to,body,error,provider_message_id,status_changed_at";

type Export = { status: number; headers: Headers; text: string };
async function download(query: string, { token, cookie, tenantId }: { token?: string; cookie?: string; tenantId?: string } = {}): Promise<Export> {
  const response = await fetch(`${world.api.url}/api/v1/messages.csv${query}`, {
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(cookie ? { cookie: `switchboard_session=${cookie}` } : {}),
      ...(tenantId ? { "x-tenant-id": tenantId } : {}),
    },
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** The file's data lines (none of the bodies below hold a line break unless a test says so). */
const lines = (file: Export) => file.text.trimEnd().split("\r\n").join("\n").split("\n");
const bodies = (file: Export) =>
  lines(file)
    .slice(1)
    .map((line) => line.split(",")[7]);

describe("the CSV export", () => {
  it("has the log's columns, newest first, with the filters of the message log applied", async () => {
    const tenant = await connectedTenant(world, { label: "export-filters" });
    const base = new Date("2026-03-10T12:00:00Z");
    await insertMessages(world.api, tenant.tenantId, 2, { status: "SENT", contact: "+14155550111", body: "parcel on its way", createdAt: base });
    await insertMessages(world.api, tenant.tenantId, 1, {
      status: "FAILED",
      contact: "+14155550112",
      body: "payment reminder",
      createdAt: new Date(base.getTime() + 3_600_000),
    });
    await insertMessages(world.api, tenant.tenantId, 2, {
      status: "RECEIVED",
      direction: "INBOUND",
      contact: "+14155550111",
      body: "thanks",
      createdAt: new Date(base.getTime() + 7_200_000),
    });

    const all = await download("", { token: tenant.key });
    expect(all.status).toBe(200);
    expect(all.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(all.headers.get("content-disposition")).toMatch(/^attachment; filename="messages-[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(lines(all)[0]).toBe(HEADER);
    expect(bodies(all)).toEqual(["thanks 2", "thanks 1", "payment reminder 1", "parcel on its way 2", "parcel on its way 1"]);
    const [id, createdAt, direction, status, contact, from, to, , error, providerId, changedAt] = lines(all)[3]!.split(",");
    const stored = (
      await world.api.database.ownerPool.query("SELECT id, created_at FROM messages WHERE tenant_id = $1 AND status = 'FAILED'", [tenant.tenantId])
    ).rows[0];
    expect({ id, createdAt, direction, status, contact, from, to, error, providerId }).toEqual({
      id: stored.id,
      createdAt: stored.created_at.toISOString(),
      direction: "OUTBOUND",
      status: "FAILED",
      // Numbers start with +: a spreadsheet would read them as a formula, so they get the apostrophe too.
      contact: "'+14155550112",
      from: "'+8801712345678",
      to: "'+14155550112",
      error: "",
      providerId: "",
    });
    expect(Number.isNaN(Date.parse(changedAt!))).toBe(false);

    const only = async (query: string) => bodies(await download(query, { token: tenant.key }));
    expect(await only("?direction=INBOUND")).toEqual(["thanks 2", "thanks 1"]);
    expect(await only("?status=FAILED&status=RECEIVED")).toEqual(["thanks 2", "thanks 1", "payment reminder 1"]);
    expect(await only("?contact=%2B14155550112")).toEqual(["payment reminder 1"]);
    expect(await only("?contact=14155550111&direction=OUTBOUND")).toEqual(["parcel on its way 2", "parcel on its way 1"]);
    expect(await only("?search=PARCEL")).toEqual(["parcel on its way 2", "parcel on its way 1"]);
    expect(await only(`?createdAfter=${encodeURIComponent(new Date(base.getTime() + 1_000).toISOString())}`)).toEqual([
      "thanks 2",
      "thanks 1",
      "payment reminder 1",
    ]);
    expect(await only(`?createdBefore=2026-03-10T13:00:00Z`)).toEqual(["parcel on its way 2", "parcel on its way 1"]);
    expect(await only("?search=nothing-like-this")).toEqual([]);
  });

  it("quotes commas, quotes and line breaks, and defuses cells a spreadsheet would run as formulas", async () => {
    const tenant = await connectedTenant(world, { label: "export-escaping" });
    const texts = ['a, b and "c"', "two\nlines", '=HYPERLINK("http://evil.test","x")', "+1+1", "-2+3", "@SUM(A1)", "\tindented", "plain"];
    for (const [index, text] of texts.entries()) {
      await world.api.database.ownerPool.query(
        `INSERT INTO messages (tenant_id, id, direction, from_number, to_number, contact_number, body, preview, status, error, created_at, status_changed_at)
         VALUES ($1, gen_random_uuid(), 'OUTBOUND', '+8801712345678', '+14155550100', '+14155550100', $2::text, $2::text, 'FAILED', $3, $4, now())`,
        [tenant.tenantId, text, index === 0 ? "=cmd|' /C calc'!A0" : null, new Date(Date.UTC(2026, 0, 1, 0, 0, texts.length - index))],
      );
    }
    const file = await download("", { token: tenant.key });
    const cells = (column: number) =>
      file.text
        .split(/\r?\n(?=[0-9a-f]{8}-)/)
        .slice(1)
        .map((record) => splitRecord(record)[column]);
    expect(cells(7)).toEqual(['a, b and "c"', "two\nlines", '\'=HYPERLINK("http://evil.test","x")', "'+1+1", "'-2+3", "'@SUM(A1)", "'\tindented", "plain"]);
    expect(cells(8)[0]).toBe("'=cmd|' /C calc'!A0");
    // As written in the file: quoted where needed, quotes doubled.
    expect(file.text).toContain(',"a, b and ""c""",');
    expect(file.text).toContain(',"two\nlines",');
  });

  it("answers a person by their session cookie, for the tenant they pick, and an API key for its own tenant only", async () => {
    const a = await connectedTenant(world, { label: "export-tenant-a" });
    const b = await connectedTenant(world, { label: "export-tenant-b", number: "+8801712345679" });
    await insertMessages(world.api, a.tenantId, 3, { body: "tenant A secret" });
    await insertMessages(world.api, b.tenantId, 2, { body: "tenant B note" });
    // B's owner is also a member of A.
    await addMember(world.api, a, b, "MEMBER");

    expect(bodies(await download("", { cookie: a.token }))).toEqual(["tenant A secret 3", "tenant A secret 2", "tenant A secret 1"]);
    const own = await download("", { cookie: b.token });
    expect(bodies(own)).toEqual(["tenant B note 2", "tenant B note 1"]);
    expect(own.text).not.toContain("tenant A");
    expect(bodies(await download("", { token: b.key }))).toEqual(["tenant B note 2", "tenant B note 1"]);
    expect(bodies(await download("", { cookie: b.token, tenantId: a.tenantId }))).toHaveLength(3);
    expect(bodies(await download(`?tenant=${a.tenantId}`, { cookie: b.token }))).toHaveLength(3);

    // B's key names A: refused, and not a row of A's.
    const keyForA = await download(`?tenant=${a.tenantId}`, { token: b.key });
    expect(keyForA.status).toBe(400);
    expect(JSON.parse(keyForA.text)).toMatchObject({ error: { code: "BAD_USER_INPUT", field: "tenant" } });
    const mismatch = await download(`?tenant=${a.tenantId}`, { cookie: b.token, tenantId: b.tenantId });
    expect(JSON.parse(mismatch.text)).toMatchObject({ error: { code: "BAD_USER_INPUT", field: "tenant" } });
    // A tenant B's owner is not in.
    const stranger = await signUp(world.api, "export-stranger");
    const notMember = await download(`?tenant=${a.tenantId}`, { cookie: stranger.token });
    expect(notMember.status).toBe(403);
    expect(notMember.text).not.toContain("tenant A");
  });

  it("is refused without credentials, and to a key without MESSAGES_READ", async () => {
    const tenant = await connectedTenant(world, { label: "export-refused" });
    await insertMessages(world.api, tenant.tenantId, 1, { body: "not for you" });
    const anonymous = await download("");
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.text)).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
    const usageOnly = await createApiKey(world.api, tenant, ["USAGE_READ"]);
    const refused = await download("", { token: usageOnly.secret });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text)).toMatchObject({ error: { code: "FORBIDDEN" } });
    expect(refused.text).not.toContain("not for you");
    const readOnly = await createApiKey(world.api, tenant, ["MESSAGES_READ"]);
    expect(bodies(await download("", { token: readOnly.secret }))).toEqual(["not for you 1"]);
  });

  it("refuses a bad filter with a typed 400 naming it, before writing a row", async () => {
    const tenant = await connectedTenant(world, { label: "export-bad" });
    await insertMessages(world.api, tenant.tenantId, 1, { body: "row" });
    const cases: [string, string][] = [
      ["?direction=SIDEWAYS", "direction"],
      ["?status=SENT&status=LOST", "status"],
      ["?contact=not-a-number", "contact"],
      ["?createdAfter=yesterday", "createdAfter"],
      ["?createdBefore=2026-13-45", "createdBefore"],
      [`?search=${"x".repeat(201)}`, "search"],
      ["?direction=INBOUND&direction=OUTBOUND", "direction"],
      ["?limit=5", "limit"],
      ["?search=%00", "search"],
    ];
    for (const [query, field] of cases) {
      const answer = await download(query, { token: tenant.key });
      expect({ query, status: answer.status, type: answer.headers.get("content-type") }).toEqual({
        query,
        status: 400,
        type: "application/json; charset=utf-8",
      });
      expect(JSON.parse(answer.text)).toMatchObject({ error: { code: "BAD_USER_INPUT", field } });
    }
  });

  it("streams: rows reach the client while later batches are still unread, and all 50,000 arrive", async () => {
    const tenant = await connectedTenant(world, { label: "export-stream" });
    await insertMessages(world.api, tenant.tenantId, 50_000, { body: "bulk" });

    // Hold the export's third batch query until the test has seen rows of the first two: an export
    // that read everything before writing would never send them, and this would time out.
    const db = world.api.database.db;
    const original = db.withTenantSql.bind(db);
    let batches = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    db.withTenantSql = (async (tenantId: string, work: Parameters<typeof original>[1]) => {
      if (tenantId === tenant.tenantId && ++batches === 3) await gate;
      return original(tenantId, work);
    }) as typeof db.withTenantSql;
    try {
      const response = await fetch(`${world.api.url}/api/v1/messages.csv`, { headers: { authorization: `Bearer ${tenant.key}` } });
      expect(response.status).toBe(200);
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = "";
      const count = () => text.split("\n").length - 2;
      await eventually(
        async () => {
          text += (await reader.read()).value ?? "";
          return count();
        },
        (rows) => rows >= 2_000,
      );
      expect(batches).toBe(3);
      release();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += chunk.value;
      expect(count()).toBe(50_000);
      expect(
        new Set(
          text
            .trimEnd()
            .split("\n")
            .slice(1)
            .map((line) => line.slice(0, 36)),
        ).size,
      ).toBe(50_000);
    } finally {
      release();
      db.withTenantSql = original;
    }
  });
});

/** One CSV record's cells (RFC 4180 quoting), for the escaping test. */
function splitRecord(record: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let index = 0; index < record.length; index++) {
    const char = record[index]!;
    if (quoted) {
      if (char === '"' && record[index + 1] === '"') {
        cell += '"';
        index++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      cells.push(cell);
      cell = "";
    } else cell += char;
  }
  cells.push(cell);
  return cells;
}
