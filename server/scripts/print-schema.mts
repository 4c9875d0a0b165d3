import { readFile, writeFile } from "node:fs/promises";
import { printSchema } from "graphql";
import { buildGraphQLSchema } from "../src/graphql/schema.ts";
import { readmeFile, schemaFile, withErrorCodeTable } from "../src/graphql/schema-file.ts";

// Writes server/schema.graphql, the contract that codegen and integrators read, and the README's
// error-code table, printed from the schema's enum ErrorCode.
const schema = await buildGraphQLSchema();
await writeFile(schemaFile, printSchema(schema) + "\n");
console.log(`wrote ${schemaFile}`);
await writeFile(readmeFile, withErrorCodeTable(await readFile(readmeFile, "utf8"), schema));
console.log(`wrote the error codes of ${readmeFile}`);
