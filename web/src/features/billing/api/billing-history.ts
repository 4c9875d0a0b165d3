import { queryOptions, useQuery } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";

export const BillingHistoryQuery = graphql(`
  query BillingHistory {
    usageHistory(months: 12) {
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

export const billingHistoryQueryOptions = () => queryOptions({ queryKey: ["billing", "history"], queryFn: () => executeGraphQL(BillingHistoryQuery) });

export const useBillingHistory = () => useQuery(billingHistoryQueryOptions());
