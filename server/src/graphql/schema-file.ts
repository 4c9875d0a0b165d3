import path from "node:path";
import { isEnumType, type GraphQLSchema } from "graphql";
import { repoRoot } from "../config.ts";

/** The committed, printed GraphQL schema (`npm run schema:print -w server` rewrites it). */
export const schemaFile = path.join(repoRoot, "server/schema.graphql");

/** The README, whose error-code table `npm run schema:print -w server` prints from the schema too. */
export const readmeFile = path.join(repoRoot, "README.md");

const TABLE_START = "<!-- error-codes: printed from enum ErrorCode, do not edit -->";
const TABLE_END = "<!-- /error-codes -->";

/** The README with its error-code table printed from `enum ErrorCode`: the one list, kept in the schema. */
export function withErrorCodeTable(readme: string, schema: GraphQLSchema): string {
  const errorCode = schema.getType("ErrorCode");
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (!isEnumType(errorCode) || start < 0 || end < start)
    throw new Error(`README.md needs the lines ${TABLE_START} and ${TABLE_END}, and the schema enum ErrorCode`);
  const rows = errorCode.getValues().map((value) => `| \`${value.name}\` | ${(value.description ?? "").replace(/\|/g, "\\|")} |`);
  const table = ["| code | when it is answered, and what to do |", "| --- | --- |", ...rows].join("\n");
  return `${readme.slice(0, start + TABLE_START.length)}\n${table}\n${readme.slice(end)}`;
}
