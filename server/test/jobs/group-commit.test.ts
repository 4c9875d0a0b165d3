import { describe, expect, it } from "vitest";
import { createGroupCommit, type GroupCommitOptions } from "../../src/jobs/group-commit.ts";

/**
 * A group commit whose statements finish only when the test says so, recording what each held.
 * Group commit is about what arrives *while* a statement is in flight, and only a statement held
 * open by the test makes that interleaving certain. Its use on the real database is tested with
 * the send outcomes (test/messaging/send-outcomes.test.ts) and the accept path.
 */
function controlledGroupCommit(options?: GroupCommitOptions) {
  const statements: { tenantId: string; ids: string[]; finish(error?: Error): void }[] = [];
  const commit = createGroupCommit<string, string>(
    (tenantId, ids) =>
      new Promise((resolve, reject) => {
        statements.push({ tenantId, ids, finish: (error) => (error ? reject(error) : resolve(ids.map((id) => `stored ${id}`))) });
      }),
    options,
  );
  return { recorder: { record: (tenantId: string, id: string) => commit.submit(tenantId, id) }, statements, commit };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("group commit", () => {
  it("records a lone outcome at once, and what arrives during a commit together in the next one", async () => {
    const { recorder, statements } = controlledGroupCommit();
    const settled: string[] = [];
    const record = (tenantId: string, id: string) => recorder.record(tenantId, id).then(() => settled.push(id));

    const first = record("t1", "a");
    await turn();
    expect(statements.map((s) => s.ids)).toEqual([["a"]]);

    // While "a" commits, three more arrive: one statement for all three once "a" is done.
    const rest = [record("t1", "b"), record("t1", "c"), record("t1", "d")];
    await turn();
    expect(statements).toHaveLength(1);
    statements[0]!.finish();
    await first;
    await turn();
    expect(statements.map((s) => s.ids)).toEqual([["a"], ["b", "c", "d"]]);
    expect(settled).toEqual(["a"]);
    statements[1]!.finish();
    await Promise.all(rest);
    expect(settled).toEqual(["a", "b", "c", "d"]);
  });

  it("keeps tenants apart and fails only the callers of a failed statement", async () => {
    const { recorder, statements } = controlledGroupCommit();
    const one = recorder.record("t1", "a");
    const two = recorder.record("t2", "b");
    await turn();
    expect(statements.map((s) => [s.tenantId, s.ids])).toEqual([
      ["t1", ["a"]],
      ["t2", ["b"]],
    ]);
    statements[0]!.finish(new Error("database down"));
    statements[1]!.finish();
    await expect(one).rejects.toThrow("database down");
    await expect(two).resolves.toBe("stored b");

    // The failed tenant's next outcome goes out normally.
    const again = recorder.record("t1", "c");
    await turn();
    expect(statements[2]!.ids).toEqual(["c"]);
    statements[2]!.finish();
    await expect(again).resolves.toBe("stored c");
  });

  it("gives each caller its own row's result, and caps a statement at maxBatch rows", async () => {
    const { recorder, statements } = controlledGroupCommit({ maxBatch: 2 });
    const first = recorder.record("t1", "a");
    await turn();
    const rest = ["b", "c", "d"].map((id) => recorder.record("t1", id));
    statements[0]!.finish();
    await expect(first).resolves.toBe("stored a");
    await turn();
    expect(statements.map((s) => s.ids)).toEqual([["a"], ["b", "c"]]);
    statements[1]!.finish();
    await turn();
    expect(statements.map((s) => s.ids)).toEqual([["a"], ["b", "c"], ["d"]]);
    statements[2]!.finish();
    await expect(Promise.all(rest)).resolves.toEqual(["stored b", "stored c", "stored d"]);
  });

  it("runs up to maxInFlight statements of a group at once", async () => {
    const { recorder, statements, commit } = controlledGroupCommit({ maxInFlight: 2 });
    const a = recorder.record("t1", "a");
    await turn();
    const b = recorder.record("t1", "b");
    await turn();
    // "a" is still in flight: with two allowed, "b" does not wait for it.
    expect(statements.map((s) => s.ids)).toEqual([["a"], ["b"]]);
    const c = recorder.record("t1", "c");
    await turn();
    expect(statements).toHaveLength(2);
    let settled = false;
    void commit.settled().then(() => (settled = true));
    statements[1]!.finish();
    await b;
    await turn();
    expect(statements.map((s) => s.ids)).toEqual([["a"], ["b"], ["c"]]);
    statements[0]!.finish();
    statements[2]!.finish();
    await Promise.all([a, c]);
    await turn();
    expect(settled).toBe(true);
  });
});
