import { Ctx, Query, registerEnumType, Resolver } from "type-graphql";
import type { GraphQLContext } from "../../graphql/context.ts";
import { checkHealth, HealthStatus } from "./health.service.ts";

registerEnumType(HealthStatus, { name: "HealthStatus", description: "Whether the API can serve requests" });

@Resolver()
export class HealthResolver {
  @Query(() => HealthStatus, { description: "OK when the API and its database answer; DEGRADED when the database does not" })
  async health(@Ctx() { db, outage }: GraphQLContext): Promise<HealthStatus> {
    return (await checkHealth(db, outage)).status;
  }
}
