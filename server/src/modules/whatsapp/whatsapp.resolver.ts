import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { Permission } from "../../graphql/auth-checker.ts";
import { tenantPrincipalOf, type GraphQLContext } from "../../graphql/context.ts";
import { Tenant } from "../tenants/tenant.types.ts";
import { ConnectWhatsAppInput, WhatsAppConnection } from "./whatsapp.types.ts";
import { connectWhatsApp, disconnectWhatsApp, getWhatsAppConnection } from "./whatsapp.service.ts";

@Resolver(() => Tenant)
export class WhatsAppResolver {
  @Authorized(Permission.WHATSAPP_MANAGE)
  @Mutation(() => WhatsAppConnection, {
    description: "Checks the key by sending a confirmation message to the number, then stores it encrypted. A failed check saves nothing.",
  })
  connectWhatsApp(@Arg("input", () => ConnectWhatsAppInput) input: ConnectWhatsAppInput, @Ctx() context: GraphQLContext): Promise<WhatsAppConnection> {
    return connectWhatsApp(context.whatsapp, tenantPrincipalOf(context), input);
  }

  @Authorized(Permission.WHATSAPP_MANAGE)
  @Mutation(() => WhatsAppConnection, { description: "Queued messages for the number fail instead of being sent" })
  disconnectWhatsApp(@Ctx() context: GraphQLContext): Promise<WhatsAppConnection> {
    return disconnectWhatsApp(context.whatsapp, tenantPrincipalOf(context));
  }

  @Authorized(Permission.TENANT_READ)
  @FieldResolver(() => WhatsAppConnection, { nullable: true, description: "The connected number (or the last one, disconnected)" })
  whatsapp(@Root() tenant: Tenant, @Ctx() context: GraphQLContext): Promise<WhatsAppConnection | null> {
    // The root is the caller's own tenant (the only one `tenant` returns); scope by the principal anyway.
    const { tenantId } = tenantPrincipalOf(context);
    if (tenant.id !== tenantId) return Promise.resolve(null);
    return getWhatsAppConnection(context.whatsapp, tenantId);
  }
}
