import { execFileSync } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkSchemaChanges } from "../src/check.ts";

// Real git repositories in temporary folders, laid out as this one is: server/schema.graphql and CHANGELOG.md.
const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");
const EMPTY_CHANGELOG = "# Changelog\n\n## Unreleased\n\n### Breaking\n\n### Added\n";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function newRepository(): string {
  const root = mkdtempSync(path.join(tmpdir(), "schema-check-"));
  folders.push(root);
  mkdirSync(path.join(root, "server"));
  git(root, "init", "--quiet", "--initial-branch=main");
  return root;
}

const { GIT_DIR: _dir, GIT_WORK_TREE: _workTree, GIT_INDEX_FILE: _index, ...gitEnv } = process.env;
const git = (root: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], {
    cwd: root,
    env: gitEnv,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });

function write(root: string, files: { schema?: string; changelog?: string }) {
  if (files.schema !== undefined) writeFileSync(path.join(root, "server/schema.graphql"), fixture(files.schema));
  if (files.changelog !== undefined) writeFileSync(path.join(root, "CHANGELOG.md"), files.changelog);
}

function commit(root: string, message: string, files: { schema?: string; changelog?: string }) {
  write(root, files);
  git(root, "add", "-A");
  git(root, "commit", "--quiet", "-m", message);
}

/** A repository whose history has the old schema and an empty CHANGELOG.md. */
function repositoryWithPolicy(): string {
  const root = newRepository();
  commit(root, "Schema", { schema: "old.graphql" });
  commit(root, "Changelog", { changelog: EMPTY_CHANGELOG });
  return root;
}

const check = (root: string, ci = false) => checkSchemaChanges({ root, ci });

describe("the schema check on a git history", () => {
  it("fails on a committed breaking change that CHANGELOG.md does not list, naming the commit and each path", async () => {
    const root = repositoryWithPolicy();
    commit(root, "Money for prices", { schema: "breaking.graphql" });

    const result = await check(root);
    expect(result.ok).toBe(false);
    const report = result.report.join("\n");
    expect(report).toMatch(/✗ [0-9a-f]{10} Money for prices: breaking changes/);
    for (const key of ["Message.text", "Usage.planPrice", "Query.messages.tenantId"]) expect(report).toContain(`\`${key}\``);
  });

  it("passes once CHANGELOG.md lists them, committed or not", async () => {
    const root = repositoryWithPolicy();
    commit(root, "Money for prices", { schema: "breaking.graphql" });
    write(root, { changelog: fixture("changelog-listed.md") });

    expect(await check(root)).toMatchObject({ ok: true });
  });

  it("fails on an uncommitted breaking change, before it is committed", async () => {
    const root = repositoryWithPolicy();
    write(root, { schema: "breaking.graphql" });

    const result = await check(root);
    expect(result.ok).toBe(false);
    expect(result.report.join("\n")).toContain("✗ uncommitted changes to server/schema.graphql: breaking changes");
  });

  it("still catches a breaking commit followed by an additive one", async () => {
    const root = repositoryWithPolicy();
    commit(root, "Money for prices", { schema: "breaking.graphql" });
    appendFileSync(path.join(root, "server/schema.graphql"), "\ntype Extra {\n  id: ID!\n}\n");
    commit(root, "An additive change after it", {});
    expect(git(root, "log", "--format=%s", "-2")).toBe("An additive change after it\nMoney for prices\n");

    const result = await check(root);
    expect(result.ok).toBe(false);
    expect(result.report.join("\n")).toContain("Money for prices: breaking changes");
  });

  it("catches a breaking change brought in by a merge", async () => {
    const root = repositoryWithPolicy();
    git(root, "checkout", "--quiet", "-b", "feature");
    commit(root, "Money for prices", { schema: "breaking.graphql" });
    git(root, "checkout", "--quiet", "main");
    commit(root, "Meanwhile on main", { changelog: EMPTY_CHANGELOG + "\n" });
    git(root, "-c", "core.editor=true", "merge", "--quiet", "--no-ff", "-m", "Merge feature", "feature");

    const result = await check(root);
    expect(result.ok).toBe(false);
    expect(result.report.join("\n")).toContain("Merge feature: breaking changes");
  });

  it("passes an additive change and a dated deprecation, committed or not", async () => {
    for (const schema of ["additive.graphql", "deprecated.graphql"]) {
      const root = repositoryWithPolicy();
      write(root, { schema });
      expect(await check(root), `uncommitted ${schema}`).toMatchObject({ ok: true });
      commit(root, "The change", { schema });
      expect(await check(root), `committed ${schema}`).toMatchObject({ ok: true });
    }
  });

  it("passes a dangerous change (a new enum value) with a warning", async () => {
    const root = repositoryWithPolicy();
    commit(root, "DELIVERED", { schema: "dangerous.graphql" });

    const result = await check(root);
    expect(result.ok).toBe(true);
    expect(result.report.join("\n")).toMatch(/! [0-9a-f]{10} DELIVERED: dangerous: Enum value 'DELIVERED' was added/);
  });

  it("fails on a deprecation without a removal date", async () => {
    const root = repositoryWithPolicy();
    write(root, { schema: "deprecated-undated.graphql" });

    const result = await check(root);
    expect(result.ok).toBe(false);
    expect(result.report.join("\n")).toContain('deprecated without a removal date; end each reason with "Removal on YYYY-MM-DD":\n    Usage.planPrice');
  });

  it("does not judge schema changes made before CHANGELOG.md existed", async () => {
    const root = newRepository();
    commit(root, "Schema", { schema: "old.graphql" });
    commit(root, "Before the policy", { schema: "breaking.graphql" });
    commit(root, "Changelog", { changelog: EMPTY_CHANGELOG });

    expect(await check(root)).toMatchObject({ ok: true });
  });

  it("says what it could not check in a shallow clone: a warning locally, a failure in CI", async () => {
    const origin = repositoryWithPolicy();
    commit(origin, "Money for prices", { schema: "breaking.graphql" });
    const clone = mkdtempSync(path.join(tmpdir(), "schema-check-clone-"));
    folders.push(clone);
    git(tmpdir(), "clone", "--quiet", "--depth", "1", `file://${origin}`, clone);

    const local = await check(clone);
    expect(local.ok).toBe(true);
    expect(local.report.join("\n")).toMatch(/! not every schema change could be checked: this is a shallow clone.*git fetch --unshallow/);
    const ci = await check(clone, true);
    expect(ci.ok).toBe(false);
    expect(ci.report.join("\n")).toContain("✗ not every schema change could be checked: this is a shallow clone");
  });

  it("says so outside a git work tree: a warning locally, a failure in CI", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "schema-check-plain-"));
    folders.push(root);
    mkdirSync(path.join(root, "server"));
    write(root, { schema: "old.graphql", changelog: EMPTY_CHANGELOG });

    const local = await check(root);
    expect(local.ok).toBe(true);
    expect(local.report.join("\n")).toMatch(/git cannot read the history of .*not a git repository/);
    expect((await check(root, true)).ok).toBe(false);
  });
});
