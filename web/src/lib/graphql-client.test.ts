import { beforeEach, describe, expect, it, vi } from "vitest";
import { graphql } from "../graphql/gql.ts";
import { fakeGraphQLFetch, graphQLError } from "../test/render.tsx";
import { executeGraphQL, GraphQLRequestError } from "./graphql-client.ts";
import { selectedTenantId, selectTenant } from "./tenant-selection.ts";

const HealthQuery = graphql(`
  query ClientTestHealth {
    health
  }
`);

beforeEach(() => localStorage.clear());

describe("executeGraphQL", () => {
  it("keeps what the server says about an error: code, field, retry delay and the request's reference", async () => {
    const server = fakeGraphQLFetch(() => ({
      ...graphQLError("RATE_LIMITED", "Too many attempts. Try again in 7 s.", { retryAfterSeconds: 7, field: "input.email" }),
      headers: { "x-request-id": "req-123" },
    }));
    vi.stubGlobal("fetch", server.fetch);
    const error = await executeGraphQL(HealthQuery).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GraphQLRequestError);
    expect(error).toMatchObject({
      message: "Too many attempts. Try again in 7 s.",
      code: "RATE_LIMITED",
      field: "input.email",
      retryAfterSeconds: 7,
      requestId: "req-123",
    });
  });

  it("reads an unknown code as INTERNAL and a request that got no answer as NETWORK", async () => {
    vi.stubGlobal("fetch", fakeGraphQLFetch(() => graphQLError("SOMETHING_NEW", "?")).fetch);
    await expect(executeGraphQL(HealthQuery)).rejects.toMatchObject({ code: "INTERNAL" });
    vi.stubGlobal("fetch", () => Promise.reject(new TypeError("Failed to fetch")));
    await expect(executeGraphQL(HealthQuery)).rejects.toMatchObject({ code: "NETWORK" });
    vi.stubGlobal("fetch", fakeGraphQLFetch(() => ({ status: 502, body: "<html>Bad gateway</html>" })).fetch);
    await expect(executeGraphQL(HealthQuery)).rejects.toMatchObject({ code: "NETWORK" });
  });

  it("sends the chosen tenant as X-Tenant-Id, and nothing when none is chosen", async () => {
    const server = fakeGraphQLFetch(() => ({ body: { data: { health: "OK" } } }));
    vi.stubGlobal("fetch", server.fetch);
    await executeGraphQL(HealthQuery);
    selectTenant("0192e0c4-0000-7000-8000-000000000002");
    await executeGraphQL(HealthQuery);
    expect(server.requests.map((request) => request.headers.get("x-tenant-id"))).toEqual([null, "0192e0c4-0000-7000-8000-000000000002"]);
  });

  it("forgets a chosen tenant the person no longer belongs to, and asks again for their default one", async () => {
    selectTenant("0192e0c4-0000-7000-8000-00000000dead");
    const server = fakeGraphQLFetch((request) =>
      request.headers.get("x-tenant-id")
        ? graphQLError("BAD_USER_INPUT", "X-Tenant-Id must be the id of one of your tenants.", { field: "X-Tenant-Id" })
        : { body: { data: { health: "OK" } } },
    );
    vi.stubGlobal("fetch", server.fetch);
    await expect(executeGraphQL(HealthQuery)).resolves.toEqual({ health: "OK" });
    expect(server.requests).toHaveLength(2);
    expect(selectedTenantId()).toBeNull();
  });
});
