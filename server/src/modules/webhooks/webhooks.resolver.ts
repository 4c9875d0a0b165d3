import { Arg, Args, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../../graphql/context.ts";
import { CurrentTenant } from "../../graphql/current-principal.ts";
import { Permission } from "../auth/permissions.ts";
import type { TenantPrincipal } from "../auth/principal.ts";
import { PageArgs } from "../relay/pagination.types.ts";
import { listWebhookDeliveries } from "./deliveries.queries.ts";
import { recoverWebhookDeliveries, redeliverWebhook, sendTestWebhook } from "./deliveries.service.ts";
import {
  CreateWebhookEndpointInput,
  UpdateWebhookEndpointInput,
  WebhookDelivery,
  WebhookDeliveryConnection,
  WebhookDeliveryFilter,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
} from "./webhook.types.ts";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookEndpoints,
  rotateWebhookSecret,
  updateWebhookEndpoint,
} from "./webhooks.service.ts";

@Resolver()
export class WebhooksResolver {
  @Authorized(Permission.WEBHOOKS_MANAGE)
  @Query(() => [WebhookEndpoint], { description: "This tenant's webhook endpoints, newest first" })
  webhookEndpoints(@Ctx() context: GraphQLContext, @CurrentTenant() actor: TenantPrincipal): Promise<WebhookEndpoint[]> {
    return listWebhookEndpoints(context.webhooks.db, actor);
  }

  @Authorized(Permission.WEBHOOKS_MANAGE)
  @Query(() => WebhookEndpoint, { nullable: true, description: "Null when this tenant has no such endpoint" })
  webhookEndpoint(
    @Arg("id", () => ID, { description: "The endpoint's id (WebhookEndpoint.id)" }) id: string,
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
  ): Promise<WebhookEndpoint | null> {
    return getWebhookEndpoint(context.webhooks.db, actor, id);
  }

  @Authorized(Permission.WEBHOOKS_MANAGE)
  @Query(() => WebhookDeliveryConnection, { description: "An endpoint's deliveries, newest first; cursor-paged both ways" })
  webhookDeliveries(
    @Arg("endpointId", () => ID, { description: "The endpoint's id (WebhookEndpoint.id)" }) endpointId: string,
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => WebhookDeliveryFilter, { nullable: true, description: "Only deliveries matching every condition given; omitted: all" })
    filter?: WebhookDeliveryFilter,
  ): Promise<WebhookDeliveryConnection> {
    return listWebhookDeliveries(context.webhooks.db, actor, endpointId, filter ?? {}, page);
  }

  @Authorized(Permission.WEBHOOKS_MANAGE)
  @Mutation(() => WebhookEndpointWithSecret, { description: "At most 20 per tenant. The signing secret is returned only here (and by rotateWebhookSecret)." })
  createWebhookEndpoint(
    @Arg("input", () => CreateWebhookEndpointInput, { description: "URL, events and description" }) input: CreateWebhookEndpointInput,
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
  ): Promise<WebhookEndpointWithSecret> {
    return createWebhookEndpoint(context.webhooks, actor, input);
  }

  @Authorized(Permission.WEBHOOKS_MANAGE)
  @Mutation(() => WebhookEndpoint, { description: "Changes the fields given in input and leaves the others as they are" })
  updateWebhookEndpoint(
    @Arg("id", () => ID, { description: "The endpoint's id (WebhookEndpoint.id)" }) id: string,
    @Arg("input", () => UpdateWebhookEndpointInput, { description: "The fields to change" }) input: UpdateWebhookEndpointInput,
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
  ): Promise<WebhookEndpoint> {
    return updateWebhookEndpoint(context.webhooks, actor, id, input);
  }

  @Authorized(Permission.WEBHOOKS_MANAGE)
  @Mutation(() => Boolean, { description: "Deletes the endpoint and its deliveries; what was pending is not sent" })
  deleteWebhookEndpoint(
    @Arg("id", () => ID, { description: "The endpoint's id (WebhookEndpoint.id)" }) id: string,
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
  ): Promise<boolean> {
    return deleteWebhookEndpoint(context.webhooks.db, actor, id);
  }

  @Authorized(Permission.WEBHOOKS_MANAGE)
  @Mutation(() => WebhookEndpointWithSecret, {
    description: "A new signing secret, shown only here. The previous one keeps signing beside it for 24 hours, so receivers can switch without losing events.",
  })
  rotateWebhookSecret(
    @Arg("id", () => ID, { description: "The endpoint's id (WebhookEndpoint.id)" }) id: string,
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
  ): Promise<WebhookEndpointWithSecret> {
    return rotateWebhookSecret(context.webhooks, actor, id);
  }

  @Authorized(Permission.WEBHOOKS_MANAGE)
  @Mutation(() => WebhookDelivery, { description: "Delivers the event again (same webhook-id), whatever the delivery's status" })
  redeliverWebhook(
    @Arg("id", () => ID, { description: "The delivery's id (WebhookDelivery.id)" }) id: string,
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
  ): Promise<WebhookDelivery> {
    return redeliverWebhook(context.webhooks.db, actor, id);
  }

  @Authorized(Permission.WEBHOOKS_MANAGE)
  @Mutation(() => Int, { description: "Delivers again every FAILED delivery of the endpoint created since then; returns how many were queued" })
  recoverWebhookDeliveries(
    @Arg("endpointId", () => ID, { description: "The endpoint's id (WebhookEndpoint.id)" }) endpointId: string,
    @Arg("since", () => Date, { description: "Deliveries created at or after this time (inclusive)" }) since: Date,
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
  ): Promise<number> {
    return recoverWebhookDeliveries(context.webhooks.db, actor, endpointId, since);
  }

  @Authorized(Permission.WEBHOOKS_MANAGE)
  @Mutation(() => WebhookDelivery, { description: "Queues a signed `test` event to the endpoint (enabled ones only), whatever events it subscribed to" })
  sendTestWebhook(
    @Arg("endpointId", () => ID, { description: "The endpoint's id (WebhookEndpoint.id)" }) endpointId: string,
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
  ): Promise<WebhookDelivery> {
    return sendTestWebhook(context.webhooks.db, actor, endpointId);
  }
}
