import { afterEach, describe, expect, it } from "vitest";
import { readProgress, resumeStep, writeProgress } from "./wizard-progress.ts";

afterEach(() => localStorage.clear());

describe("the wizard's progress", () => {
  it("is kept per tenant", () => {
    writeProgress("tenant-a", { step: "test-message", testMessageId: "m1" });
    writeProgress("tenant-b", { step: "connect" });
    expect(readProgress("tenant-a")).toEqual({ step: "test-message", testMessageId: "m1" });
    expect(readProgress("tenant-b")).toEqual({ step: "connect" });
    writeProgress("tenant-a", { step: "done" });
    expect(readProgress("tenant-a")).toEqual({ step: "done", testMessageId: "m1" });
  });

  it("ignores what it does not understand", () => {
    localStorage.setItem("switchboard.onboarding.tenant-a", '{"step":"somewhere","testMessageId":3}');
    expect(readProgress("tenant-a")).toEqual({});
    localStorage.setItem("switchboard.onboarding.tenant-a", "not json");
    expect(readProgress("tenant-a")).toEqual({});
  });

  it("resumes where it was left when that is still possible, else from the tenant's data", () => {
    expect(resumeStep({ stored: undefined, connected: false, messageSent: false })).toBe("company");
    expect(resumeStep({ stored: undefined, connected: true, messageSent: false })).toBe("inbound-url");
    expect(resumeStep({ stored: undefined, connected: true, messageSent: true })).toBe("done");
    expect(resumeStep({ stored: "test-message", connected: true, messageSent: false })).toBe("test-message");
    expect(resumeStep({ stored: "company", connected: true, messageSent: true })).toBe("company");
    // The number was disconnected since: nothing after connecting can work.
    expect(resumeStep({ stored: "test-message", connected: false, messageSent: true })).toBe("connect");
  });
});
