import { queryOptions, useQuery } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";

/** The closed months, as billed: frozen when each month was closed, whatever changed afterwards. */
export const BillingStatementsQuery = graphql(`
  query BillingStatements {
    statements {
      month
      messagesSent
      messagesReceived
      tier
      connectedNumbers
      total {
        amount
        currencyCode
      }
    }
  }
`);

export const billingHistoryQueryOptions = () => queryOptions({ queryKey: ["billing", "statements"], queryFn: () => executeGraphQL(BillingStatementsQuery) });

export const useBillingHistory = () => useQuery(billingHistoryQueryOptions());
