import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { listedBreakingChanges } from "../src/changelog.ts";
import { changeKey, compareSchemas, deprecationsWithoutRemovalDate } from "../src/compare.ts";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");
const old = fixture("old.graphql");
const nothingListed = new Set<string>();

/** The paths of the breaking changes from old.graphql to `schema` that `changelog` does not list. */
async function unlisted(schema: string, changelog?: string): Promise<string[]> {
  const comparison = await compareSchemas(old, fixture(schema), changelog ? listedBreakingChanges(fixture(changelog)) : nothingListed);
  return comparison.unlisted.map(changeKey).sort();
}

describe("breaking changes against CHANGELOG.md", () => {
  it("catches a removed field, a changed type and an added required argument when nothing lists them", async () => {
    expect(await unlisted("breaking.graphql")).toEqual(["Message.text", "Query.messages.tenantId", "Usage.planPrice"]);
  });

  it("passes the same changes once CHANGELOG.md lists each path under Unreleased / Breaking", async () => {
    expect(await unlisted("breaking.graphql", "changelog-listed.md")).toEqual([]);
  });

  it("counts a listing under a released version's Breaking section, in sub-headings too", async () => {
    expect(await unlisted("breaking.graphql", "changelog-released.md")).toEqual([]);
  });

  it("does not count a path outside backticks, under another heading, or inside a code block", async () => {
    expect(await unlisted("breaking.graphql", "changelog-partial.md")).toEqual(["Message.text", "Query.messages.tenantId"]);
  });

  it("passes additive changes: new fields, types, optional arguments and optional input fields", async () => {
    const comparison = await compareSchemas(old, fixture("additive.graphql"), nothingListed);
    expect(comparison.breaking).toEqual([]);
    expect(comparison.unlisted).toEqual([]);
  });

  it("passes a deprecation with its replacement beside it", async () => {
    const comparison = await compareSchemas(old, fixture("deprecated.graphql"), nothingListed);
    expect(comparison.breaking).toEqual([]);
    expect(deprecationsWithoutRemovalDate(fixture("deprecated.graphql"))).toEqual([]);
  });

  it("names a deprecation whose reason has no removal date", () => {
    expect(deprecationsWithoutRemovalDate(fixture("deprecated-undated.graphql"))).toEqual(["Usage.planPrice"]);
  });

  it("reports a dangerous change (a new enum value) as dangerous, not breaking", async () => {
    const comparison = await compareSchemas(old, fixture("dangerous.graphql"), nothingListed);
    expect(comparison.breaking).toEqual([]);
    expect(comparison.dangerous.map(changeKey)).toEqual(["MessageStatus.DELIVERED"]);
  });
});
