import { cn } from "../../lib/cn.ts";

/** A decorative spinner; say what is loading in text next to it or with `label`. */
export function Spinner({ className, label }: { className?: string; label?: string }) {
  return (
    <span role={label ? "status" : undefined} className="inline-flex items-center gap-2">
      <span aria-hidden="true" className={cn("size-4 animate-spin rounded-full border-2 border-current border-t-transparent", className)} />
      {label && <span className="sr-only">{label}</span>}
    </span>
  );
}
