import { queryOptions, useQuery } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";

export const HealthQuery = graphql(`
  query Health {
    health
  }
`);

export const healthQueryOptions = () => queryOptions({ queryKey: ["health"], queryFn: () => executeGraphQL(HealthQuery), refetchInterval: 30_000 });

export const useHealth = () => useQuery(healthQueryOptions());
