import { randomBytes } from "node:crypto";
import baseX from "base-x";

const base62 = baseX("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

export const API_KEY_MARKER = "swb_";
/** `swb_` and the first 8 characters of the random part: shown in lists, used to find the key. */
export const API_KEY_PREFIX_LENGTH = API_KEY_MARKER.length + 8;

/** `swb_` + 32 random bytes in base62 (~43 characters, 256 bits). */
export function newApiKeySecret(): { secret: string; prefix: string } {
  const secret = API_KEY_MARKER + base62.encode(randomBytes(32)).padStart(43, "0");
  return { secret, prefix: secret.slice(0, API_KEY_PREFIX_LENGTH) };
}

export const looksLikeApiKey = (token: string) => token.startsWith(API_KEY_MARKER) && /^swb_[0-9A-Za-z]{40,60}$/.test(token);
