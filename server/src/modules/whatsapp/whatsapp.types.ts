import { IsOptional, Length, Max, Min } from "class-validator";
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { ConnectionStatus, WhatsAppProvider } from "../../generated/prisma/enums.ts";
import { Node } from "../shared/node.types.ts";

registerEnumType(ConnectionStatus, { name: "ConnectionStatus" });
registerEnumType(WhatsAppProvider, { name: "WhatsAppProvider", description: "RAPIWA, or SANDBOX (development only) for `sandbox_` keys" });

@ObjectType({ implements: Node, description: "The tenant's WhatsApp number. Its provider key is stored encrypted and never returned." })
export class WhatsAppConnection implements Node {
  @Field(() => ID, { description: "This connection's id: connecting another number (or the same one after disconnecting) makes a new connection" })
  id!: string;
  @Field(() => String, { description: "E.164" }) number!: string;
  @Field(() => ConnectionStatus) status!: ConnectionStatus;
  @Field(() => WhatsAppProvider) provider!: WhatsAppProvider;
  @Field(() => Int, { description: "Sends per second to this number's provider, at most" }) sendRatePerSecond!: number;
  @Field(() => Date) connectedAt!: Date;
  @Field(() => Date, { nullable: true }) disconnectedAt!: Date | null;
  /** Internal: `inboundWebhookUrl` is resolved from it for those allowed to see it. */
  inboundTokenCiphertext!: string;
}

@InputType()
export class ConnectWhatsAppInput {
  @Field(() => String, { description: "The number's Rapiwa API key (device key)" })
  @Length(1, 500, { message: "Paste the number's Rapiwa API key." })
  apiKey!: string;
  @Field(() => String, { description: "E.164, or digits with the country code (8801712345678)" })
  @Length(1, 40, { message: "Enter the WhatsApp number with its country code." })
  number!: string;
  @Field(() => Int, { nullable: true, description: "Default 20" })
  @IsOptional()
  @Min(1, { message: "Send at least 1 message per second." })
  @Max(1000, { message: "Send at most 1,000 messages per second." })
  sendRatePerSecond?: number | null;
}
