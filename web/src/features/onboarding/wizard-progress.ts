// Where a person left the wizard, per tenant, in this browser: the step, and the test message being
// watched (so a reload keeps watching it). The tenant's real data decides what is possible (wizardStep).

export const STEPS = ["company", "connect", "inbound-url", "test-message", "done"] as const;
export type StepKey = (typeof STEPS)[number];

type Stored = { step?: StepKey; testMessageId?: string };

const storageKey = (tenantId: string) => `switchboard.onboarding.${tenantId}`;

export function readProgress(tenantId: string): Stored {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(storageKey(tenantId)) ?? "{}");
    if (!parsed || typeof parsed !== "object") return {};
    const { step, testMessageId } = parsed as Record<string, unknown>;
    return {
      ...(typeof step === "string" && (STEPS as readonly string[]).includes(step) ? { step: step as StepKey } : {}),
      ...(typeof testMessageId === "string" && testMessageId ? { testMessageId } : {}),
    };
  } catch {
    return {}; // storage blocked or edited by hand: start from the tenant's data
  }
}

export function writeProgress(tenantId: string, change: Stored): void {
  try {
    localStorage.setItem(storageKey(tenantId), JSON.stringify({ ...readProgress(tenantId), ...change }));
  } catch {
    // Nowhere to keep it: the wizard then resumes from the tenant's data alone.
  }
}

/**
 * The step to show on arrival: where the person left it when that is still possible, else what the
 * data says comes next. Without a connected number nothing after "connect" can work.
 */
export function resumeStep({ stored, connected, messageSent }: { stored: StepKey | undefined; connected: boolean; messageSent: boolean }): StepKey {
  const furthest = connected ? STEPS.length - 1 : STEPS.indexOf("connect");
  if (stored) return STEPS[Math.min(STEPS.indexOf(stored), furthest)]!;
  if (!connected) return "company";
  return messageSent ? "done" : "inbound-url";
}
