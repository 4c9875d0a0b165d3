import type { ApiKeyScope } from "../../../graphql/graphql.ts";

/** Each scope in words, in the order the form offers them (server/schema.graphql's ApiKeyScope). */
export const SCOPES: readonly { scope: ApiKeyScope; label: string; description: string }[] = [
  { scope: "MESSAGES_SEND", label: "Send messages", description: "Send messages (GraphQL sendMessage, REST send-message) and read the message log." },
  { scope: "MESSAGES_READ", label: "Read messages", description: "Read the message log and conversations; cannot send." },
  { scope: "USAGE_READ", label: "Read usage", description: "Read this month's usage and bill." },
  {
    scope: "TENANT_ADMIN",
    label: "Administer the account",
    description: "Manage API keys, the team, the WhatsApp connection and webhooks. Give it only to your own admin tools.",
  },
];

export const scopeLabel = (scope: ApiKeyScope) => SCOPES.find((entry) => entry.scope === scope)?.label ?? scope;
