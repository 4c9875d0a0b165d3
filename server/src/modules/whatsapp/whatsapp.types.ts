import { IsOptional, Length, Max, Min } from "class-validator";
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { ConnectionStatus, WhatsAppProvider } from "../../generated/prisma/enums.ts";
import { Node } from "../relay/node.types.ts";

registerEnumType(ConnectionStatus, {
  name: "ConnectionStatus",
  description: "Whether a WhatsApp number is connected",
  valuesConfig: {
    CONNECTED: { description: "Messages are sent from it and its inbound URL works; a tenant has at most one" },
    DISCONNECTED: { description: "Disconnected, or replaced by another number: nothing is sent from it, its inbound URL answers 404" },
  },
});
registerEnumType(WhatsAppProvider, {
  name: "WhatsAppProvider",
  description: "RAPIWA, or SANDBOX (development only) for `sandbox_` keys",
  valuesConfig: {
    RAPIWA: { description: "Rapiwa's WhatsApp API: messages really go out" },
    SANDBOX: { description: "The built-in sandbox (outside production, keys starting with `sandbox_`): sends succeed and nothing goes out" },
  },
});

@ObjectType({ implements: Node, description: "The tenant's WhatsApp number. Its provider key is stored encrypted and never returned." })
export class WhatsAppConnection implements Node {
  @Field(() => ID, { description: "This connection's id: connecting another number (or the same one after disconnecting) makes a new connection" })
  id!: string;
  @Field(() => String, { description: "E.164" }) number!: string;
  @Field(() => ConnectionStatus, { description: "CONNECTED, or DISCONNECTED" }) status!: ConnectionStatus;
  @Field(() => WhatsAppProvider, { description: "Who sends for it, chosen by its key" }) provider!: WhatsAppProvider;
  @Field(() => Int, { description: "Sends per second to this number's provider, at most" }) sendRatePerSecond!: number;
  @Field(() => Date, { description: "When it was connected, or last given a new key" }) connectedAt!: Date;
  @Field(() => Date, { nullable: true, description: "When it was disconnected (or replaced); null while CONNECTED" }) disconnectedAt!: Date | null;
  /** Internal: `inboundWebhookUrl` is resolved from it for those allowed to see it. */
  inboundTokenCiphertext!: string;
}

@InputType({ description: "A WhatsApp number and its provider key" })
export class ConnectWhatsAppInput {
  @Field(() => String, {
    description: "The number's Rapiwa API key (device key; `sandbox_...` for the sandbox outside production): 1 to 500 characters, stored encrypted",
  })
  @Length(1, 500, { message: "Paste the number's Rapiwa API key." })
  apiKey!: string;
  @Field(() => String, { description: "E.164, or digits with the country code (8801712345678)" })
  @Length(1, 40, { message: "Enter the WhatsApp number with its country code." })
  number!: string;
  @Field(() => Int, {
    nullable: true,
    description: "The most sends per second to the provider: 1 to 1,000; omitted: the connected number's current rate, else 20",
  })
  @IsOptional()
  @Min(1, { message: "Send at least 1 message per second." })
  @Max(1000, { message: "Send at most 1,000 messages per second." })
  sendRatePerSecond?: number | null;
}
