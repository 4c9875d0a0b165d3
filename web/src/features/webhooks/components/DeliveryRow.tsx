import { useId, useState } from "react";
import { Button } from "../../../components/ui/Button.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { toast } from "../../../components/ui/Toast.tsx";
import type { WebhookDelivery } from "../api/webhook-deliveries.ts";
import { useRedeliverWebhook } from "../api/redeliver-webhook.ts";
import { DELIVERY_STATUSES, formatTime } from "./events.ts";
import { StatusBadge } from "./StatusBadge.tsx";

const STATUS_TONES = { PENDING: "waiting", SUCCEEDED: "good", FAILED: "bad" } as const;

const answerOf = (status: number | null) => (status === null ? "no answer" : `HTTP ${status}`);
const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** An error that only repeats the status already shown ("HTTP 500"): not shown twice. */
const saysOnlyStatus = (error: string, status: number | null) => status !== null && error.trim() === `HTTP ${status}`;

/** The payload as indented JSON: it is what the endpoint was sent, so it is shown whole. */
const prettyJson = (value: unknown) => JSON.stringify(value, null, 2);

/**
 * One delivery of the log: its event, status, attempts and latest answer; "Details" opens each attempt
 * (time, answer, duration, body, error) and the payload; "Redeliver" sends the same event again.
 */
export function DeliveryRow({ delivery, endpointId }: { delivery: WebhookDelivery; endpointId: string }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const redeliver = useRedeliverWebhook(endpointId);
  const status = DELIVERY_STATUSES[delivery.status];
  // `attempts` counts the current round only (a recovered FAILED delivery starts again at 0) while the
  // log keeps every attempt: the count people compare with the list they open is the log's.
  const attemptCount = Math.max(delivery.attempts, delivery.attemptLog.length);

  return (
    <li className="py-4" data-delivery={delivery.id} data-status={delivery.status} aria-label={`${delivery.eventType} delivery, ${status.label.toLowerCase()}`}>
      <div className="flex flex-wrap items-start gap-x-4 gap-y-2">
        <div className="min-w-0 flex-1 basis-64 space-y-1">
          <div className="flex flex-wrap items-center gap-2">
            <code className="font-mono text-sm font-medium text-zinc-900">{delivery.eventType}</code>
            <StatusBadge tone={STATUS_TONES[delivery.status]}>{status.label}</StatusBadge>
          </div>
          <p className="text-sm text-zinc-700">
            {plural(attemptCount, "attempt", "attempts")}
            {attemptCount > 0 && <> · last answer {answerOf(delivery.lastResponseStatus)}</>}
            {delivery.lastDurationMs !== null && <> in {delivery.lastDurationMs} ms</>}
          </p>
          {delivery.lastError && delivery.status !== "SUCCEEDED" && !saysOnlyStatus(delivery.lastError, delivery.lastResponseStatus) && (
            <p className="text-sm break-words text-red-800">{delivery.lastError}</p>
          )}
          <p className="text-xs text-zinc-600">
            Created {formatTime(delivery.createdAt)}
            {delivery.status === "PENDING" && delivery.nextAttemptAt && <> · next attempt {formatTime(delivery.nextAttemptAt)}</>}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button variant="ghost" size="sm" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen(!open)}>
            <span aria-hidden="true">{open ? "▾" : "▸"}</span>
            {open ? "Hide details" : "Details"}
          </Button>
          <Button
            variant="secondary"
            size="sm"
            loading={redeliver.isPending}
            onClick={() =>
              redeliver.mutate(delivery.id, {
                onSuccess: () => toast("Delivering again", `${delivery.eventType} is on its way, with the same webhook-id.`),
              })
            }
          >
            Redeliver
          </Button>
        </div>
      </div>
      {redeliver.error && <ErrorDisplay className="mt-3" error={redeliver.error} title="Could not redeliver" />}
      <div id={panelId} hidden={!open} className="mt-3 space-y-4 rounded-md border border-zinc-200 bg-zinc-50 p-3">
        {open && <DeliveryDetails delivery={delivery} />}
      </div>
    </li>
  );
}

function DeliveryDetails({ delivery }: { delivery: WebhookDelivery }) {
  return (
    <>
      <p className="text-xs break-all text-zinc-600">
        webhook-id <code className="font-mono text-zinc-800">{delivery.eventId}</code>
      </p>
      <section>
        <h4 className="text-sm font-semibold text-zinc-900">Attempts</h4>
        {delivery.attemptLog.length === 0 ? (
          <p className="mt-1 text-sm text-zinc-700">Not attempted yet.</p>
        ) : (
          <ol className="mt-2 space-y-3">
            {delivery.attemptLog.map((attempt, index) => (
              <li key={`${attempt.attemptedAt}-${index}`} className="rounded-md border border-zinc-200 bg-white p-3 text-sm" data-attempt={index + 1}>
                <p className="flex flex-wrap items-center gap-x-3 gap-y-1">
                  <span className="font-medium text-zinc-900">Attempt {index + 1}</span>
                  <span className="text-zinc-700">{formatTime(attempt.attemptedAt)}</span>
                  <StatusBadge tone={attempt.responseStatus !== null && attempt.responseStatus < 300 && attempt.responseStatus >= 200 ? "good" : "bad"}>
                    {attempt.responseStatus === null ? "No answer" : `HTTP ${attempt.responseStatus}`}
                  </StatusBadge>
                  {attempt.durationMs !== null && <span className="text-zinc-700">{attempt.durationMs} ms</span>}
                </p>
                {attempt.error && !saysOnlyStatus(attempt.error, attempt.responseStatus) && <p className="mt-1 break-words text-red-800">{attempt.error}</p>}
                {attempt.responseSnippet ? (
                  <>
                    <p className="mt-2 text-xs text-zinc-600">Response body (start)</p>
                    <pre className="mt-1 max-h-40 overflow-auto rounded bg-zinc-100 p-2 font-mono text-xs whitespace-pre-wrap text-zinc-900">
                      {attempt.responseSnippet}
                    </pre>
                  </>
                ) : (
                  attempt.responseStatus !== null && <p className="mt-1 text-xs text-zinc-600">Empty response body.</p>
                )}
              </li>
            ))}
          </ol>
        )}
      </section>
      <section>
        <h4 className="text-sm font-semibold text-zinc-900">Payload</h4>
        {delivery.payload === null || delivery.payload === undefined ? (
          <p className="mt-1 text-sm text-zinc-700">Past the 30-day retention: the event's data is gone, so it cannot be delivered again.</p>
        ) : (
          <pre
            tabIndex={0}
            aria-label="Payload"
            className="mt-1 max-h-80 overflow-auto rounded bg-zinc-900 p-3 font-mono text-xs text-zinc-100 focus-visible:outline-2 focus-visible:outline-emerald-600"
          >
            {prettyJson(delivery.payload)}
          </pre>
        )}
      </section>
    </>
  );
}
