import { pipeline, Readable } from "node:stream";
import { stringify } from "csv-stringify";
import type { Database } from "../../db/database.ts";
import { badInput } from "../../errors.ts";
import { MessageDirection, MessageStatus } from "../../generated/prisma/enums.ts";
import { assertStorableText } from "../../security/text-input.ts";
import type { TenantPrincipal } from "../auth/principal.ts";
import { normalizePhoneNumber } from "../whatsapp/phone-number.ts";
import { checkMessageFilter, messageFilterConditions, type MessageFilterInput } from "./messages.queries.ts";

/** Rows per query: each batch is one short transaction, so a long download holds no transaction open. */
export const EXPORT_BATCH_SIZE = 1_000;

/** The columns of the file, in order, and the `messages` column each comes from. */
const COLUMNS = [
  ["id", "id"],
  ["created_at", "created_at"],
  ["direction", "direction"],
  ["status", "status"],
  ["contact", "contact_number"],
  ["from", "from_number"],
  ["to", "to_number"],
  ["body", "body"],
  ["error", "error"],
  ["provider_message_id", "provider_message_id"],
  ["status_changed_at", "status_changed_at"],
] as const;

type ExportRow = { [C in (typeof COLUMNS)[number][1]]: C extends "created_at" | "status_changed_at" ? Date : string | null };

/** The query-string parameters the export takes, as the message log's filter names them. */
const PARAMETERS = new Set(["direction", "status", "contact", "search", "createdAfter", "createdBefore", "tenant"]);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

const one = (query: Record<string, unknown>, name: string): string | undefined => {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw badInput(name, `Give "${name}" once.`);
  return value;
};

function dateParameter(query: Record<string, unknown>, name: string): Date | null {
  const value = one(query, name);
  if (value === undefined || value === "") return null;
  const date = new Date(value);
  if (!ISO_DATE.test(value) || Number.isNaN(date.getTime()))
    throw badInput(name, `"${name}" must be an ISO 8601 date or time, e.g. 2026-11-30 or 2026-11-30T12:00:00Z.`);
  return date;
}

/**
 * The export's filter from its query string: the message log's filter (`status` repeatable), and
 * `tenant` (as X-Tenant-Id). Anything else, or a value out of range, is refused naming the parameter.
 */
export function exportFilterOf(query: Record<string, unknown>): { filter: MessageFilterInput; tenant: string | undefined } {
  for (const name of Object.keys(query)) {
    if (!PARAMETERS.has(name)) throw badInput(name, `"${name}" is not a filter of this export; use ${[...PARAMETERS].join(", ")}.`);
  }
  assertStorableText(query);
  const direction = one(query, "direction");
  if (direction && !(direction in MessageDirection)) throw badInput("direction", `"direction" must be one of: ${Object.keys(MessageDirection).join(", ")}.`);
  const statuses = [query.status ?? []].flat().filter((status) => status !== "");
  for (const status of statuses) {
    if (typeof status !== "string" || !(status in MessageStatus))
      throw badInput("status", `"status" must be one of: ${Object.keys(MessageStatus).join(", ")}.`);
  }
  if (statuses.length > 20) throw badInput("status", "Give at most 20 statuses.");
  const contact = one(query, "contact") || null;
  if (contact && contact.length > 40) throw badInput("contact", "A contact's number has at most 40 characters.");
  const search = one(query, "search") || null;
  if (search && search.length > 200) throw badInput("search", "Search for 1 to 200 characters.");
  return {
    filter: {
      direction: (direction || null) as MessageDirection | null,
      statuses: statuses as MessageStatus[],
      contact: contact && normalizePhoneNumber(contact, "contact"),
      search,
      createdAfter: dateParameter(query, "createdAfter"),
      createdBefore: dateParameter(query, "createdBefore"),
    },
    tenant: one(query, "tenant") || undefined,
  };
}

/**
 * The tenant's messages matching the filter, newest first, as CSV. The filter is checked and the
 * first batch read before this returns, so a bad filter or a database that does not answer is an
 * error the caller can still send as such; the rest is read batch by batch (keyset on created_at, id,
 * each batch its own transaction) only as fast as the stream is consumed: memory holds one batch,
 * whatever the number of rows. Cells that start with = + - @ tab or CR (or their full-width forms) get
 * a leading apostrophe, so a spreadsheet shows them as text and never runs them as formulas.
 */
export async function exportMessages(db: Database, actor: TenantPrincipal, filter: MessageFilterInput): Promise<{ slug: string; csv: Readable }> {
  const where = messageFilterConditions(actor.tenantId, checkMessageFilter(filter));
  const columns = COLUMNS.map(([, column]) => column).join(", ");

  const readBatch = (after: ExportRow | undefined, withSlug = false) =>
    db.withTenantSql(actor.tenantId, async (client) => {
      const values: unknown[] = [];
      const param = (value: unknown) => `$${values.push(value)}`;
      const conditions = where(param);
      if (after) conditions.push(`(created_at, id) < (${param(after.created_at)}::timestamptz, ${param(after.id)}::uuid)`);
      const { rows } = await client.query<ExportRow>(
        `SELECT ${columns} FROM messages WHERE ${conditions.join(" AND ")} ORDER BY created_at DESC, id DESC LIMIT ${EXPORT_BATCH_SIZE}`,
        values,
      );
      const slug = withSlug
        ? ((await client.query<{ slug: string }>("SELECT slug FROM tenants WHERE id = $1", [actor.tenantId])).rows[0]?.slug ?? actor.tenantId)
        : "";
      return { rows, slug };
    });

  const first = await readBatch(undefined, true);
  async function* rows() {
    let batch = first.rows;
    while (batch.length > 0) {
      yield* batch;
      if (batch.length < EXPORT_BATCH_SIZE) return;
      batch = (await readBatch(batch.at(-1))).rows;
    }
  }
  const stringifier = stringify({
    header: true,
    columns: COLUMNS.map(([header, key]) => ({ header, key })),
    cast: { date: (date) => date.toISOString() },
    escape_formulas: true,
  });
  // Readable.from pulls the next row only when the stringifier wants one, and the stringifier pushes
  // only while the response takes its output: backpressure all the way to the client. A failure
  // midway (the database gone) destroys the stringifier with it, and so the response: the file ends
  // short of its rows, as a failed download, never as a complete-looking one.
  pipeline(Readable.from(rows()), stringifier, () => {});
  return { slug: first.slug, csv: stringifier };
}
