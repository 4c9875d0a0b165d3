import type { ApolloServerPlugin } from "@apollo/server";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Seconds: from a cached read (~1 ms) to a provider call at its timeout. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

/** Prometheus metrics for /metrics: HTTP and GraphQL traffic, errors by code, the Node process. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "switchboard_" });

  const httpDuration = new Histogram({
    name: "switchboard_http_request_duration_seconds",
    help: "HTTP requests by route, method and status",
    labelNames: ["route", "method", "status"] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const operationDuration = new Histogram({
    name: "switchboard_graphql_operation_duration_seconds",
    help: "GraphQL operations by type and root fields",
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

  const apolloPlugin: ApolloServerPlugin = {
    async requestDidStart() {
      const started = performance.now();
      let operation = "unparsed";
      return {
        async didResolveOperation({ operation: document }) {
          if (!document) return;
          // Root field names come from our schema, so the label's values stay few (client-chosen
          // operation names would not).
          const fields = document.selectionSet.selections.flatMap((selection) => (selection.kind === "Field" ? [selection.name.value] : [])).sort();
          operation = `${document.operation}:${fields.join(",") || "fragment"}`;
        },
        async willSendResponse({ response }) {
          operationDuration.observe({ operation }, (performance.now() - started) / 1000);
          if (response.body.kind === "single") {
            for (const error of response.body.singleResult.errors ?? []) graphqlErrors.inc({ code: String(error.extensions?.code ?? "INTERNAL") });
          }
        },
      };
    },
  };

  return {
    registry,
    apolloPlugin,
    observeHttp(route: string, method: string, status: number, seconds: number) {
      httpDuration.observe({ route, method, status: String(status) }, seconds);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
