import argon2 from "argon2";
import { dictionary } from "@zxcvbn-ts/language-common";
import { badInput } from "../errors.ts";

// OWASP's argon2id parameters: 19 MiB, 2 iterations, 1 lane (~33 ms here).
const HASH_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 12;
// Bounded so nobody can make us hash megabytes.
export const PASSWORD_MAX_LENGTH = 128;

/** ~49,000 passwords seen most often in breaches (zxcvbn's list), lower-cased. */
const commonPasswords = new Set((dictionary["passwords-common"] as string[]).map((password) => password.toLowerCase()));

export function checkPasswordPolicy(password: string, email: string): void {
  if (password.length < PASSWORD_MIN_LENGTH) {
    throw badInput("password", `Use at least ${PASSWORD_MIN_LENGTH} characters for the password.`);
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    throw badInput("password", `Use at most ${PASSWORD_MAX_LENGTH} characters for the password.`);
  }
  const lowered = password.toLowerCase();
  if (commonPasswords.has(lowered) || lowered === email.toLowerCase() || lowered === email.split("@")[0]?.toLowerCase()) {
    throw badInput("password", "This password is too common or too easy to guess; choose another.");
  }
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, HASH_OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/**
 * Verified against when the email is unknown, so an unknown email costs the same time as a
 * wrong password and the answer cannot tell the two apart.
 */
let decoyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  decoyHash ??= hashPassword("decoy-password-for-unknown-accounts");
  await verifyPassword(await decoyHash, password);
}
