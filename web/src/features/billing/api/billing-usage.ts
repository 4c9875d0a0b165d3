import { queryOptions, useQuery } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";

// This month's usage with the tiers it is billed by (prices come from the server, never from here).
export const BillingUsageQuery = graphql(`
  query BillingUsage {
    usage {
      month
      messagesSent
      messagesReceived
      messagesFailed
      tier
      connectedNumbers
      planPrice {
        amount
        currencyCode
      }
      providerCost {
        amount
        currencyCode
      }
      total {
        amount
        currencyCode
      }
      daily {
        date
        sent
        received
      }
    }
    pricing {
      tiers {
        tier
        upTo
        price {
          amount
          currencyCode
        }
      }
      perConnectedNumber {
        amount
        currencyCode
      }
    }
  }
`);

export const billingUsageQueryOptions = () => queryOptions({ queryKey: ["billing", "usage"], queryFn: () => executeGraphQL(BillingUsageQuery) });

export const useBillingUsage = () => useQuery(billingUsageQueryOptions());
