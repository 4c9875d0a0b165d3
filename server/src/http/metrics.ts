import type { ApolloServerPlugin } from "@apollo/server";
import { Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode } from "graphql";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { ERROR_CODES } from "../errors.ts";

/** Seconds: from a cached read (~1 ms) to a provider call at its timeout. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

/** The label for root fields that are not the schema's own (`__typename`, introspection) and for unparsed requests. */
export const OTHER_OPERATION = "other";

/**
 * Every label value a request can produce, fixed when the server starts: "query:health",
 * "mutation:sendMessage", ... and "other". Nothing a client writes (aliases, repeated fields,
 * operation names, document shapes) can add a series.
 */
function rootFieldLabels(schema: GraphQLSchema): Set<string> {
  const labels = new Set<string>([OTHER_OPERATION]);
  for (const [type, root] of [
    ["query", schema.getQueryType()],
    ["mutation", schema.getMutationType()],
    ["subscription", schema.getSubscriptionType()],
  ] as const) {
    for (const field of Object.keys(root?.getFields() ?? {})) labels.add(`${type}:${field}`);
  }
  return labels;
}

/** The root field names an operation selects, through inline fragments and fragment spreads. */
function rootFieldNames(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen = new Set<string>()): Set<string> {
  const names = new Set<string>();
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) names.add(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) rootFieldNames(selection.selectionSet, fragments, seen).forEach((name) => names.add(name));
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      if (fragment) rootFieldNames(fragment.selectionSet, fragments, seen).forEach((name) => names.add(name));
    }
  }
  return names;
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  return fragments;
}

/** Prometheus metrics for /metrics: HTTP and GraphQL traffic, errors by code, the database's availability, the Node process. */
export function createMetrics(schema: GraphQLSchema, { databaseUp }: { databaseUp: () => boolean } = { databaseUp: () => true }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "switchboard_" });
  const knownLabels = rootFieldLabels(schema);
  // Apollo reuses the parsed document of a query it has seen: its labels are worked out once.
  const labelsByOperation = new WeakMap<OperationDefinitionNode, string[]>();
  function labelsOf(operation: OperationDefinitionNode, document: DocumentNode): string[] {
    let labels = labelsByOperation.get(operation);
    if (!labels) {
      const found = [...rootFieldNames(operation.selectionSet, fragmentsOf(document))].map((field) => `${operation.operation}:${field}`);
      const known = new Set(found.map((label) => (knownLabels.has(label) ? label : OTHER_OPERATION)));
      labels = known.size ? [...known] : [OTHER_OPERATION];
      labelsByOperation.set(operation, labels);
    }
    return labels;
  }

  const httpDuration = new Histogram({
    name: "switchboard_http_request_duration_seconds",
    help: "HTTP requests by route pattern, method and status",
    labelNames: ["route", "method", "status"] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const operationDuration = new Histogram({
    name: "switchboard_graphql_operation_duration_seconds",
    help: "GraphQL operations by type and root field (an operation with several root fields counts once for each)",
    labelNames: ["operation"] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const graphqlErrors = new Counter({
    name: "switchboard_graphql_errors_total",
    help: "GraphQL errors by extensions.code",
    labelNames: ["code"] as const,
    registers: [registry],
  });

  new Gauge({
    name: "switchboard_database_up",
    help: "1 while the database answers, 0 from the first failure this process sees until it answers again",
    registers: [registry],
    collect() {
      this.set(databaseUp() ? 1 : 0);
    },
  });
  const refusedRequests = new Counter({
    name: "switchboard_database_refused_requests_total",
    help: "Requests answered UNAVAILABLE (HTTP 503) because the database did not answer",
    registers: [registry],
  });

  const apolloPlugin: ApolloServerPlugin = {
    async requestDidStart() {
      const started = performance.now();
      let operations = [OTHER_OPERATION];
      return {
        async didResolveOperation({ operation, document }) {
          if (!operation) return;
          operations = labelsOf(operation, document);
        },
        async willSendResponse({ response }) {
          const seconds = (performance.now() - started) / 1000;
          for (const operation of operations) operationDuration.observe({ operation }, seconds);
          if (response.body.kind === "single") {
            for (const error of response.body.singleResult.errors ?? []) {
              const code = error.extensions?.code;
              graphqlErrors.inc({ code: (ERROR_CODES as readonly unknown[]).includes(code) ? String(code) : "INTERNAL" });
            }
          }
        },
      };
    },
  };

  return {
    registry,
    apolloPlugin,
    countRefusedRequest() {
      refusedRequests.inc();
    },
    /** `route` is the route's pattern (`/webhooks/rapiwa/:token`), never the requested path. */
    observeHttp(route: string, method: string, status: number, seconds: number) {
      httpDuration.observe({ route, method, status: String(status) }, seconds);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
