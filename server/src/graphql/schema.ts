import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema, UseMiddleware } from "type-graphql";
import { ApiKeysResolver } from "../modules/api-keys/api-keys.resolver.ts";
import { AuthResolver } from "../modules/auth/auth.resolver.ts";
import { HealthResolver } from "../modules/health/health.resolver.ts";
import { TeamResolver } from "../modules/team/team.resolver.ts";
import { TenantsResolver } from "../modules/tenants/tenants.resolver.ts";
import { MessageFieldsResolver, MessagesResolver } from "../modules/messages/messages.resolver.ts";
import { NodesResolver } from "../modules/nodes/nodes.resolver.ts";
import { UsageResolver } from "../modules/usage/usage.resolver.ts";
import { WebhooksResolver } from "../modules/webhooks/webhooks.resolver.ts";
import { WhatsAppConnectionResolver, WhatsAppResolver } from "../modules/whatsapp/whatsapp.resolver.ts";
import { authChecker } from "./auth-checker.ts";
import { maskInternalErrors } from "./errors.ts";
import { refuseUnstorableText, validateArgument } from "./validation.ts";

export const resolvers = [
  HealthResolver,
  AuthResolver,
  TenantsResolver,
  TeamResolver,
  ApiKeysResolver,
  WhatsAppResolver,
  WhatsAppConnectionResolver,
  MessagesResolver,
  MessageFieldsResolver,
  NodesResolver,
  UsageResolver,
  WebhooksResolver,
] as const;

// On every resolver of these classes (queries, mutations, field resolvers), not on the plain fields
// of the object types: as type-graphql global middlewares they wrapped every field of every returned
// object in an async middleware chain (13 promises per message in a list). Applied once, here.
for (const resolver of resolvers) UseMiddleware(maskInternalErrors, refuseUnstorableText)(resolver);

export function buildGraphQLSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers,
    authChecker,
    validateFn: validateArgument,
  });
}
