import { readFile } from "node:fs/promises";
import { printSchema } from "graphql";
import { describe, expect, it } from "vitest";
import { buildGraphQLSchema } from "../../src/graphql/schema.ts";
import { readmeFile, schemaFile, withErrorCodeTable } from "../../src/graphql/schema-file.ts";

describe("server/schema.graphql", () => {
  it("is the printed schema of the running code (run `npm run schema:print -w server` when this fails)", async () => {
    const committed = await readFile(schemaFile, "utf8");
    expect(committed).toBe(printSchema(await buildGraphQLSchema()) + "\n");
  });

  it("has its error codes in the README's table (run `npm run schema:print -w server` when this fails)", async () => {
    const readme = await readFile(readmeFile, "utf8");
    expect(readme).toBe(withErrorCodeTable(readme, await buildGraphQLSchema()));
  });
});
