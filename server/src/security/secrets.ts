import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Keys derived from the one master secret (SWITCHBOARD_SECRET) with HKDF, one per purpose, so a
 * key leaked from one use does not unlock another.
 */
export type ServerKeys = {
  /** HMAC key for API key secrets (fast keyed hash: the secrets are high-entropy). */
  apiKeyHashKey: Buffer;
  /** AES-256-GCM key for third-party credentials stored at rest. */
  encryptionKey: Buffer;
};

export function deriveServerKeys(masterSecret: string): ServerKeys {
  const derive = (purpose: string) => Buffer.from(hkdfSync("sha256", masterSecret, "switchboard", purpose, 32));
  return { apiKeyHashKey: derive("api-key-hash"), encryptionKey: derive("credential-encryption") };
}

export function keyedHash(key: Buffer, value: string): string {
  return createHmac("sha256", key).update(value).digest("hex");
}

export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Compares two secrets in time that depends only on their length (hashed first, so not even that). */
export function secretsEqual(a: string, b: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}

const CIPHERTEXT_VERSION = "v1";

/** AES-256-GCM; the result is `v1.<iv>.<tag>.<ciphertext>` in base64url, safe to store as text. */
export function encryptSecret(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [CIPHERTEXT_VERSION, iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === "string" ? part : part.toString("base64url"))).join(".");
}

export function decryptSecret(key: Buffer, stored: string): string {
  const [version, iv, tag, ciphertext] = stored.split(".");
  if (version !== CIPHERTEXT_VERSION || !iv || !tag || ciphertext === undefined) throw new Error("Unrecognised ciphertext format");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}
