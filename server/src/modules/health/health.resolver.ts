import { Ctx, Query, registerEnumType, Resolver } from "type-graphql";
import type { GraphQLContext } from "../../graphql/context.ts";
import { checkHealth, HealthStatus, PING_TIMEOUT_MS } from "./health.service.ts";

registerEnumType(HealthStatus, {
  name: "HealthStatus",
  description: "Whether the API can serve requests",
  valuesConfig: {
    OK: { description: "The database answered: requests are served" },
    DEGRADED: {
      description: `The database did not answer within ${PING_TIMEOUT_MS / 1000} s: requests that need it are answered UNAVAILABLE until it is back`,
    },
  },
});

@Resolver()
export class HealthResolver {
  @Query(() => HealthStatus, { description: "OK when the API and its database answer; DEGRADED when the database does not" })
  async health(@Ctx() { db, outage }: GraphQLContext): Promise<HealthStatus> {
    return (await checkHealth(db, outage)).status;
  }
}
