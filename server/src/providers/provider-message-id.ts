import { createHash } from "node:crypto";
import { toStorableText } from "../security/text-input.ts";

/** The messages.provider_message_id column's length. */
export const PROVIDER_MESSAGE_ID_MAX_LENGTH = 128;

/**
 * A provider's message id as we store and look it up. Rapiwa promises no length: an id longer
 * than the column is kept as `sha256:<hex of the id>` (71 characters) rather than refused or cut,
 * because a hash keeps distinct ids distinct (a cut would merge ids sharing their first 128
 * characters) and the same id always maps to the same value, so resent callbacks still dedupe
 * and receipts still find their message. Text PostgreSQL cannot store becomes U+FFFD first.
 */
export function storableProviderMessageId(id: string): string {
  const storable = toStorableText(id);
  if (storable.length <= PROVIDER_MESSAGE_ID_MAX_LENGTH) return storable;
  return `sha256:${createHash("sha256").update(storable).digest("hex")}`;
}
