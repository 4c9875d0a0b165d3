import { queryOptions, useQuery } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";

// Where the tenant stands, from its real data: the company, the number (if any) and whether a message
// ever went out. Every member may read these; the inbound URL is asked for separately (owners and admins).
export const OnboardingStatusQuery = graphql(`
  query OnboardingStatus {
    tenant {
      id
      companyName
      whatsapp {
        id
        number
        status
        provider
      }
    }
    sentMessages: messages(first: 1, filter: { direction: OUTBOUND, statuses: [SENT, DELIVERED, READ] }) {
      edges {
        node {
          id
        }
      }
    }
  }
`);

export const ONBOARDING_QUERY_KEY = ["onboarding"] as const;

export const onboardingStatusQueryOptions = () =>
  queryOptions({ queryKey: [...ONBOARDING_QUERY_KEY, "status"], queryFn: () => executeGraphQL(OnboardingStatusQuery) });

export const useOnboardingStatus = () => useQuery(onboardingStatusQueryOptions());
