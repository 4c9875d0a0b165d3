import { useHealth } from "../api/get-health.ts";

export function ApiStatus() {
  const health = useHealth();
  if (health.isPending) return <p className="status">Checking the API…</p>;
  if (health.isError)
    return (
      <p className="status" data-state="error">
        API unreachable: {health.error.message}
      </p>
    );
  const ok = health.data.health === "OK";
  return (
    <p className="status" data-state={ok ? "ok" : "error"}>
      {ok ? "API and database are up" : "API is up, database is not answering"}
    </p>
  );
}
