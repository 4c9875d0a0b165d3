import { registerEnumType } from "type-graphql";
import { ApiKeyScope, MembershipRole, Plan } from "../generated/prisma/enums.ts";

registerEnumType(MembershipRole, { name: "MembershipRole", description: "OWNER and ADMIN manage the team and API keys" });
registerEnumType(ApiKeyScope, { name: "ApiKeyScope", description: "What an API key may do" });
registerEnumType(Plan, { name: "Plan" });

export { ApiKeyScope, MembershipRole, Plan };
