import { cn } from "../../../lib/cn.ts";
import { useHealth } from "../api/get-health.ts";

const DOT = { pending: "bg-zinc-400", ok: "bg-emerald-600", error: "bg-red-600" } as const;

function Status({ state, children }: { state?: "ok" | "error"; children: string }) {
  return (
    <p className="inline-flex items-center gap-2 text-sm text-zinc-700" data-state={state} role="status">
      <span aria-hidden="true" className={cn("size-2 rounded-full", DOT[state ?? "pending"])} />
      {children}
    </p>
  );
}

/** One line on the API and its database, checked every 30 s. */
export function ApiStatus() {
  const health = useHealth();
  if (health.isPending) return <Status>Checking the API…</Status>;
  if (health.isError) return <Status state="error">{`API unreachable: ${health.error.message}`}</Status>;
  const ok = health.data.health === "OK";
  return <Status state={ok ? "ok" : "error"}>{ok ? "API and database are up" : "API is up, database is not answering"}</Status>;
}
