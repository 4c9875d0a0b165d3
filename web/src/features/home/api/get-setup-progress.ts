import { queryOptions, useQuery } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";

// What every member may read (docs/permissions.md): the connection and the message log.
export const SetupProgressQuery = graphql(`
  query SetupProgress {
    tenant {
      id
      whatsapp {
        id
        number
        status
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

// Owners and admins only: a MEMBER's request would be refused, so it is not made for them.
export const AdminSetupProgressQuery = graphql(`
  query AdminSetupProgress {
    apiKeys {
      id
      revokedAt
    }
    webhookEndpoints {
      id
    }
  }
`);

export const setupProgressQueryOptions = () => queryOptions({ queryKey: ["setup-progress"], queryFn: () => executeGraphQL(SetupProgressQuery) });

export const adminSetupProgressQueryOptions = () =>
  queryOptions({ queryKey: ["setup-progress", "admin"], queryFn: () => executeGraphQL(AdminSetupProgressQuery) });

export const useSetupProgress = () => useQuery(setupProgressQueryOptions());

export const useAdminSetupProgress = (enabled: boolean) => useQuery({ ...adminSetupProgressQueryOptions(), enabled });
