import { describe, expect, it } from "vitest";
import { exportHref, filterOf, pageVariables, validateMessageLogSearch } from "./search.ts";

describe("the message log's URL search", () => {
  it("keeps what it can read and drops the rest", () => {
    expect(
      validateMessageLogSearch({
        direction: "INBOUND",
        status: ["FAILED", "NOPE", "FAILED", "READ"],
        contact: " +8801711000001 ",
        q: "parcel",
        from: "2026-11-01",
        to: "2026-11-31x",
        message: "abc",
      }),
    ).toEqual({ direction: "INBOUND", status: ["READ", "FAILED"], contact: "+8801711000001", q: "parcel", from: "2026-11-01", message: "abc" });
    expect(validateMessageLogSearch({ direction: "UP", status: "SENT", q: "  ", after: "c1", before: "c0" })).toEqual({ status: ["SENT"], after: "c1" });
  });

  it("becomes the server's filter, with dates as whole UTC days", () => {
    expect(filterOf({ direction: "OUTBOUND", status: ["SENT", "READ"], contact: "+1", q: "hi", from: "2026-02-28", to: "2026-02-28" })).toEqual({
      direction: "OUTBOUND",
      statuses: ["SENT", "READ"],
      contact: "+1",
      search: "hi",
      createdAfter: "2026-02-28T00:00:00.000Z",
      createdBefore: "2026-03-01T00:00:00.000Z",
    });
    expect(pageVariables({ q: "x", before: "cursor" })).toEqual({ filter: { search: "x" }, last: 50, before: "cursor" });
    expect(pageVariables({ after: "cursor" })).toEqual({ filter: {}, first: 50, after: "cursor" });
  });

  it("gives the export link the same filters, and the chosen tenant", () => {
    expect(exportHref({}, null)).toBe("/api/v1/messages.csv");
    const href = exportHref({ direction: "INBOUND", status: ["FAILED", "UNKNOWN"], contact: "+8801711000001", q: "a&b", to: "2026-12-31", after: "c" }, "t-1");
    const params = new URL(href, "http://x").searchParams;
    expect([...params.entries()]).toEqual([
      ["direction", "INBOUND"],
      ["status", "FAILED"],
      ["status", "UNKNOWN"],
      ["contact", "+8801711000001"],
      ["search", "a&b"],
      ["createdBefore", "2027-01-01T00:00:00.000Z"],
      ["tenant", "t-1"],
    ]);
  });
});
