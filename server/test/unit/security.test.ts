import { describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.ts";
import {
  checkPasswordPolicy,
  hashPassword,
  verifyPassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  burnPasswordCheck,
} from "../../src/security/passwords.ts";
import { decryptSecret, deriveServerKeys, encryptSecret, hashesEqual, keyedHash, secretsEqual } from "../../src/security/secrets.ts";
import {
  assertStorableText,
  findUnstorableText,
  isStorableText,
  toStorableJson,
  toStorableText,
  truncateText,
  UNSTORABLE_TEXT_MESSAGE,
} from "../../src/security/text-input.ts";

/** The rules behind sign-up, stored provider keys and text we refuse or repair (no database needed). */

function thrown(action: () => unknown): AppError {
  try {
    action();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

describe("password policy", () => {
  const email = "Ada.Lovelace@example.com";

  it("accepts exactly the minimum and the maximum length, and refuses one less or one more", () => {
    expect(() => checkPasswordPolicy("q7#Vz!pL2m@x", email)).not.toThrow();
    expect("q7#Vz!pL2m@x").toHaveLength(PASSWORD_MIN_LENGTH);
    const short = thrown(() => checkPasswordPolicy("q7#Vz!pL2m@", email));
    expect(short).toMatchObject({ code: "BAD_USER_INPUT", details: { field: "password" }, message: "Use at least 12 characters for the password." });
    expect(() => checkPasswordPolicy("x".repeat(PASSWORD_MAX_LENGTH - 12) + "q7#Vz!pL2m@x", email)).not.toThrow();
    const long = thrown(() => checkPasswordPolicy("y".repeat(PASSWORD_MAX_LENGTH - 11) + "q7#Vz!pL2m@x", email));
    expect(long).toMatchObject({ code: "BAD_USER_INPUT", details: { field: "password" }, message: "Use at most 128 characters for the password." });
  });

  it("refuses breached passwords whatever their case, the email itself and its local part", () => {
    const guessable = "This password is too common or too easy to guess; choose another.";
    expect(thrown(() => checkPasswordPolicy("PASSWORD1234", email))).toMatchObject({
      code: "BAD_USER_INPUT",
      details: { field: "password" },
      message: guessable,
    });
    expect(thrown(() => checkPasswordPolicy("ada.lovelace@EXAMPLE.com", email)).message).toBe(guessable);
    expect(thrown(() => checkPasswordPolicy("ADA.LOVELACE", email)).message).toBe(guessable);
    expect(() => checkPasswordPolicy("ada.lovelace!", email)).not.toThrow();
  });

  it("verifies the right password, refuses a wrong one and a malformed hash without throwing", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await verifyPassword(hash, "correct horse battery")).toBe(true);
    expect(await verifyPassword(hash, "correct horse battery!")).toBe(false);
    expect(await verifyPassword("not a hash", "correct horse battery")).toBe(false);
    await expect(burnPasswordCheck("anything")).resolves.toBeUndefined();
  });
});

// keyedHash(HKDF-SHA256(master, salt "switchboard", info "api-key-hash"), "swb_known"), computed once.
const KNOWN_API_KEY_HASH = "033155b564998c7523c7369d65bf8cef4a87b2296cecc490aa083dc260df8db2";

describe("server secrets", () => {
  const keys = deriveServerKeys("a-master-secret-of-at-least-32-characters");

  it("derives distinct 256-bit keys per purpose, the same ones from the same master secret", () => {
    expect(keys.apiKeyHashKey).toHaveLength(32);
    expect(keys.encryptionKey).toHaveLength(32);
    expect(keys.apiKeyHashKey.equals(keys.encryptionKey)).toBe(false);
    expect(deriveServerKeys("a-master-secret-of-at-least-32-characters").apiKeyHashKey.equals(keys.apiKeyHashKey)).toBe(true);
    expect(deriveServerKeys("another-master-secret-of-32-characters").apiKeyHashKey.equals(keys.apiKeyHashKey)).toBe(false);
  });

  it("derives the same keys as every earlier release, so stored key hashes and credentials stay readable", () => {
    const fixed = deriveServerKeys("test-secret-for-switchboard-suites-0123456789");
    expect(keyedHash(fixed.apiKeyHashKey, "swb_known")).toBe(KNOWN_API_KEY_HASH);
  });

  it("hashes API key secrets with the server key: same input same hash, another key another hash", () => {
    const hash = keyedHash(keys.apiKeyHashKey, "swb_secret");
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(keyedHash(keys.apiKeyHashKey, "swb_secret")).toBe(hash);
    expect(keyedHash(keys.encryptionKey, "swb_secret")).not.toBe(hash);
    expect(keyedHash(keys.apiKeyHashKey, "swb_secreT")).not.toBe(hash);
  });

  it("compares hashes and secrets exactly, also when their lengths differ", () => {
    const hash = keyedHash(keys.apiKeyHashKey, "a");
    expect(hashesEqual(hash, keyedHash(keys.apiKeyHashKey, "a"))).toBe(true);
    expect(hashesEqual(hash, keyedHash(keys.apiKeyHashKey, "b"))).toBe(false);
    expect(hashesEqual(hash, hash.slice(0, 32))).toBe(false);
    expect(secretsEqual("metrics-token", "metrics-token")).toBe(true);
    expect(secretsEqual("metrics-token", "metrics-tokens")).toBe(false);
  });

  it("encrypts provider keys so only the same key reads them back, and refuses tampered or foreign text", () => {
    const stored = encryptSecret(keys.encryptionKey, "rapiwa-device-key-ü");
    expect(stored).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(stored).not.toContain("rapiwa");
    expect(encryptSecret(keys.encryptionKey, "rapiwa-device-key-ü")).not.toBe(stored);
    expect(decryptSecret(keys.encryptionKey, stored)).toBe("rapiwa-device-key-ü");
    expect(() => decryptSecret(keys.apiKeyHashKey, stored)).toThrow();
    const [version, iv, tag, ciphertext] = stored.split(".");
    const flipped = Buffer.from(ciphertext!, "base64url");
    flipped[0] = flipped[0]! ^ 1;
    expect(() => decryptSecret(keys.encryptionKey, [version, iv, tag, flipped.toString("base64url")].join("."))).toThrow();
    for (const foreign of [`v2.${iv}.${tag}.${ciphertext}`, `v1..${tag}.${ciphertext}`, `v1.${iv}..${ciphertext}`, `v1.${iv}.${tag}`, "plaintext"]) {
      expect(() => decryptSecret(keys.encryptionKey, foreign)).toThrow("Unrecognised ciphertext format");
    }
    // An empty secret encrypts to an empty ciphertext part, which must still read back.
    expect(decryptSecret(keys.encryptionKey, encryptSecret(keys.encryptionKey, ""))).toBe("");
  });
});

describe("text PostgreSQL cannot store", () => {
  const lone = "\ud83d"; // first half of 😀
  const trail = "\ude00"; // second half of 😀

  it("tells storable text from NUL and lone surrogate halves, keeping whole pairs", () => {
    expect(isStorableText("plain 😀 text")).toBe(true);
    expect(isStorableText("a\u0000b")).toBe(false);
    expect(isStorableText(`a${lone}`)).toBe(false);
    expect(isStorableText(`${lone}b`)).toBe(false);
    expect(isStorableText(`a${trail}`)).toBe(false);
    expect(isStorableText(`${trail}${lone}`)).toBe(false);
  });

  it("replaces every unstorable character with U+FFFD and leaves the rest alone", () => {
    expect(toStorableText(`a\u0000b\u0000${lone}c${trail}😀`)).toBe("a\uFFFDb\uFFFD\uFFFDc\uFFFD😀");
  });

  it("truncates to the limit without cutting a surrogate pair", () => {
    expect(truncateText("abcdef", 4)).toBe("abcd");
    expect(truncateText("abc", 4)).toBe("abc");
    expect(truncateText("abc😀d", 4)).toBe("abc");
    expect(truncateText("abc😀", 5)).toBe("abc😀");
    expect(truncateText("ab😀", 4)).toBe("ab😀");
    // Text that fits is never shortened, and only a pair cut at the end is dropped.
    expect(truncateText(`ab${lone}`, 3)).toBe(`ab${lone}`);
    expect(truncateText("😀abcdef", 4)).toBe("😀ab");
  });

  it("names the path of the first unstorable string or key, and refuses it as bad input", () => {
    const input = { name: "ok", when: new Date(), list: ["fine", `bad${lone}`], nested: { "k\u0000": "v" } };
    expect(findUnstorableText(input, "input")).toBe("input.list.1");
    expect(findUnstorableText({ nested: { "k\u0000": "v" } }, "")).toBe("nested.k\u0000");
    expect(findUnstorableText({ a: 1, b: null, c: true, d: new Date() }, "x")).toBeUndefined();
    expect(findUnstorableText("a\u0000", "text")).toBe("text");
    const error = thrown(() => assertStorableText({ text: "a\u0000" }, "input"));
    expect(error).toMatchObject({ code: "BAD_USER_INPUT", details: { field: "input.text" }, message: UNSTORABLE_TEXT_MESSAGE });
    expect(() => assertStorableText({ text: "fine" })).not.toThrow();
    expect(thrown(() => assertStorableText({ text: "a\u0000" })).details.field).toBe("text");
  });

  it("repairs strings and keys anywhere in a JSON value, leaving other values as they are", () => {
    expect(toStorableJson({ "k\u0000": ["a\u0000", 1, null, { x: `${lone}` }], n: 2, t: true })).toEqual({
      "k\uFFFD": ["a\uFFFD", 1, null, { x: "\uFFFD" }],
      n: 2,
      t: true,
    });
    expect(toStorableJson(null)).toBeNull();
    expect(toStorableJson("ok")).toBe("ok");
  });
});
