import { writeFile } from "node:fs/promises";
import { printSchema } from "graphql";
import { buildGraphQLSchema } from "../src/graphql/schema.ts";
import { schemaFile } from "../src/graphql/schema-file.ts";

// Writes server/schema.graphql, the contract that codegen and integrators read.
await writeFile(schemaFile, printSchema(await buildGraphQLSchema()) + "\n");
console.log(`wrote ${schemaFile}`);
