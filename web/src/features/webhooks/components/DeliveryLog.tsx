import { useId, useState } from "react";
import { Button } from "../../../components/ui/Button.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { Field } from "../../../components/ui/Field.tsx";
import { Input } from "../../../components/ui/Input.tsx";
import { Notice } from "../../../components/ui/Notice.tsx";
import { Skeleton } from "../../../components/ui/Skeleton.tsx";
import type { WebhookDeliveryStatus } from "../../../graphql/graphql.ts";
import { useRecoverWebhookDeliveries } from "../api/recover-webhook-deliveries.ts";
import { useWebhookDeliveries } from "../api/webhook-deliveries.ts";
import { DeliveryRow } from "./DeliveryRow.tsx";
import { DELIVERY_STATUSES } from "./events.ts";

type StatusFilterValue = WebhookDeliveryStatus | null;

/** The endpoint's deliveries, newest first, filtered by status and paged with "Load more". */
export function DeliveryLog({
  endpointId,
  status,
  onStatusChange,
}: {
  endpointId: string;
  status: StatusFilterValue;
  onStatusChange: (status: StatusFilterValue) => void;
}) {
  const deliveries = useWebhookDeliveries(endpointId, status);
  const rows = deliveries.data?.pages.flatMap((page) => page.webhookDeliveries.edges.map((edge) => edge.node)) ?? [];

  return (
    <div className="space-y-4">
      <StatusFilter value={status} onChange={onStatusChange} />
      {deliveries.isPending ? (
        <DeliveryLogSkeleton />
      ) : deliveries.data === undefined ? (
        <ErrorDisplay error={deliveries.error} onRetry={() => void deliveries.refetch()} title="Could not load the deliveries" />
      ) : rows.length === 0 ? (
        <div className="rounded-md border border-dashed border-zinc-300 p-5 text-sm text-zinc-700" data-testid="deliveries-empty">
          {status === null ? (
            <>
              <p className="font-medium text-zinc-900">No deliveries yet</p>
              <p className="mt-1">
                Each event sent to this endpoint shows here with every attempt and your server's answers. Send a test event to try your receiver now.
              </p>
            </>
          ) : (
            <p className="font-medium text-zinc-900">No {DELIVERY_STATUSES[status].label.toLowerCase()} deliveries.</p>
          )}
        </div>
      ) : (
        <>
          <ul className="divide-y divide-zinc-100" aria-label="Deliveries">
            {rows.map((delivery) => (
              <DeliveryRow key={delivery.id} delivery={delivery} endpointId={endpointId} />
            ))}
          </ul>
          {/* A later page (or a refresh) that failed: what was loaded stays. */}
          {deliveries.isError && (
            <ErrorDisplay
              error={deliveries.error}
              title={deliveries.isFetchNextPageError ? "Could not load more deliveries" : "Could not refresh the deliveries"}
              onRetry={() => void (deliveries.isFetchNextPageError ? deliveries.fetchNextPage() : deliveries.refetch())}
            />
          )}
          {deliveries.hasNextPage && (
            <Button variant="secondary" loading={deliveries.isFetchingNextPage} onClick={() => void deliveries.fetchNextPage()}>
              Load more deliveries
            </Button>
          )}
        </>
      )}
    </div>
  );
}

function StatusFilter({ value, onChange }: { value: StatusFilterValue; onChange: (status: StatusFilterValue) => void }) {
  const name = useId();
  const options: { value: StatusFilterValue; label: string }[] = [
    { value: null, label: "All" },
    ...(Object.entries(DELIVERY_STATUSES) as [WebhookDeliveryStatus, { label: string }][]).map(([status, { label }]) => ({ value: status, label })),
  ];
  return (
    <fieldset>
      <legend className="text-sm font-medium text-zinc-900">Show</legend>
      <div className="mt-1.5 inline-flex flex-wrap gap-1 rounded-md border border-zinc-300 bg-white p-1">
        {options.map((option) => (
          <label
            key={option.label}
            className="cursor-pointer rounded px-2.5 py-1.5 sm:px-3 text-sm font-medium text-zinc-700 has-checked:bg-emerald-700 has-checked:text-white has-focus-visible:outline-2 has-focus-visible:outline-emerald-600"
          >
            <input type="radio" name={name} className="sr-only" checked={value === option.value} onChange={() => onChange(option.value)} />
            {option.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** `datetime-local`'s value for a time, in the browser's time zone. */
const localInputValue = (date: Date) => {
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
};

/** "Recover failed since <time>": every FAILED delivery created since then is sent again; says how many. */
export function RecoverFailed({ endpointId, onRecovered }: { endpointId: string; onRecovered: () => void }) {
  const [since, setSince] = useState(() => localInputValue(new Date(Date.now() - 24 * 60 * 60 * 1000)));
  const [invalid, setInvalid] = useState<string | undefined>();
  const recover = useRecoverWebhookDeliveries(endpointId);

  return (
    <form
      noValidate
      aria-label="Recover failed deliveries"
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        const time = new Date(since);
        if (!since || Number.isNaN(time.getTime())) {
          setInvalid("Enter a date and time.");
          return;
        }
        if (time.getTime() > Date.now()) {
          setInvalid("Choose a time in the past.");
          return;
        }
        setInvalid(undefined);
        recover.mutate(time.toISOString(), { onSuccess: onRecovered });
      }}
    >
      <div className="flex flex-wrap items-start gap-3">
        <div className="w-64 max-w-full">
          <Field label="Failed since (your local time)" error={invalid}>
            {(control) => <Input {...control} type="datetime-local" value={since} onChange={(event) => setSince(event.currentTarget.value)} />}
          </Field>
        </div>
        <Button type="submit" variant="secondary" loading={recover.isPending} className="sm:mt-7">
          Recover failed deliveries
        </Button>
      </div>
      {recover.error && <ErrorDisplay error={recover.error} title="Could not recover the deliveries" />}
      {recover.isSuccess && (
        <Notice tone={recover.data.recoverWebhookDeliveries > 0 ? "success" : "info"}>
          {recover.data.recoverWebhookDeliveries === 0
            ? "No failed deliveries since then: nothing was queued."
            : `Queued ${recover.data.recoverWebhookDeliveries} failed ${recover.data.recoverWebhookDeliveries === 1 ? "delivery" : "deliveries"} to be delivered again.`}
        </Notice>
      )}
    </form>
  );
}

function DeliveryLogSkeleton() {
  return (
    <div aria-busy="true">
      <span className="sr-only" role="status">
        Loading the deliveries…
      </span>
      <ul className="divide-y divide-zinc-100">
        {[0, 1, 2].map((row) => (
          <li key={row} className="space-y-2 py-4">
            <Skeleton className="h-5 w-56 max-w-full" />
            <Skeleton className="h-4 w-40" />
            <Skeleton className="h-3 w-64 max-w-full" />
          </li>
        ))}
      </ul>
    </div>
  );
}
