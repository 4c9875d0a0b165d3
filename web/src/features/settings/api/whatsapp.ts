import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import type { ConnectWhatsAppInput } from "../../../graphql/graphql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";

export const WhatsAppConnectionQuery = graphql(`
  query WhatsAppConnection {
    tenant {
      id
      whatsapp {
        id
        number
        status
        provider
        sendRatePerSecond
        connectedAt
        disconnectedAt
      }
    }
  }
`);

// The inbound URL is a secret for owners and admins: a member's request for it is refused, so it is not made for them.
export const InboundWebhookUrlQuery = graphql(`
  query InboundWebhookUrl {
    tenant {
      id
      whatsapp {
        id
        inboundWebhookUrl
      }
    }
  }
`);

export const ConnectWhatsAppMutation = graphql(`
  mutation ConnectWhatsApp($input: ConnectWhatsAppInput!) {
    connectWhatsApp(input: $input) {
      id
      number
      status
    }
  }
`);

export const DisconnectWhatsAppMutation = graphql(`
  mutation DisconnectWhatsApp {
    disconnectWhatsApp {
      id
      status
    }
  }
`);

export const RotateInboundWebhookTokenMutation = graphql(`
  mutation RotateInboundWebhookToken {
    rotateInboundWebhookToken {
      id
      inboundWebhookUrl
    }
  }
`);

const WHATSAPP_KEY = ["whatsapp"] as const;

export const whatsAppConnectionQueryOptions = () =>
  queryOptions({ queryKey: [...WHATSAPP_KEY, "connection"], queryFn: () => executeGraphQL(WhatsAppConnectionQuery) });
export const inboundWebhookUrlQueryOptions = () =>
  queryOptions({ queryKey: [...WHATSAPP_KEY, "inbound-url"], queryFn: () => executeGraphQL(InboundWebhookUrlQuery) });

export const useWhatsAppConnection = () => useQuery(whatsAppConnectionQueryOptions());
export const useInboundWebhookUrl = (enabled: boolean) => useQuery({ ...inboundWebhookUrlQueryOptions(), enabled });

function useWhatsAppMutation<Variables, Result>(mutationFn: (variables: Variables) => Promise<Result>) {
  const queryClient = useQueryClient();
  // Home's checklist reads the connection too.
  return useMutation({
    mutationFn,
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: WHATSAPP_KEY }), queryClient.invalidateQueries({ queryKey: ["setup-progress"] })]),
  });
}

export const useConnectWhatsApp = () => useWhatsAppMutation((input: ConnectWhatsAppInput) => executeGraphQL(ConnectWhatsAppMutation, { input }));
export const useDisconnectWhatsApp = () => useWhatsAppMutation(() => executeGraphQL(DisconnectWhatsAppMutation));
export const useRotateInboundWebhookToken = () => useWhatsAppMutation(() => executeGraphQL(RotateInboundWebhookTokenMutation));
