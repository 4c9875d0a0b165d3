import "reflect-metadata";
import { GraphQLScalarType, GraphQLSchema, isObjectType } from "graphql";
import { GraphQLDateTimeISO } from "graphql-scalars";
import { buildSchema, getMetadataStorage, UseMiddleware } from "type-graphql";
import { ApiKeysResolver } from "../modules/api-keys/api-keys.resolver.ts";
import { AuthResolver } from "../modules/auth/auth.resolver.ts";
import { HealthResolver } from "../modules/health/health.resolver.ts";
import { TeamResolver } from "../modules/team/team.resolver.ts";
import { TenantsResolver } from "../modules/tenants/tenants.resolver.ts";
import { ConversationFieldsResolver, MessageFieldsResolver, MessagesResolver } from "../modules/messages/messages.resolver.ts";
import { NodesResolver } from "../modules/nodes/nodes.resolver.ts";
import { LiveResolver } from "../modules/live/live.resolver.ts";
import { requirementOf, type Permission } from "../modules/auth/permissions.ts";
import { StatementsResolver } from "../modules/usage/statements.resolver.ts";
import { SupportResolver } from "../modules/support/support.resolver.ts";
import { UsageResolver } from "../modules/usage/usage.resolver.ts";
import { WebhooksResolver } from "../modules/webhooks/webhooks.resolver.ts";
import { WhatsAppConnectionResolver, WhatsAppResolver } from "../modules/whatsapp/whatsapp.resolver.ts";
import { authChecker } from "./auth-checker.ts";
import { ErrorCodeEnum } from "./error-codes.ts";
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
  ConversationFieldsResolver,
  LiveResolver,
  NodesResolver,
  UsageResolver,
  StatementsResolver,
  WebhooksResolver,
  SupportResolver,
] as const;

// On every resolver of these classes (queries, mutations, field resolvers), not on the plain fields
// of the object types: as type-graphql global middlewares they wrapped every field of every returned
// object in an async middleware chain (13 promises per message in a list). Applied once, here.
for (const resolver of resolvers) UseMiddleware(maskInternalErrors, refuseUnstorableText)(resolver);

/** type-graphql's scalar for `Date` fields, with what this API writes and reads in its description. */
const DateTimeISO = new GraphQLScalarType({
  ...GraphQLDateTimeISO.toConfig(),
  description:
    "A point in time, as an RFC 3339 date-time string. The API always writes UTC with milliseconds (2026-03-01T09:30:00.000Z); arguments may carry any offset (2026-03-01T11:30:00+02:00) and mean the instant they name.",
});

export async function buildGraphQLSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers,
    authChecker,
    validateFn: validateArgument,
    scalarsMap: [{ type: Date, scalar: DateTimeISO }],
    // Required by type-graphql for any @Subscription; ours bring their own `subscribe` (modules/live/), so no topics.
    pubSub: {
      publish: () => undefined,
      subscribe: () => {
        throw new Error("subscriptions here use their own subscribe function, not topics");
      },
    },
  });
  describeRequirements(schema);
  const config = schema.toConfig();
  return new GraphQLSchema({ ...config, types: [...config.types, ErrorCodeEnum] });
}

/**
 * Ends the description of every operation (and of every field with an `@Authorized` of its own) with
 * who may call it, written from the `@Authorized` permissions type-graphql enforces (its metadata) and
 * the grants behind them (auth/permissions.ts): never copied by hand, so it cannot drift. Set in place:
 * the schema was built a moment ago and nothing else holds it yet.
 */
function describeRequirements(schema: GraphQLSchema) {
  const storage = getMetadataStorage();
  const permissionsOf = (target: object, fieldName: string) =>
    (
      storage.authorizedFields.find((field) => field.target === target && field.fieldName === fieldName) ??
      storage.authorizedResolver.find((resolver) => resolver.target === target)
    )?.roles as Permission[] | undefined;
  const typeNameOf = (target: object) =>
    [...storage.objectTypes, ...storage.interfaceTypes].find((type) => type.target === target)?.name ?? String((target as { name?: unknown }).name);

  // Only this schema's resolver classes: others may be loaded in the same process (tests).
  const ours = new Set<object>(resolvers);
  const requirements = new Map<string, string>();
  for (const [typeName, handlers] of [
    ["Query", storage.queries],
    ["Mutation", storage.mutations],
    ["Subscription", storage.subscriptions],
  ] as const) {
    for (const handler of handlers.filter(({ target }) => ours.has(target)))
      requirements.set(`${typeName}.${handler.schemaName}`, requirementOf(permissionsOf(handler.target, handler.methodName)));
  }
  for (const handler of storage.fieldResolvers.filter(({ target }) => ours.has(target))) {
    const permissions = permissionsOf(handler.target, handler.methodName);
    const objectType = storage.resolverClasses.find((resolver) => resolver.target === handler.target)?.getObjectType?.();
    if (permissions && objectType) requirements.set(`${typeNameOf(objectType)}.${handler.schemaName}`, requirementOf(permissions));
  }
  for (const field of storage.fields) {
    const permissions = permissionsOf(field.target, field.name);
    if (permissions) requirements.set(`${typeNameOf(field.target)}.${field.schemaName}`, requirementOf(permissions));
  }

  const query = schema.getQueryType()!;
  const mutation = schema.getMutationType()!;
  const subscription = schema.getSubscriptionType()!;
  const requiresNote = "Each field's description ends with who may call it (`Requires: ...`); other callers get UNAUTHENTICATED (no credentials) or FORBIDDEN.";
  query.description = `Every read. ${requiresNote}`;
  mutation.description = `Every write. ${requiresNote}`;
  subscription.description = `Live updates, over GraphQL over Server-Sent Events at /graphql/stream (graphql-sse). ${requiresNote}`;
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const requirement = requirements.get(`${type.name}.${field.name}`);
      if (requirement) field.description = field.description ? `${field.description.replace(/\.?$/, ".")} ${requirement}` : requirement;
    }
  }
}
