import type pg from "pg";
import { isUuid } from "../../db/database.ts";
import { badInput } from "../../errors.ts";

/** Items per page: the default when neither `first` nor `last` is given, and the most either may ask for. */
export const PAGE_SIZE = { default: 20, max: 100 } as const;

/** The Relay connection arguments: `first` (with `after`) pages forward, `last` (with `before`) backward. */
export type PageArgs = { first?: number | null; after?: string | null; last?: number | null; before?: string | null };

/** A place in a list: the sort key of the item a cursor was made from. */
export type Position = { at: Date; id: string };

/**
 * How a list is sorted: a timestamp column, then the id as tie-breaker (so equal timestamps neither
 * skip nor repeat an item), newest or oldest first. `order` is written into every cursor, so a cursor
 * made for one order is refused by another instead of landing somewhere arbitrary. `legacy`: cursors
 * from before they named their order (`[at, id]`) are read as this order.
 */
export type Keyset = { order: string; columns: readonly [at: string, id: string]; descending: boolean; legacy?: boolean };

/** What one request asks of a list: how many items, which way, bounded by which cursor. */
export type PagePlan = { keyset: Keyset; limit: number; backward: boolean; after: Position | null; before: Position | null };

export type Edge<Node> = { cursor: string; node: Node };
export type PageInfoView = { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
export type ConnectionView<Node> = { edges: Edge<Node>[]; pageInfo: PageInfoView };

/** Dates an item can have: inside both JavaScript's and PostgreSQL's ranges, with a 4-digit year. */
const EARLIEST = Date.parse("0001-01-01T00:00:00.000Z");
const LATEST = Date.parse("9999-12-31T23:59:59.999Z");

export const encodeCursor = (keyset: Keyset, position: Position) =>
  Buffer.from(JSON.stringify([position.at.toISOString(), position.id, keyset.order])).toString("base64url");

export function decodeCursor(keyset: Keyset, value: string | null | undefined, field: "after" | "before"): Position | null {
  if (!value) return null;
  let decoded: { at: Date; id: string; order: string | undefined };
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (!Array.isArray(parsed) || parsed.length < 2 || parsed.length > 3) throw new Error("bad cursor");
    const [at, id, order] = parsed as unknown[];
    const date = new Date(typeof at === "string" ? at : Number.NaN);
    // Checked here, not by PostgreSQL: a forged cursor is the client's mistake, not an INTERNAL.
    if (typeof id !== "string" || !isUuid(id) || !(date.getTime() >= EARLIEST && date.getTime() <= LATEST)) throw new Error("bad cursor");
    if (order !== undefined && typeof order !== "string") throw new Error("bad cursor");
    decoded = { at: date, id, order };
  } catch {
    throw badInput(field, "This cursor is not one this list returned; pass an edge's cursor, pageInfo.endCursor or pageInfo.startCursor as is.");
  }
  const order = decoded.order ?? (keyset.legacy ? keyset.order : undefined);
  if (order !== keyset.order) {
    throw badInput(
      field,
      `This cursor was made for another order (${decoded.order ?? "an older one"}); page with the orderBy it came from, ${keyset.order} is not it.`,
    );
  }
  return { at: decoded.at, id: decoded.id };
}

function pageSize(value: number, field: "first" | "last"): number {
  if (!Number.isInteger(value) || value < 1 || value > PAGE_SIZE.max) throw badInput(field, `Ask for 1 to ${PAGE_SIZE.max} items per page.`);
  return value;
}

/**
 * Reads the connection arguments as the Relay specification does: `first` takes items from the
 * start of what lies between the cursors, `last` from its end. `first` with `last`, or `after` with
 * `before`, is refused naming the second: a page has one direction and one starting point.
 */
export function planPage(keyset: Keyset, args: PageArgs): PagePlan {
  const given = (value: unknown) => value !== null && value !== undefined;
  if (given(args.first) && given(args.last)) {
    throw badInput("last", "Pass first (with after) to page forward, or last (with before) to page backward, not both.");
  }
  if (args.after && args.before) throw badInput("before", "Pass after (forward from a cursor) or before (backward from one), not both.");
  const backward = given(args.last);
  return {
    keyset,
    limit: backward ? pageSize(args.last!, "last") : given(args.first) ? pageSize(args.first!, "first") : PAGE_SIZE.default,
    backward,
    after: decodeCursor(keyset, args.after, "after"),
    before: decodeCursor(keyset, args.before, "before"),
  };
}

/** Adds a value to the query's parameters and returns its placeholder (`$3`). */
export type Param = (value: unknown) => string;

/**
 * Where a query reads from, for a list that finds its rows through a function of its own (a search):
 * `limit` rows in `order`, starting past `from` (or at it, when `inclusive`), or from the start. The
 * page's `conditions` say the same and more (a bound on the far side), and still apply.
 */
export type Seek = { order: "ASC" | "DESC"; from: Position | null; inclusive: boolean; limit: number };

/**
 * A list's SQL, given the page's extra conditions (to AND with its own) and what follows its WHERE
 * (`ORDER BY ... LIMIT ...`). Called once for the page and, when a cursor bounds where it starts,
 * once more to ask whether anything lies beyond that cursor.
 */
export type PageQuery = (param: Param, page: { conditions: string[]; tail: string; seek: Seek }) => string;

const placeholders = () => {
  const values: unknown[] = [];
  const param: Param = (value) => {
    values.push(value);
    return `$${values.length}`;
  };
  return { values, param };
};

/** The list's SQL and its parameters without paging: all its rows (for look-ups by id that reuse a list's query). */
export function unpagedSql(query: PageQuery): { text: string; values: unknown[] } {
  const { values, param } = placeholders();
  return { text: query(param, { conditions: [], tail: "", seek: { order: "DESC", from: null, inclusive: false, limit: PAGE_SIZE.max } }), values };
}

/** `(at, id) <op> (cursor)` in the list's key columns. */
function compare(keyset: Keyset, op: string, position: Position, param: Param) {
  const [at, id] = keyset.columns;
  return `(${at}, ${id}) ${op} (${param(position.at)}::timestamptz, ${param(position.id)}::uuid)`;
}

/**
 * One page of a keyset-paginated list: cost is the same on page 1 and page 1,000, and rows written
 * meanwhile (newer or older) shift nothing, backward as forward. `hasPreviousPage` when paging forward
 * from `after` (and `hasNextPage` backward from `before`) is exact: one more query, `EXISTS ... LIMIT 1`
 * on the same index, answers whether anything lies on the other side of the cursor.
 */
export async function readPage<Row, Node>(
  client: pg.PoolClient,
  plan: PagePlan,
  query: PageQuery,
  toNodes: (rows: Row[]) => Node[] | Promise<Node[]>,
  positionOf: (node: Node) => Position,
): Promise<ConnectionView<Node>> {
  const { keyset } = plan;
  // In list order, "after a cursor" is older for a newest-first list and newer for an oldest-first one.
  const [afterOp, beforeOp] = keyset.descending ? ["<", ">"] : [">", "<"];
  const reading = keyset.descending !== plan.backward ? "DESC" : "ASC";

  const page = placeholders();
  const conditions = [
    ...(plan.after ? [compare(keyset, afterOp, plan.after, page.param)] : []),
    ...(plan.before ? [compare(keyset, beforeOp, plan.before, page.param)] : []),
  ];
  const tail = `ORDER BY ${keyset.columns[0]} ${reading}, ${keyset.columns[1]} ${reading} LIMIT ${page.param(plan.limit + 1)}`;
  const seek: Seek = { order: reading, from: (plan.backward ? plan.before : plan.after) ?? null, inclusive: false, limit: plan.limit + 1 };
  const { rows } = await client.query<Row & pg.QueryResultRow>(query(page.param, { conditions, tail, seek }), page.values);

  // The cursor the page starts from, on the side the page reads away from: is there anything at or past it?
  const start = plan.backward ? plan.before : plan.after;
  let beyondStart = false;
  if (start) {
    const probe = placeholders();
    const op = plan.backward ? afterOp : beforeOp;
    const sql = query(probe.param, {
      conditions: [compare(keyset, `${op}=`, start, probe.param)],
      tail: "LIMIT 1",
      seek: { order: op === ">" ? "ASC" : "DESC", from: start, inclusive: true, limit: 1 },
    });
    beyondStart = (await client.query<{ found: boolean }>(`SELECT EXISTS (${sql}) AS found`, probe.values)).rows[0]!.found;
  }

  const more = rows.length > plan.limit;
  const read = rows.slice(0, plan.limit);
  if (plan.backward) read.reverse();
  const nodes = await toNodes(read);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(keyset, positionOf(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: plan.backward ? beyondStart : more,
      hasPreviousPage: plan.backward ? more : beyondStart,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
