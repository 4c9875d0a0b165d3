import { badInput } from "../errors.ts";

/**
 * Text PostgreSQL cannot store: NUL (refused in text and jsonb alike) and a UTF-16 surrogate
 * without its partner (it has no UTF-8 encoding; jsonb refuses the `\ud800` escape, and text
 * would silently become U+FFFD). Matched on UTF-16 code units, hence no `u` flag.
 */
// eslint-disable-next-line no-control-regex -- NUL is one of the characters this looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, "g");

export const UNSTORABLE_TEXT_MESSAGE = "This text holds a character we cannot store (a NUL character, or half of a UTF-16 surrogate pair); remove it.";

export const isStorableText = (text: string) => !UNSTORABLE.test(text);

/** For text we must keep whatever it holds (provider callbacks): each such character becomes U+FFFD. */
export const toStorableText = (text: string) => text.replace(UNSTORABLE_ALL, "\uFFFD");

/** At most `max` UTF-16 units, never cutting a surrogate pair in half. */
export function truncateText(text: string, max: number): string {
  const cut = text.slice(0, max);
  return /[\ud800-\udbff]$/.test(cut) && text.length > max ? cut.slice(0, -1) : cut;
}

const isPlainContainer = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

/** The dotted path (`input.text`, `list.0`) of the first unstorable string in `value`, keys included. */
export function findUnstorableText(value: unknown, path: string): string | undefined {
  if (typeof value === "string") return isStorableText(value) ? undefined : path;
  if (!isPlainContainer(value) || value instanceof Date) return undefined;
  for (const key in value) {
    const at = path ? `${path}.${key}` : key;
    if (!isStorableText(key)) return at;
    const found = findUnstorableText(value[key], at);
    if (found) return found;
  }
  return undefined;
}

/** Refuses unstorable text anywhere in `value` as BAD_USER_INPUT naming its field: our own APIs' rule. */
export function assertStorableText(value: unknown, path = ""): void {
  const field = findUnstorableText(value, path);
  if (field !== undefined) throw badInput(field, UNSTORABLE_TEXT_MESSAGE);
}

/** A JSON value with every unstorable string and key replaced (see toStorableText). */
export function toStorableJson(value: unknown): unknown {
  if (typeof value === "string") return toStorableText(value);
  if (Array.isArray(value)) return value.map(toStorableJson);
  if (!isPlainContainer(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [toStorableText(key), toStorableJson(item)]));
}
