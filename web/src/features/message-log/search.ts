import type { MessageDirection, MessageFilter, MessageStatus } from "../../graphql/graphql.ts";

/**
 * The message log's state in the URL (a filtered view can be bookmarked or shared, and Back undoes a
 * change): the filters, the page's cursor and the message open in the drawer. Dates are UTC days.
 */
export type MessageLogSearch = {
  direction?: MessageDirection;
  status?: MessageStatus[];
  contact?: string;
  q?: string;
  from?: string;
  to?: string;
  after?: string;
  before?: string;
  message?: string;
};

export const DIRECTIONS = ["OUTBOUND", "INBOUND"] as const satisfies readonly MessageDirection[];
export const STATUSES = ["QUEUED", "SENDING", "SENT", "DELIVERED", "READ", "FAILED", "RECEIVED", "UNKNOWN"] as const satisfies readonly MessageStatus[];

export const PAGE_SIZE = 50;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const text = (value: unknown, max: number) => (typeof value === "string" && value.trim() !== "" ? value.trim().slice(0, max) : undefined);
const day = (value: unknown) => (typeof value === "string" && DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? value : undefined);

/** Whatever is in the address bar, as a valid search: what cannot be read is dropped, not refused. */
export function validateMessageLogSearch(search: Record<string, unknown>): MessageLogSearch {
  // In the list's own order, once each: the same choice always makes the same URL.
  const given = new Set([search.status ?? []].flat());
  const statuses = STATUSES.filter((status) => given.has(status));
  const result: MessageLogSearch = {
    direction: (DIRECTIONS as readonly unknown[]).includes(search.direction) ? (search.direction as MessageDirection) : undefined,
    status: statuses.length ? statuses : undefined,
    contact: text(search.contact, 40),
    q: text(search.q, 200),
    from: day(search.from),
    to: day(search.to),
    after: text(search.after, 500),
    before: search.after ? undefined : text(search.before, 500),
    message: text(search.message, 100),
  };
  return Object.fromEntries(Object.entries(result).filter(([, value]) => value !== undefined)) as MessageLogSearch;
}

/** The day after a `YYYY-MM-DD`, so "to" includes its whole day. */
const nextDay = (value: string) => new Date(Date.parse(`${value}T00:00:00Z`) + 86_400_000).toISOString();

/** The server's filter for a search (UTC days: from 00:00 on `from` to the end of `to`). */
export function filterOf(search: MessageLogSearch): MessageFilter {
  return {
    ...(search.direction ? { direction: search.direction } : {}),
    ...(search.status?.length ? { statuses: search.status } : {}),
    ...(search.contact ? { contact: search.contact } : {}),
    ...(search.q ? { search: search.q } : {}),
    ...(search.from ? { createdAfter: `${search.from}T00:00:00.000Z` } : {}),
    ...(search.to ? { createdBefore: nextDay(search.to) } : {}),
  };
}

/** The page's variables: the first page, or the page after / before a cursor. */
export function pageVariables(search: MessageLogSearch) {
  const filter = filterOf(search);
  if (search.before) return { filter, last: PAGE_SIZE, before: search.before };
  return { filter, first: PAGE_SIZE, ...(search.after ? { after: search.after } : {}) };
}

export const hasFilters = (search: MessageLogSearch) => Object.keys(filterOf(search)).length > 0;

/** The filters alone (no cursor, no open message): what a change of filters starts again from. */
export function filtersOnly(search: MessageLogSearch): MessageLogSearch {
  const { after: _after, before: _before, message: _message, ...filters } = search;
  return filters;
}

/**
 * The CSV export of what the filters select (GET /api/v1/messages.csv, README "Exporting the message
 * log"): the session cookie authenticates the download, `tenant` picks the tenant as X-Tenant-Id does.
 */
export function exportHref(search: MessageLogSearch, tenantId: string | null): string {
  const filter = filterOf(search);
  const params = new URLSearchParams();
  if (filter.direction) params.set("direction", filter.direction);
  for (const status of filter.statuses ?? []) params.append("status", status);
  if (filter.contact) params.set("contact", filter.contact);
  if (filter.search) params.set("search", filter.search);
  if (filter.createdAfter) params.set("createdAfter", String(filter.createdAfter));
  if (filter.createdBefore) params.set("createdBefore", String(filter.createdBefore));
  if (tenantId) params.set("tenant", tenantId);
  const query = params.toString();
  return `/api/v1/messages.csv${query ? `?${query}` : ""}`;
}
