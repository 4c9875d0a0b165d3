import { cn } from "../../../lib/cn.ts";
import { STEPS, type StepKey } from "../wizard-progress.ts";

const SHORT_TITLES: Record<StepKey, string> = {
  company: "Company",
  connect: "WhatsApp",
  "inbound-url": "Inbound URL",
  "test-message": "Test message",
  done: "Done",
};

/** The wizard's steps: where you are, what is done, and a way back to any step you can reach. */
export function StepIndicator({
  current,
  done,
  furthest,
  onSelect,
}: {
  current: StepKey;
  done: Record<StepKey, boolean>;
  furthest: number;
  onSelect: (step: StepKey) => void;
}) {
  return (
    <nav aria-label="Set-up steps">
      <ol className="flex gap-1 sm:gap-2">
        {STEPS.map((step, index) => {
          const isCurrent = step === current;
          return (
            <li key={step} className="min-w-0 flex-1">
              <button
                type="button"
                onClick={() => onSelect(step)}
                disabled={index > furthest}
                aria-current={isCurrent ? "step" : undefined}
                className={cn(
                  "flex w-full min-w-0 flex-col items-center gap-1 rounded-md px-1 py-2 text-xs font-medium sm:flex-row sm:px-2 sm:text-sm",
                  "focus-visible:outline-2 focus-visible:outline-emerald-600 disabled:cursor-not-allowed",
                  isCurrent ? "bg-emerald-50 text-emerald-900" : "text-zinc-700 hover:bg-zinc-100 disabled:text-zinc-500 disabled:hover:bg-transparent",
                )}
              >
                <span
                  aria-hidden="true"
                  className={cn(
                    "flex size-6 shrink-0 items-center justify-center rounded-full border text-xs",
                    done[step] ? "border-emerald-600 bg-emerald-600 text-white" : isCurrent ? "border-emerald-600" : "border-zinc-300",
                  )}
                >
                  {done[step] ? "✓" : index + 1}
                </span>
                {/* On phones only the marks: "Step n of 5" and the step's heading say where you are. */}
                <span className="sr-only sm:not-sr-only sm:max-w-full sm:truncate">
                  {SHORT_TITLES[step]}
                  <span className="sr-only">{done[step] ? " (done)" : ""}</span>
                </span>
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
