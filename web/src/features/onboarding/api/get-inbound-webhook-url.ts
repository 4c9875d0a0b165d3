import { queryOptions, useQuery } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";
import { ONBOARDING_QUERY_KEY } from "./get-onboarding-status.ts";

// A secret only owners and admins may read: a member's request would be refused as a whole.
export const InboundWebhookUrlQuery = graphql(`
  query OnboardingInboundWebhookUrl {
    tenant {
      id
      whatsapp {
        id
        provider
        inboundWebhookUrl
      }
    }
  }
`);

export const inboundWebhookUrlQueryOptions = () =>
  queryOptions({ queryKey: [...ONBOARDING_QUERY_KEY, "inbound-url"], queryFn: () => executeGraphQL(InboundWebhookUrlQuery) });

export const useInboundWebhookUrl = (enabled: boolean) => useQuery({ ...inboundWebhookUrlQueryOptions(), enabled });
