import { createHash, randomBytes } from "node:crypto";

export const SESSION_COOKIE = "switchboard_session";
export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

/** 256 random bits; only its SHA-256 is stored, so a database leak yields no usable token. */
export function newSessionToken(): { token: string; tokenHash: string } {
  const token = `sbs_${randomBytes(32).toString("base64url")}`;
  return { token, tokenHash: hashSessionToken(token) };
}

export const hashSessionToken = (token: string) => createHash("sha256").update(token).digest("hex");
