import type { ReactNode } from "react";
import { cn } from "../../lib/cn.ts";

const TONES = {
  info: "border-sky-200 bg-sky-50 text-sky-950",
  success: "border-emerald-200 bg-emerald-50 text-emerald-950",
  warning: "border-amber-200 bg-amber-50 text-amber-950",
} as const;

/** A calm message that is not an error (e.g. "You have logged out."), read out when it appears. */
export function Notice({ tone = "info", children, className }: { tone?: keyof typeof TONES; children: ReactNode; className?: string }) {
  return (
    <div role="status" className={cn("rounded-md border p-3 text-sm", TONES[tone], className)}>
      {children}
    </div>
  );
}
