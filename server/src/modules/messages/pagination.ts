import { isUuid } from "../../db/database.ts";
import { badInput } from "../../errors.ts";
import { PAGE_SIZE } from "./message.types.ts";

/** Keyset position in a newest-first list: the (createdAt, id) of the last item seen. */
export type Cursor = { createdAt: Date; id: string };

/** Dates a message can have: inside both JavaScript's and PostgreSQL's ranges, with a 4-digit year. */
const EARLIEST = Date.parse("0001-01-01T00:00:00.000Z");
const LATEST = Date.parse("9999-12-31T23:59:59.999Z");

export const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify([cursor.createdAt.toISOString(), cursor.id])).toString("base64url");

export function decodeCursor(value: string | null | undefined, field = "after"): Cursor | null {
  if (!value) return null;
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as [string, string];
    const date = new Date(createdAt);
    // Checked here, not by PostgreSQL: a forged cursor is the client's mistake, not an INTERNAL.
    if (typeof id !== "string" || !isUuid(id) || !(date.getTime() >= EARLIEST && date.getTime() <= LATEST)) throw new Error("bad cursor");
    return { createdAt: date, id };
  } catch {
    throw badInput(field, "This cursor is not one this list returned; pass pageInfo.endCursor as is.");
  }
}

export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return PAGE_SIZE.default;
  if (!Number.isInteger(first) || first < 1 || first > PAGE_SIZE.max) throw badInput("first", `Ask for 1 to ${PAGE_SIZE.max} items per page.`);
  return first;
}
