import { useRef } from "react";
import { Button } from "../../../components/ui/Button.tsx";
import { ConfirmDialog } from "../../../components/ui/ConfirmDialog.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { Skeleton } from "../../../components/ui/Skeleton.tsx";
import { toast } from "../../../components/ui/Toast.tsx";
import type { ApiKeysQuery } from "../../../graphql/graphql.ts";
import { cn } from "../../../lib/cn.ts";
import { useApiKeys } from "../api/api-keys.ts";
import { useRevokeApiKey } from "../api/revoke-api-key.ts";
import { scopeLabel } from "./scopes.ts";

type ApiKey = ApiKeysQuery["apiKeys"][number];

const formatTime = (value: string) => new Date(value).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

/** The tenant's keys, newest first, revoked ones included; each working key can be revoked. */
export function ApiKeyList() {
  const keys = useApiKeys(true);

  if (keys.isError) return <ErrorDisplay error={keys.error} onRetry={() => void keys.refetch()} />;
  if (keys.isPending) return <ApiKeyListSkeleton />;
  if (keys.data.apiKeys.length === 0) {
    return (
      <div className="rounded-md border border-dashed border-zinc-300 p-5 text-sm text-zinc-700">
        <p className="font-medium text-zinc-900">No API keys yet</p>
        <p className="mt-1">
          An API key lets your own software (your shop, CRM or a script) send WhatsApp messages through Switchboard without anyone logging in. Create one below
          for each app, with only the permissions it needs, so you can revoke one app's access without touching the others.
        </p>
      </div>
    );
  }
  return (
    <ul className="divide-y divide-zinc-100" aria-label="API keys">
      {keys.data.apiKeys.map((key) => (
        <ApiKeyRow key={key.id} apiKey={key} />
      ))}
    </ul>
  );
}

function ApiKeyRow({ apiKey }: { apiKey: ApiKey }) {
  const revoked = apiKey.revokedAt !== null && apiKey.revokedAt !== undefined;
  return (
    <li className="flex flex-wrap items-start gap-x-4 gap-y-2 py-4" data-api-key={apiKey.prefix} data-revoked={String(revoked)}>
      <div className="min-w-0 flex-1 basis-64 space-y-1">
        <div className="flex flex-wrap items-center gap-2">
          <p className={cn("font-medium break-words text-zinc-900", revoked && "text-zinc-600 line-through")}>{apiKey.name}</p>
          <span
            className={cn(
              "rounded-full px-2 py-0.5 text-xs font-medium",
              revoked ? "bg-zinc-100 text-zinc-700" : "bg-emerald-50 text-emerald-800 ring-1 ring-emerald-200",
            )}
          >
            {revoked ? "Revoked" : "Active"}
          </span>
        </div>
        <p className="text-sm text-zinc-600">
          <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-800">{apiKey.prefix}…</code>
          <span className="sr-only"> (the start of the key)</span>
        </p>
        <p className="text-sm text-zinc-700">
          <span className="sr-only">May: </span>
          {apiKey.scopes.map(scopeLabel).join(", ")}
        </p>
        <p className="text-xs text-zinc-600">
          Created {formatTime(apiKey.createdAt)} · {apiKey.lastUsedAt ? `last used ${formatTime(apiKey.lastUsedAt)}` : "never used"}
          {revoked && apiKey.revokedAt ? ` · revoked ${formatTime(apiKey.revokedAt)}` : ""}
        </p>
      </div>
      {!revoked && <RevokeButton apiKey={apiKey} />}
    </li>
  );
}

function RevokeButton({ apiKey }: { apiKey: ApiKey }) {
  const revoke = useRevokeApiKey();
  const revoked = useRef(false);
  return (
    <ConfirmDialog
      trigger={
        <Button variant="secondary" size="sm" aria-label={`Revoke ${apiKey.name}`}>
          Revoke
        </Button>
      }
      title={`Revoke “${apiKey.name}”?`}
      description="Anything using this key is refused from its next request. This cannot be undone: to give access again, create a new key."
      // The row's button is gone once the key is revoked: focus goes to the page instead.
      contentProps={{
        onCloseAutoFocus: (event) => {
          if (revoked.current) {
            event.preventDefault();
            document.getElementById("api-keys-heading")?.focus();
          }
        },
      }}
      action={revoke}
      errorTitle="Could not revoke the key"
      confirmLabel="Revoke key"
      onConfirm={(close) =>
        revoke.mutate(apiKey.id, {
          onSuccess: () => {
            revoked.current = true;
            close();
            toast("Key revoked", `“${apiKey.name}” no longer works.`);
          },
        })
      }
    />
  );
}

function ApiKeyListSkeleton() {
  return (
    <div aria-busy="true">
      <span className="sr-only" role="status">
        Loading your API keys…
      </span>
      <ul className="divide-y divide-zinc-100">
        {[0, 1].map((row) => (
          <li key={row} className="space-y-2 py-4">
            <Skeleton className="h-5 w-48 max-w-full" />
            <Skeleton className="h-4 w-28" />
            <Skeleton className="h-4 w-64 max-w-full" />
          </li>
        ))}
      </ul>
    </div>
  );
}
