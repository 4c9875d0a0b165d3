import { useId } from "react";
import { Button } from "../../../components/ui/Button.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { Input } from "../../../components/ui/Input.tsx";
import { Notice } from "../../../components/ui/Notice.tsx";
import { Skeleton } from "../../../components/ui/Skeleton.tsx";
import { toast } from "../../../components/ui/Toast.tsx";
import { useInboundWebhookUrl } from "../api/get-inbound-webhook-url.ts";

async function copy(text: string) {
  try {
    await navigator.clipboard.writeText(text);
    toast("Copied", "Paste it into Rapiwa's webhook setting.");
  } catch {
    toast("Could not copy", "Select the address and copy it yourself.");
  }
}

/** Step 3: the secret URL Rapiwa posts incoming messages and receipts to (owners and admins see it). */
export function InboundUrlStep({ canManage }: { canManage: boolean }) {
  const query = useInboundWebhookUrl(canManage);
  const inputId = useId();

  if (!canManage) return <Notice>An owner or admin of your team pastes this address into Rapiwa; only they can see it, because it is a secret.</Notice>;
  if (query.isPending) {
    return (
      <div aria-busy="true" className="space-y-2">
        <span className="sr-only" role="status">
          Loading the address…
        </span>
        <Skeleton className="h-4 w-40" />
        <Skeleton className="h-10 w-full" />
      </div>
    );
  }
  if (query.isError) return <ErrorDisplay error={query.error} title="Could not load the address" onRetry={() => void query.refetch()} />;

  const whatsapp = query.data.tenant.whatsapp;
  const url = whatsapp?.inboundWebhookUrl;
  if (!url) return <Notice tone="warning">No number is connected, so there is no address yet. Go back a step and connect one.</Notice>;
  const sandbox = whatsapp.provider === "SANDBOX";
  return (
    <div className="space-y-4 text-sm text-zinc-700">
      {sandbox ? (
        <Notice tone="success">
          With the sandbox there is nothing to paste: its delivery receipts arrive by themselves. When you connect your real number, paste its address into
          Rapiwa as below.
        </Notice>
      ) : (
        <ol className="list-decimal space-y-1 pl-5">
          <li>Copy the address below.</li>
          <li>In Rapiwa, open your device's webhook setting, paste it as the webhook URL, and save.</li>
          <li>Replies and delivery receipts (sent, delivered, read) then show in your message log.</li>
        </ol>
      )}
      <div className="space-y-1.5">
        <label htmlFor={inputId} className="block font-medium text-zinc-900">
          Inbound webhook URL
        </label>
        <div className="flex flex-col gap-2 sm:flex-row">
          <Input id={inputId} readOnly value={url} className="font-mono text-xs sm:text-xs" onFocus={(event) => event.currentTarget.select()} />
          <Button variant="secondary" onClick={() => void copy(url)}>
            Copy
          </Button>
        </div>
        <p className="text-zinc-600">Keep it secret: whoever has it can add messages to your log.</p>
      </div>
    </div>
  );
}
