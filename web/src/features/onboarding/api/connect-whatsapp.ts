import { useMutation, useQueryClient } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import type { ConnectWhatsAppInput } from "../../../graphql/graphql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";
import { ONBOARDING_QUERY_KEY } from "./get-onboarding-status.ts";

export const ConnectWhatsAppMutation = graphql(`
  mutation OnboardingConnectWhatsApp($input: ConnectWhatsAppInput!) {
    connectWhatsApp(input: $input) {
      id
      number
      status
      provider
    }
  }
`);

/** Checks the key with Rapiwa (a confirmation message to the number) and stores it; nothing is saved when that fails. */
export function useConnectWhatsApp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ConnectWhatsAppInput) => executeGraphQL(ConnectWhatsAppMutation, { input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ONBOARDING_QUERY_KEY }),
  });
}
