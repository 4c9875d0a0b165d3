import { cn } from "../../../lib/cn.ts";

const TONES = {
  good: "bg-emerald-50 text-emerald-800 ring-1 ring-emerald-200",
  bad: "bg-red-50 text-red-800 ring-1 ring-red-200",
  waiting: "bg-amber-50 text-amber-900 ring-1 ring-amber-200",
  off: "bg-zinc-100 text-zinc-700",
} as const;

/** A short state in a coloured pill; the words carry the meaning, the colour only repeats it. */
export function StatusBadge({ tone, children }: { tone: keyof typeof TONES; children: string }) {
  return <span className={cn("inline-block rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap", TONES[tone])}>{children}</span>;
}
