import type { Ref, SelectHTMLAttributes } from "react";
import { cn } from "../../../lib/cn.ts";

/** The browser's own select (keyboard and screen readers for free), styled like Input. */
export function Select({ className, ...props }: SelectHTMLAttributes<HTMLSelectElement> & { ref?: Ref<HTMLSelectElement> }) {
  return (
    <select
      className={cn(
        "block h-10 w-full rounded-md border border-zinc-300 bg-white px-3 text-base text-zinc-900 sm:text-sm",
        "focus-visible:border-emerald-600 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-emerald-600",
        "aria-invalid:border-red-600 disabled:bg-zinc-100 disabled:text-zinc-600",
        className,
      )}
      {...props}
    />
  );
}
