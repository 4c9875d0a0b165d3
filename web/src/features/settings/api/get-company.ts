import { queryOptions, useQuery } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";

export const CompanyQuery = graphql(`
  query Company {
    tenant {
      id
      companyName
      slug
      plan
      createdAt
    }
  }
`);

export const companyQueryOptions = () => queryOptions({ queryKey: ["company"], queryFn: () => executeGraphQL(CompanyQuery) });

export const useCompany = () => useQuery(companyQueryOptions());
