import path from "node:path";
import { repoRoot } from "../config.ts";

/** The committed, printed GraphQL schema (`npm run schema:print -w server` rewrites it). */
export const schemaFile = path.join(repoRoot, "server/schema.graphql");
