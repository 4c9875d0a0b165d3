import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { GraphQLError, isEnumType, type GraphQLFormattedError } from "graphql";
import { ArgumentValidationError } from "type-graphql";
import { describe, expect, it } from "vitest";
import * as errors from "../../src/errors.ts";
import { AppError, ERROR_CODES, UnavailableError } from "../../src/errors.ts";
import { clientErrorOf, HTTP_STATUS, type FailedRequest } from "../../src/failures.ts";
import { formatError } from "../../src/graphql/errors.ts";
import { buildGraphQLSchema } from "../../src/graphql/schema.ts";

/**
 * `enum ErrorCode` in the schema is the list of every `extensions.code` the server answers: built
 * from ERROR_CODES, the type AppError takes. These tests collect what the error path can produce
 * and hold it against the enum both ways: nothing answered that the enum lacks, nothing listed that
 * is never answered.
 */

const SRC = path.join(import.meta.dirname, "../../src");

const request: FailedRequest = {
  requestId: "req-1",
  logger: { error() {} } as unknown as FailedRequest["logger"],
  outage: { refused() {} } as unknown as FailedRequest["outage"],
  startedAt: 0,
  logAs: "test",
};

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts") && !path.join(entry.parentPath, entry.name).includes(`${path.sep}generated${path.sep}`))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Every code the server can put in `extensions.code` (REST: `error.code`). */
async function producedCodes(): Promise<Map<string, string[]>> {
  const produced = new Map<string, string[]>();
  const add = (code: unknown, where: string) => produced.set(String(code), [...(produced.get(String(code)) ?? []), where]);

  // The helpers of errors.ts, whatever they are called.
  for (const [name, value] of Object.entries(errors)) {
    if (typeof value !== "function" || /^[A-Z]/.test(name)) continue;
    const made: unknown = (value as (...args: unknown[]) => unknown)("field", "message");
    if (made instanceof AppError) add(made.code, `errors.ts ${name}()`);
  }
  // The one error path (failures.ts): ours as they are, a database that does not answer, a bug.
  add(clientErrorOf(new UnavailableError("down"), request).code, "clientErrorOf(UnavailableError)");
  add(clientErrorOf(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }), request).code, "clientErrorOf(database down)");
  add(clientErrorOf(new TypeError("a bug"), request).code, "clientErrorOf(bug)");
  // GraphQL's formatError: class-validator, Apollo's and graphql-armor's rejections, anything else.
  const formatted = (error: unknown, extensions: Record<string, unknown> = {}, message = "x"): GraphQLFormattedError =>
    formatError({ message, extensions }, new GraphQLError(message, { originalError: error as Error }));
  add(formatted(new ArgumentValidationError([]))?.extensions?.code, "formatError(ArgumentValidationError)");
  for (const code of ["GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_REQUEST", "PERSISTED_QUERY_NOT_FOUND", "SOMETHING_ELSE"]) {
    add(formatError({ message: "x", extensions: { code } }, new GraphQLError("x")).extensions?.code, `formatError(${code})`);
  }
  add(formatError({ message: "Syntax Error: Query depth limit of 8 exceeded" }, new GraphQLError("x")).extensions?.code, "formatError(armor)");
  // Codes written out in the source: new AppError("..."), `code: "..."`, `"..." satisfies ErrorCode`.
  for (const file of await sourceFiles(SRC)) {
    const text = await readFile(file, "utf8");
    for (const pattern of [/new AppError\(\s*"([A-Z_]+)"/g, /\bcode: "([A-Z_]+)"/g, /"([A-Z_]+)" satisfies ErrorCode/g]) {
      for (const match of text.matchAll(pattern)) add(match[1], path.relative(SRC, file));
    }
  }
  return produced;
}

describe("enum ErrorCode", () => {
  it("is in the schema, with ERROR_CODES as its values, each described with its REST status", async () => {
    const type = (await buildGraphQLSchema()).getType("ErrorCode");
    expect(isEnumType(type) && type.getValues().map((value) => value.name)).toEqual([...ERROR_CODES]);
    for (const value of isEnumType(type) ? type.getValues() : []) {
      expect(value.description).toMatch(new RegExp(`^.{60,} REST: HTTP ${HTTP_STATUS[value.value as errors.ErrorCode]}\\.$`));
    }
  });

  it("lists every code the server can answer, and only those", async () => {
    const produced = await producedCodes();
    const unlisted = [...produced]
      .filter(([code]) => !(ERROR_CODES as readonly string[]).includes(code))
      .map(([code, where]) => `${code} (${where.join(", ")})`);
    expect(unlisted).toEqual([]);
    expect(ERROR_CODES.filter((code) => !produced.has(code))).toEqual([]);
  });
});
