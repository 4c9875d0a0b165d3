import { registerEnumType } from "type-graphql";
import { ApiKeyScope, MembershipRole, Plan, PlatformRole } from "../generated/prisma/enums.ts";
import { usdFromCents } from "../modules/usage/money.ts";
import { PROVIDER_COST_PER_NUMBER_CENTS, TIERS } from "../modules/usage/tiers.ts";

registerEnumType(MembershipRole, {
  name: "MembershipRole",
  description: "A person's role in a tenant (sessions act with it; API keys have scopes instead). OWNER and ADMIN manage the team and API keys",
  valuesConfig: {
    OWNER: { description: "Everything ADMIN may do, and making, inviting, changing or removing owners. A tenant always keeps at least one" },
    ADMIN: { description: "Manages the team, API keys, the WhatsApp connection and webhooks; sends and reads messages and usage" },
    MEMBER: { description: "Sends and reads messages, reads usage and sees the team; manages nothing" },
  },
});

registerEnumType(ApiKeyScope, {
  name: "ApiKeyScope",
  description: "What an API key may do; a key may hold several. Each operation's description names the scopes it accepts",
  valuesConfig: {
    MESSAGES_SEND: { description: "Send messages (sendMessage, and REST POST /api/v1/send-message) and read the message log" },
    MESSAGES_READ: { description: "Read the message log and conversations; cannot send" },
    USAGE_READ: { description: "Read the month's usage and bill" },
    TENANT_ADMIN: {
      description: "Manage API keys (of any scope: give it only to admin tooling), the team, the WhatsApp connection and webhooks; read the team",
    },
  },
});

registerEnumType(PlatformRole, {
  name: "PlatformRole",
  description: "A Switchboard employee's role outside every tenant (granted with `npm run staff -w server`); tenants' own people have none",
  valuesConfig: {
    SUPPORT: { description: "Reads message logs across tenants through the support console, each read audited and shown to the tenant; changes nothing" },
    SUPERADMIN: { description: "Everything SUPPORT may do; not limited to reads (no platform writes exist yet)" },
  },
});

const count = (n: number) => n.toLocaleString("en-US");
const tierRange = (index: number) => {
  const { upTo } = TIERS[index]!;
  return Number.isFinite(upTo) ? `Up to ${count(upTo)}` : `More than ${count(TIERS[index - 1]!.upTo)}`;
};
registerEnumType(Plan, {
  name: "Plan",
  description: `A pricing tier, by the month's billable messages (outbound messages the provider accepted); each connected number adds ${usdFromCents(PROVIDER_COST_PER_NUMBER_CENTS).amount} USD a month`,
  valuesConfig: Object.fromEntries(
    TIERS.map((tier, index) => [tier.tier, { description: `${tierRange(index)} billable messages a month: ${usdFromCents(tier.priceCents).amount} USD` }]),
  ),
});

export { ApiKeyScope, MembershipRole, Plan, PlatformRole };
