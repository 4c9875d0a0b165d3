/**
 * Fills a database with realistic volumes, to measure the inbox and the message log at scale:
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/switchboard_bulk npm run seed:bulk -w server -- --messages 1000000 --tenants 20 [--conversations 10000]
 *
 * Applies the migrations first, then creates `--tenants` tenants, each with an owner who can log in (the
 * emails and the password are printed), and `--messages` messages spread over them with a skewed
 * (Zipf-like) distribution: tenant 1 gets the most, a long tail gets a few. `--conversations` contacts
 * go to the largest tenant (default: one per 100 of its messages), the others in proportion; within a
 * tenant a few contacts are busy and most are quiet. Messages are written by generate_series in SQL,
 * one statement per tenant and chunk, and the tables analyzed at the end.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { applyMigrations } from "../src/db/migrations.ts";
import { hashPassword } from "../src/security/passwords.ts";
import { BULK_SEED_PASSWORD as PASSWORD, INBOUND, OUTBOUND } from "./bulk-seed-data.ts";

const CHUNK = 200_000;

function option(name: string, fallback?: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const raw = index >= 0 ? process.argv[index + 1] : undefined;
  if (raw === undefined) {
    if (fallback === undefined) {
      console.error("usage: npm run seed:bulk -w server -- --messages N --tenants M [--conversations K]");
      process.exit(2);
    }
    return fallback;
  }
  const value = Number(raw.replace(/_/g, ""));
  if (!Number.isInteger(value) || value < 1) {
    console.error(`--${name} takes a positive whole number, not ${raw}`);
    process.exit(2);
  }
  return value;
}

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL to the database to fill (an owner connection; it is migrated first).");
  process.exit(2);
}
const totalMessages = option("messages");
const tenantCount = option("tenants");
const weights = Array.from({ length: tenantCount }, (_, index) => 1 / (index + 1) ** 1.2);
const weightSum = weights.reduce((sum, weight) => sum + weight, 0);
const messagesPer = weights.map((weight) => Math.floor((totalMessages * weight) / weightSum));
messagesPer[0]! += totalMessages - messagesPer.reduce((sum, count) => sum + count, 0);
const largestConversations = option("conversations", Math.max(1, Math.round(messagesPer[0]! / 100)));
const conversationsPer = messagesPer.map((count) => Math.max(1, Math.min(count, Math.round((largestConversations * count) / messagesPer[0]!))));

const COMPANIES = ["Acme Parcels", "Blue Harbor Dental", "Cedar Street Bakery", "Dhaka Mobile Repair", "Evergreen Tutors", "Fjord Travel", "Golden Spoon"];

const sqlArray = (items: string[]) => `ARRAY[${items.map((item) => `'${item.replace(/'/g, "''")}'`).join(", ")}]::text[]`;

/**
 * One chunk of a tenant's messages. Contact `i` is a valid number of the US, UK or Bangladesh; the
 * first `contacts` rows give every contact a message, the rest favour low contact indexes (busy
 * contacts). 40% inbound; outbound mostly delivered or read, some failed. Over the last 90 days.
 */
const INSERT_MESSAGES = `
  INSERT INTO messages (tenant_id, id, direction, from_number, to_number, contact_number, body, preview, status, error, attempts, created_at, status_changed_at)
  SELECT $1::uuid, gen_random_uuid(), m.direction::"MessageDirection",
         CASE WHEN m.direction = 'INBOUND' THEN m.contact ELSE $2 END,
         CASE WHEN m.direction = 'INBOUND' THEN $2 ELSE m.contact END,
         m.contact, m.body, left(m.body, 100), m.status::"MessageStatus",
         CASE WHEN m.status = 'FAILED' THEN 'the number is not on WhatsApp' END,
         CASE WHEN m.direction = 'INBOUND' THEN 0 ELSE 1 END,
         m.at, m.at + interval '2 seconds'
    FROM (
      SELECT CASE c.i % 3
               WHEN 0 THEN '+1415' || lpad(c.i::text, 7, '0')
               WHEN 1 THEN '+447700' || lpad(c.i::text, 6, '0')
               ELSE '+88017' || lpad(c.i::text, 8, '0') END AS contact,
             CASE WHEN r.dir < 0.4 THEN 'INBOUND' ELSE 'OUTBOUND' END AS direction,
             CASE WHEN r.dir < 0.4 THEN (${sqlArray(INBOUND)})[1 + floor(r.text * ${INBOUND.length})::int] || ' #' || (40000 + (g * 7) % 9000)
                  ELSE (${sqlArray(OUTBOUND)})[1 + floor(r.text * ${OUTBOUND.length})::int] || ' #' || (40000 + (g * 7) % 9000) END AS body,
             CASE WHEN r.dir < 0.4 THEN 'RECEIVED' WHEN r.status < 0.55 THEN 'READ' WHEN r.status < 0.85 THEN 'DELIVERED'
                  WHEN r.status < 0.96 THEN 'SENT' ELSE 'FAILED' END AS status,
             now() - (r.age * interval '90 days') AS at
        FROM generate_series($3::int, $4::int) AS g
        CROSS JOIN LATERAL (SELECT random() AS dir, random() AS text, random() AS status, random() AS age, random() AS pick, g AS seed) r
        CROSS JOIN LATERAL (SELECT CASE WHEN g <= $5 THEN g - 1 ELSE floor($5 * power(r.pick, 3))::int END AS i) c
    ) m`;

async function main() {
  await applyMigrations(url!);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const passwordHash = await hashPassword(PASSWORD);
  const started = Date.now();
  const accounts: { email: string; company: string; messages: number; conversations: number }[] = [];
  try {
    const run = Date.now().toString(36);
    for (let index = 0; index < tenantCount; index++) {
      const tenantId = randomUUID();
      const userId = randomUUID();
      const company = `${COMPANIES[index % COMPANIES.length]}${index >= COMPANIES.length ? ` ${Math.floor(index / COMPANIES.length) + 1}` : ""}`;
      const email = `owner${index + 1}-${run}@bulk.example`;
      const number = `+8801711${String(100_000 + index).padStart(6, "0")}`;
      await client.query("BEGIN");
      await client.query("SELECT set_config('app.tenant_id', $1, true), set_config('app.user_id', $2, true)", [tenantId, userId]);
      await client.query("INSERT INTO tenants (id, company_name, slug) VALUES ($1, $2, $3)", [tenantId, company, `bulk-${run}-${index + 1}`]);
      await client.query("INSERT INTO users (id, email, password_hash) VALUES ($1, $2, $3)", [userId, email, passwordHash]);
      await client.query("INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, 'OWNER')", [tenantId, userId]);
      await client.query("COMMIT");
      for (let from = 1; from <= messagesPer[index]!; from += CHUNK) {
        const to = Math.min(messagesPer[index]!, from + CHUNK - 1);
        await client.query("BEGIN");
        await client.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
        await client.query(INSERT_MESSAGES, [tenantId, number, from, to, conversationsPer[index]]);
        await client.query("COMMIT");
        process.stdout.write(`\r${company}: ${to} of ${messagesPer[index]} messages`);
      }
      process.stdout.write("\n");
      accounts.push({ email, company, messages: messagesPer[index]!, conversations: conversationsPer[index]! });
    }
    await client.query("ANALYZE messages");
  } finally {
    await client.end();
  }
  console.log(`\n${totalMessages} messages in ${tenantCount} tenants in ${((Date.now() - started) / 1000).toFixed(1)} s. Log in with password "${PASSWORD}":`);
  for (const account of accounts) console.log(`  ${account.email}  ${account.company}: ${account.messages} messages, ~${account.conversations} contacts`);
}

await main();
