import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCode, expectData, signUp, startTestApi, type TestApi } from "../support/api.ts";

/** pricing: the tiers and the price per number, so the billing page shows progress without copying prices. */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

describe("pricing", () => {
  it("lists the tiers cheapest first and the price per connected number, as bills use them", async () => {
    const owner = await signUp(api, "pricing");
    const { pricing } = expectData(
      await api.graphql(
        `{ pricing { tiers { tier upTo price { amount currencyCode } } perConnectedNumber { amount currencyCode } } }`,
        {},
        { token: owner.token },
      ),
    );
    expect(pricing).toEqual({
      tiers: [
        { tier: "STARTER", upTo: 1_000, price: { amount: "29.00", currencyCode: "USD" } },
        { tier: "GROWTH", upTo: 5_000, price: { amount: "79.00", currencyCode: "USD" } },
        { tier: "SCALE", upTo: null, price: { amount: "199.00", currencyCode: "USD" } },
      ],
      perConnectedNumber: { amount: "5.00", currencyCode: "USD" },
    });
    expect(errorCode(await api.graphql(`{ pricing { perConnectedNumber { amount } } }`))).toBe("UNAUTHENTICATED");
  });
});
