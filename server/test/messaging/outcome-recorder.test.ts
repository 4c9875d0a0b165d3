import type pg from "pg";
import { describe, expect, it } from "vitest";
import { createOutcomeRecorder, type SendOutcomeRow } from "../../src/modules/messages/outcome-recorder.ts";

/** A pool whose statements finish only when the test says so, recording what was sent. */
function controlledPool() {
  const statements: { tenantId: string; ids: string[]; finish(error?: Error): void }[] = [];
  const pool = {
    query(_sql: string, [tenantId, json]: [string, string]) {
      return new Promise((resolve, reject) => {
        const ids = (JSON.parse(json) as SendOutcomeRow[]).map((row) => row.id);
        statements.push({ tenantId, ids, finish: (error) => (error ? reject(error) : resolve({ rows: [] })) });
      });
    },
  } as unknown as pg.Pool;
  return { pool, statements };
}

const sent = (id: string): SendOutcomeRow => ({ id, status: "SENT", provider_message_id: `p-${id}`, error: null, retry_in_ms: 0, detail: null });
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("outcome recorder (group commit)", () => {
  it("records a lone outcome at once, and what arrives during a commit together in the next one", async () => {
    const { pool, statements } = controlledPool();
    const recorder = createOutcomeRecorder(pool);
    const settled: string[] = [];
    const record = (tenantId: string, id: string) => recorder.record(tenantId, sent(id)).then(() => settled.push(id));

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
    const { pool, statements } = controlledPool();
    const recorder = createOutcomeRecorder(pool);
    const one = recorder.record("t1", sent("a"));
    const two = recorder.record("t2", sent("b"));
    await turn();
    expect(statements.map((s) => [s.tenantId, s.ids])).toEqual([
      ["t1", ["a"]],
      ["t2", ["b"]],
    ]);
    statements[0]!.finish(new Error("database down"));
    statements[1]!.finish();
    await expect(one).rejects.toThrow("database down");
    await expect(two).resolves.toBeUndefined();

    // The failed tenant's next outcome goes out normally.
    const again = recorder.record("t1", sent("c"));
    await turn();
    expect(statements[2]!.ids).toEqual(["c"]);
    statements[2]!.finish();
    await expect(again).resolves.toBeUndefined();
  });
});
