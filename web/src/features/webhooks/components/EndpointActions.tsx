import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { Button } from "../../../components/ui/Button.tsx";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "../../../components/ui/Dialog.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { toast } from "../../../components/ui/Toast.tsx";
import type { WebhooksEndpointQuery } from "../../../graphql/graphql.ts";
import { useDeleteWebhookEndpoint } from "../api/delete-webhook-endpoint.ts";
import { useRotateWebhookSecret } from "../api/rotate-webhook-secret.ts";
import { useSendTestWebhook } from "../api/send-test-webhook.ts";
import { useUpdateWebhookEndpoint } from "../api/update-webhook-endpoint.ts";
import { SigningSecretDialog, type ShownSecret } from "./SigningSecretDialog.tsx";
import { StatusBadge } from "./StatusBadge.tsx";

export type Endpoint = NonNullable<WebhooksEndpointQuery["webhookEndpoint"]>;

/** The endpoint's state and what can be done to it: test, disable or enable, rotate its secret, delete. */
export function EndpointActions({ endpoint, onTestSent }: { endpoint: Endpoint; onTestSent: () => void }) {
  const update = useUpdateWebhookEndpoint(endpoint.id);
  const sendTest = useSendTestWebhook(endpoint.id);
  const [rotated, setRotated] = useState<ShownSecret | null>(null);
  const error = update.error ?? sendTest.error;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2">
        <StatusBadge tone={endpoint.enabled ? "good" : "off"}>{endpoint.enabled ? "Enabled" : "Disabled"}</StatusBadge>
        <p className="text-sm text-zinc-700" data-testid="endpoint-state">
          {endpoint.enabled
            ? "Events are sent to this endpoint as they happen."
            : endpoint.disabledReason
              ? `Disabled by Switchboard. ${endpoint.disabledReason}`
              : "Disabled: its events wait, and enabling it sends them."}
        </p>
      </div>
      {error && <ErrorDisplay error={error} title={error === update.error ? "Could not change the endpoint" : "Could not send a test event"} />}
      <div className="flex flex-wrap gap-2">
        <Button
          variant="primary"
          loading={sendTest.isPending}
          disabled={!endpoint.enabled}
          aria-describedby={endpoint.enabled ? undefined : "send-test-hint"}
          onClick={() => {
            update.reset();
            sendTest.mutate(undefined, {
              onSuccess: () => {
                toast("Test event queued", "Watch it arrive in the delivery log below.");
                onTestSent();
              },
            });
          }}
        >
          Send test event
        </Button>
        <Button
          variant="secondary"
          loading={update.isPending}
          onClick={() => {
            sendTest.reset();
            update.mutate(
              { enabled: !endpoint.enabled },
              { onSuccess: ({ updateWebhookEndpoint }) => toast(updateWebhookEndpoint.enabled ? "Endpoint enabled" : "Endpoint disabled") },
            );
          }}
        >
          {endpoint.enabled ? "Disable" : "Enable"}
        </Button>
        <RotateSecretButton endpoint={endpoint} onRotated={setRotated} />
        <DeleteButton endpoint={endpoint} />
      </div>
      {!endpoint.enabled && (
        <p id="send-test-hint" className="text-sm text-zinc-600">
          Enable the endpoint to send it a test event.
        </p>
      )}
      <SigningSecretDialog shown={rotated} onClose={() => setRotated(null)} />
    </div>
  );
}

function RotateSecretButton({ endpoint, onRotated }: { endpoint: Endpoint; onRotated: (shown: ShownSecret) => void }) {
  const [open, setOpen] = useState(false);
  const rotate = useRotateWebhookSecret(endpoint.id);
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) rotate.reset();
      }}
    >
      <DialogTrigger asChild>
        <Button variant="secondary">Rotate secret</Button>
      </DialogTrigger>
      <DialogContent
        title="Rotate the signing secret?"
        description="Switchboard makes a new secret and shows it once. The current one keeps signing beside it for 24 hours (each delivery carries both signatures), so you can switch your receiver without missing events; after that only the new one signs."
      >
        {rotate.error && <ErrorDisplay className="mb-4" error={rotate.error} title="Could not rotate the secret" />}
        <div className="flex flex-wrap justify-end gap-2">
          <DialogClose asChild>
            <Button variant="secondary">Cancel</Button>
          </DialogClose>
          <Button
            loading={rotate.isPending}
            onClick={() =>
              rotate.mutate(undefined, {
                onSuccess: ({ rotateWebhookSecret }) => {
                  setOpen(false);
                  onRotated({ url: endpoint.url, secret: rotateWebhookSecret.secret, rotated: true });
                },
              })
            }
          >
            Rotate secret
          </Button>
        </div>
      </DialogContent>
    </Dialog>
  );
}

function DeleteButton({ endpoint }: { endpoint: Endpoint }) {
  const [open, setOpen] = useState(false);
  const remove = useDeleteWebhookEndpoint(endpoint.id);
  const navigate = useNavigate();
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) remove.reset();
      }}
    >
      <DialogTrigger asChild>
        <Button variant="secondary" className="text-red-800">
          Delete
        </Button>
      </DialogTrigger>
      <DialogContent
        title="Delete this endpoint?"
        description={
          <>
            <span className="block font-mono break-all text-zinc-900">{endpoint.url}</span>
            <span className="mt-2 block">
              It is sent nothing more, its delivery log goes with it, and events still waiting are not sent. This cannot be undone.
            </span>
          </>
        }
      >
        {remove.error && <ErrorDisplay className="mb-4" error={remove.error} title="Could not delete the endpoint" />}
        <div className="flex flex-wrap justify-end gap-2">
          <DialogClose asChild>
            <Button variant="secondary">Cancel</Button>
          </DialogClose>
          <Button
            variant="danger"
            loading={remove.isPending}
            onClick={() =>
              remove.mutate(undefined, {
                onSuccess: () => {
                  setOpen(false);
                  toast("Endpoint deleted", `${endpoint.url} is sent nothing more.`);
                  void navigate({ to: "/webhooks" });
                },
              })
            }
          >
            Delete endpoint
          </Button>
        </div>
      </DialogContent>
    </Dialog>
  );
}
