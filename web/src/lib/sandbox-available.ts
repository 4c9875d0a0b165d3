import { queryOptions, useQuery } from "@tanstack/react-query";
import { graphql } from "../graphql/gql.ts";
import { executeGraphQL } from "./graphql-client.ts";

export const SandboxAvailableQuery = graphql(`
  query SandboxAvailable {
    sandboxAvailable
  }
`);

/** Whether this server offers the sandbox provider: a setting of the deployment, so asked once per page load. */
export const sandboxAvailableQueryOptions = () =>
  queryOptions({
    queryKey: ["sandbox-available"],
    queryFn: async () => (await executeGraphQL(SandboxAvailableQuery)).sandboxAvailable,
    staleTime: Infinity,
  });

/** True only once the server said it offers the sandbox: a production server's users never see the option. */
export const useSandboxAvailable = () => useQuery(sandboxAvailableQueryOptions()).data === true;
