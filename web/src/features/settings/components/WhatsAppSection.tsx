import { useState, type ReactNode } from "react";
import { Button } from "../../../components/ui/Button.tsx";
import { ConfirmDialog } from "../../../components/ui/ConfirmDialog.tsx";
import { Card } from "../../../components/ui/Card.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { Skeleton } from "../../../components/ui/Skeleton.tsx";
import { toast } from "../../../components/ui/Toast.tsx";
import { cn } from "../../../lib/cn.ts";
import { useDisconnectWhatsApp, useInboundWebhookUrl, useRotateInboundWebhookToken, useWhatsAppConnection } from "../api/whatsapp.ts";
import { ConnectForm } from "./ConnectForm.tsx";

const PROVIDER_NAMES = { RAPIWA: "Rapiwa", SANDBOX: "Sandbox (nothing is really sent)" } as const;

const formatDateTime = (value: string) => new Date(value).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

/** The WhatsApp number: its state, the inbound URL, and connecting, disconnecting or rotating (owners and admins). */
export function WhatsAppSection({ canManage }: { canManage: boolean }) {
  const connection = useWhatsAppConnection();
  const [replacing, setReplacing] = useState(false);
  return (
    <Card className="p-5" role="region" aria-labelledby="whatsapp-heading">
      <h2 id="whatsapp-heading" className="text-lg font-semibold text-zinc-900">
        WhatsApp connection
      </h2>
      {connection.isError ? (
        <ErrorDisplay className="mt-4" error={connection.error} onRetry={() => void connection.refetch()} />
      ) : connection.isPending ? (
        <div className="mt-4 space-y-3" aria-busy="true" aria-label="Loading the connection">
          <Skeleton className="h-5 w-64" />
          <Skeleton className="h-5 w-48" />
          <Skeleton className="h-5 w-56" />
        </div>
      ) : !connection.data.tenant.whatsapp ? (
        <div className="mt-2 space-y-4">
          <p className="text-sm text-zinc-600">No number is connected yet: nothing can be sent until one is.</p>
          {canManage ? <ConnectForm /> : <ManagedByAdmins />}
        </div>
      ) : (
        <ConnectionDetails connection={connection.data.tenant.whatsapp} canManage={canManage} replacing={replacing} setReplacing={setReplacing} />
      )}
    </Card>
  );
}

type Connection = {
  number: string;
  status: "CONNECTED" | "DISCONNECTED";
  provider: keyof typeof PROVIDER_NAMES;
  sendRatePerSecond: number;
  connectedAt: string;
  disconnectedAt?: string | null | undefined;
};

function ConnectionDetails({
  connection,
  canManage,
  replacing,
  setReplacing,
}: {
  connection: Connection;
  canManage: boolean;
  replacing: boolean;
  setReplacing: (value: boolean) => void;
}) {
  const connected = connection.status === "CONNECTED";
  return (
    <div className="mt-4 space-y-6">
      <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[10rem_1fr]">
        <Detail label="Status">
          <span
            data-testid="connection-status"
            className={cn("rounded px-2 py-0.5 font-medium", connected ? "bg-emerald-100 text-emerald-900" : "bg-zinc-100 text-zinc-800")}
          >
            {connected ? "CONNECTED" : "DISCONNECTED"}
          </span>
        </Detail>
        <Detail label="Number">{connection.number}</Detail>
        <Detail label="Provider">{PROVIDER_NAMES[connection.provider]}</Detail>
        <Detail label="Send rate">{`Up to ${connection.sendRatePerSecond} message${connection.sendRatePerSecond === 1 ? "" : "s"} a second`}</Detail>
        <Detail label="Connected since">{formatDateTime(connection.connectedAt)}</Detail>
        {connection.disconnectedAt && <Detail label="Disconnected">{formatDateTime(connection.disconnectedAt)}</Detail>}
      </dl>

      {!canManage ? (
        <ManagedByAdmins />
      ) : connected ? (
        <>
          <InboundUrl />
          <div className="flex flex-wrap gap-2 border-t border-zinc-200 pt-4">
            <Button variant="secondary" onClick={() => setReplacing(!replacing)} aria-expanded={replacing}>
              {replacing ? "Cancel" : "Connect another number or key"}
            </Button>
            <Disconnect number={connection.number} />
          </div>
          {replacing && (
            <div className="space-y-3">
              <p className="text-sm text-zinc-600">
                A new number replaces {connection.number} (it is disconnected). The same number with a new key keeps its inbound URL and queued messages.
              </p>
              <ConnectForm currentRate={connection.sendRatePerSecond} submitLabel="Connect" onConnected={() => setReplacing(false)} />
            </div>
          )}
        </>
      ) : (
        <div className="space-y-3 border-t border-zinc-200 pt-4">
          <h3 className="text-base font-semibold text-zinc-900">Reconnect</h3>
          <p className="text-sm text-zinc-600">Nothing is sent while no number is connected. Connect this number again, or another one.</p>
          <ConnectForm number={connection.number} currentRate={connection.sendRatePerSecond} submitLabel="Reconnect" />
        </div>
      )}
    </div>
  );
}

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="font-medium text-zinc-600">{label}</dt>
      <dd className="min-w-0 break-words text-zinc-900">{children}</dd>
    </>
  );
}

function ManagedByAdmins() {
  return <p className="text-sm text-zinc-600">Owners and admins connect, disconnect and configure the number; ask one of them to change it.</p>;
}

/** The secret inbound URL to paste into Rapiwa, with copying and rotating. */
function InboundUrl() {
  const url = useInboundWebhookUrl(true);
  const value = url.data?.tenant.whatsapp?.inboundWebhookUrl;
  return (
    <section aria-labelledby="inbound-heading" className="space-y-2 border-t border-zinc-200 pt-4">
      <h3 id="inbound-heading" className="text-base font-semibold text-zinc-900">
        Inbound webhook URL
      </h3>
      <p className="text-sm text-zinc-600">
        Paste it into Rapiwa's webhook setting: incoming messages and delivery receipts arrive through it. Keep it secret: whoever has it can add to your
        message log.
      </p>
      {url.isError ? (
        <ErrorDisplay error={url.error} onRetry={() => void url.refetch()} />
      ) : url.isPending ? (
        <Skeleton className="h-10 w-full" />
      ) : (
        <div className="flex flex-wrap items-center gap-2">
          <code
            data-testid="inbound-url"
            className="min-w-0 flex-1 basis-64 rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 text-sm break-all text-zinc-900"
          >
            {value}
          </code>
          <Button
            variant="secondary"
            disabled={!value}
            onClick={() =>
              value &&
              navigator.clipboard.writeText(value).then(
                () => toast("Copied", "The inbound URL is on your clipboard."),
                () => toast("Could not copy", "Select the URL and copy it yourself."),
              )
            }
          >
            Copy
          </Button>
          <RotateInboundUrl />
        </div>
      )}
    </section>
  );
}

function RotateInboundUrl() {
  const rotate = useRotateInboundWebhookToken();
  return (
    <ConfirmDialog
      trigger={<Button variant="secondary">New URL</Button>}
      title="Make a new inbound URL?"
      description="The current URL stops working at once: until you paste the new one into Rapiwa, incoming messages and receipts are refused. Do this if the URL may have leaked."
      action={rotate}
      errorTitle="Could not make a new URL"
      cancelLabel="Keep the current URL"
      confirmLabel="Make a new URL"
      onConfirm={(close) =>
        rotate.mutate(undefined, {
          onSuccess: () => {
            close();
            toast("New inbound URL made", "Paste it into Rapiwa now: the old one no longer works.");
          },
        })
      }
    />
  );
}

function Disconnect({ number }: { number: string }) {
  const disconnect = useDisconnectWhatsApp();
  return (
    <ConfirmDialog
      trigger={
        <Button variant="ghost" className="text-red-700">
          Disconnect
        </Button>
      }
      title={`Disconnect ${number}?`}
      description="Messages waiting to be sent from it fail instead of going out, nothing more is sent, and its inbound URL stops working. You can connect it again later."
      action={disconnect}
      errorTitle="Could not disconnect"
      cancelLabel="Stay connected"
      confirmLabel="Disconnect"
      onConfirm={(close) =>
        disconnect.mutate(undefined, {
          onSuccess: () => {
            close();
            toast("Disconnected", number);
          },
        })
      }
    />
  );
}
