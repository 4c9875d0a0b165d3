import { cn } from "../../lib/cn.ts";

/** A grey block standing in for content that is loading, sized like it so nothing moves when it arrives. */
export function Skeleton({ className }: { className?: string }) {
  return <span aria-hidden="true" className={cn("block animate-pulse rounded-md bg-zinc-200", className)} />;
}
