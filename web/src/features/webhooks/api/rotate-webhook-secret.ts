import { useMutation } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";

export const WebhooksRotateSecretMutation = graphql(`
  mutation WebhooksRotateSecret($id: ID!) {
    rotateWebhookSecret(id: $id) {
      secret
      endpoint {
        id
      }
    }
  }
`);

/** A new signing secret, in this answer only; the previous one keeps signing beside it for 24 hours. */
export const useRotateWebhookSecret = (id: string) => useMutation({ mutationFn: () => executeGraphQL(WebhooksRotateSecretMutation, { id }) });
