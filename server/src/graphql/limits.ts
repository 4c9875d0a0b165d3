import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import type { GraphQLContext } from "./context.ts";

/** Query shape limits (GraphQL Armor): requests past them are refused before execution. */
export const QUERY_LIMITS = {
  maxDepth: 8,
  maxAliases: 15,
  maxDirectives: 20,
  maxTokens: 2_000,
  maxCost: 5_000,
  /** Operations in one batched HTTP request (a JSON array). */
  maxBatchSize: 10,
  /** Request body, in bytes. */
  maxBodyBytes: 256 * 1024,
} as const;

export function queryLimitProtections({ production }: { production: boolean }) {
  const armor = new ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth, flattenFragments: true },
    maxAliases: { n: QUERY_LIMITS.maxAliases },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives },
    // Counted by graphql-js's own parser instead (parseOptions below): Armor's token plugin parses in
    // parsingDidStart, outside Apollo's error handling, so every syntax error was an HTTP 500.
    maxTokens: { enabled: false },
    costLimit: { maxCost: QUERY_LIMITS.maxCost },
    // Suggestions ("did you mean …") reveal the schema; off where introspection is off.
    blockFieldSuggestion: { enabled: production },
  });
  const { plugins, validationRules } = armor.protect();
  // Armor's typings name Apollo's CommonJS build; the plugins are the same objects either way.
  return {
    plugins: plugins as unknown as ApolloServerPlugin<GraphQLContext>[],
    validationRules,
    parseOptions: { maxTokens: QUERY_LIMITS.maxTokens },
  };
}
