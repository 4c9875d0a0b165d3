import { describe, expect, it } from "vitest";
import { createSendPacer } from "../../src/modules/messages/send-pacer.ts";

/** Per-number pacing (README, "Sending"): a number's rate is never exceeded, a burst is one second's worth. */

function pacerAt(start = 1_000) {
  let clock = start;
  const pacer = createSendPacer(() => clock);
  return { pacer, advance: (ms: number) => (clock += ms) };
}

describe("send pacer", () => {
  it("lets one probe through for a number it has not seen", () => {
    const { pacer } = pacerAt();
    expect(pacer.allowance("c1")).toEqual({ count: 1, waitMs: 0 });
  });

  it("allows a burst of one second's worth after the first send, then waits for the next token", () => {
    const { pacer, advance } = pacerAt();
    pacer.take("c1", 5);
    expect(pacer.allowance("c1")).toEqual({ count: 4, waitMs: 0 });
    for (let sent = 0; sent < 4; sent++) pacer.take("c1", 5);
    expect(pacer.allowance("c1")).toEqual({ count: 0, waitMs: 200 });
    advance(100);
    expect(pacer.allowance("c1")).toEqual({ count: 0, waitMs: 100 });
    advance(100);
    expect(pacer.allowance("c1")).toEqual({ count: 1, waitMs: 0 });
  });

  it("refills at the number's rate but never beyond one second's burst", () => {
    const { pacer, advance } = pacerAt();
    pacer.take("c1", 2);
    pacer.take("c1", 2);
    expect(pacer.allowance("c1")).toEqual({ count: 0, waitMs: 500 });
    advance(60_000);
    expect(pacer.allowance("c1")).toEqual({ count: 2, waitMs: 0 });
  });

  it("rounds the wait up to whole milliseconds and keeps numbers apart", () => {
    const { pacer, advance } = pacerAt();
    pacer.take("slow", 3);
    pacer.take("slow", 3);
    pacer.take("slow", 3);
    expect(pacer.allowance("slow")).toEqual({ count: 0, waitMs: 334 });
    advance(1);
    expect(pacer.allowance("slow").waitMs).toBe(333);
    expect(pacer.allowance("other")).toEqual({ count: 1, waitMs: 0 });
  });

  it("follows a changed rate from the next send on", () => {
    const { pacer, advance } = pacerAt();
    pacer.take("c1", 1);
    advance(1_000);
    pacer.take("c1", 10);
    advance(100);
    // 0 tokens after the send, +1 in 100 ms at 10/s.
    expect(pacer.allowance("c1")).toEqual({ count: 1, waitMs: 0 });
  });
});
