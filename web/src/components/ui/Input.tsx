import type { InputHTMLAttributes, Ref } from "react";
import { cn } from "../../lib/cn.ts";

export type InputProps = InputHTMLAttributes<HTMLInputElement> & { ref?: Ref<HTMLInputElement> };

export function Input({ className, ...props }: InputProps) {
  return (
    <input
      className={cn(
        "block h-10 w-full rounded-md border border-zinc-300 bg-white px-3 text-base text-zinc-900 placeholder:text-zinc-500 sm:text-sm",
        "focus-visible:border-emerald-600 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-emerald-600",
        "aria-invalid:border-red-600 aria-invalid:focus-visible:outline-red-600 disabled:bg-zinc-100",
        className,
      )}
      {...props}
    />
  );
}
