import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import type { GraphQLContext } from "../../graphql/context.ts";
import { CurrentTenant } from "../../graphql/current-principal.ts";
import { Permission } from "../auth/permissions.ts";
import type { TenantPrincipal } from "../auth/principal.ts";
import { Tenant } from "../tenants/tenant.types.ts";
import { ConnectWhatsAppInput, WhatsAppConnection } from "./whatsapp.types.ts";
import { connectWhatsApp, disconnectWhatsApp, getWhatsAppConnection, inboundWebhookUrl, rotateInboundWebhookToken } from "./whatsapp.service.ts";

@Resolver(() => Tenant)
export class WhatsAppResolver {
  // The dashboard offers "try the sandbox" only where it would work.
  @Query(() => Boolean, {
    description:
      "Whether this server offers the sandbox provider (API keys starting `sandbox_`: nothing is really sent). False in production, where every key goes to Rapiwa.",
  })
  sandboxAvailable(@Ctx() context: GraphQLContext): boolean {
    return context.whatsapp.providers.sandboxEnabled;
  }

  @Authorized(Permission.WHATSAPP_MANAGE)
  @Mutation(() => WhatsAppConnection, {
    description:
      "Checks the key by sending a confirmation message to the number, then stores it encrypted. A failed check saves nothing. Another connected number is disconnected (replaced); the same number keeps its inbound URL and queued messages.",
  })
  connectWhatsApp(
    @Arg("input", () => ConnectWhatsAppInput, { description: "The number, its Rapiwa key and the send rate" }) input: ConnectWhatsAppInput,
    @Ctx() context: GraphQLContext,
    @CurrentTenant() actor: TenantPrincipal,
  ): Promise<WhatsAppConnection> {
    return connectWhatsApp(context.whatsapp, actor, input);
  }

  @Authorized(Permission.WHATSAPP_MANAGE)
  @Mutation(() => WhatsAppConnection, { description: "Queued messages for the number fail instead of being sent" })
  disconnectWhatsApp(@Ctx() context: GraphQLContext, @CurrentTenant() actor: TenantPrincipal): Promise<WhatsAppConnection> {
    return disconnectWhatsApp(context.whatsapp, actor);
  }

  @Authorized(Permission.WHATSAPP_MANAGE)
  @Mutation(() => WhatsAppConnection, {
    description: "A new secret inbound URL for the connected number: the old one stops working at once. Paste the new one into Rapiwa.",
  })
  rotateInboundWebhookToken(@Ctx() context: GraphQLContext, @CurrentTenant() actor: TenantPrincipal): Promise<WhatsAppConnection> {
    return rotateInboundWebhookToken(context.whatsapp, actor);
  }

  @Authorized(Permission.TENANT_READ)
  @FieldResolver(() => WhatsAppConnection, { nullable: true, description: "The connected number (or the last one, disconnected)" })
  whatsapp(@Root() tenant: Tenant, @Ctx() context: GraphQLContext, @CurrentTenant() { tenantId }: TenantPrincipal): Promise<WhatsAppConnection | null> {
    // The root is the caller's own tenant (the only one `tenant` returns); scope by the principal anyway.
    if (tenant.id !== tenantId) return Promise.resolve(null);
    return getWhatsAppConnection(context.whatsapp, tenantId);
  }
}

@Resolver(() => WhatsAppConnection)
export class WhatsAppConnectionResolver {
  // Whoever holds the URL can add inbound messages and receipts to the tenant's log: admins only.
  @Authorized(Permission.WHATSAPP_MANAGE)
  @FieldResolver(() => String, {
    nullable: true,
    description:
      "Paste this into Rapiwa's webhook setting: incoming messages and receipts arrive here. A secret: whoever has it can add to the message log. Null once disconnected (the URL stops working then). Others get FORBIDDEN on this field, with the rest of the answer.",
  })
  inboundWebhookUrl(@Root() connection: WhatsAppConnection, @Ctx() context: GraphQLContext): string | null {
    return inboundWebhookUrl(context.whatsapp, connection);
  }
}
