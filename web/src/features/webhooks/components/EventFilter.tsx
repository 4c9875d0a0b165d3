import { useId } from "react";
import type { WebhookEventType } from "../../../graphql/graphql.ts";
import { dottedEventName, EVENT_TYPES } from "./events.ts";

export type EventFilterValue = { allEvents: boolean; events: WebhookEventType[] };

type EventFilterProps = {
  value: EventFilterValue;
  onChange: (value: EventFilterValue) => void;
  /** The validation or server error for the events, read out with the group. */
  error?: string | undefined;
  /** Tells the form's focus-on-error where the group starts. */
  firstRef?: (element: HTMLInputElement | null) => void;
};

const checkboxClasses = "mt-0.5 size-4 shrink-0 accent-emerald-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-600";

/**
 * Which events an endpoint is sent: every one (the API's empty list, which also covers types added
 * later) or those chosen, each with a line on when it happens.
 */
export function EventFilter({ value, onChange, error, firstRef }: EventFilterProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const toggle = (type: WebhookEventType, checked: boolean) =>
    onChange({
      allEvents: false,
      // Kept in the offered order, so the request (and the list) read the same whatever order they were ticked in.
      events: EVENT_TYPES.map((entry) => entry.type).filter((candidate) => (candidate === type ? checked : value.events.includes(candidate))),
    });

  return (
    <fieldset aria-describedby={error ? errorId : undefined} aria-invalid={Boolean(error)}>
      <legend className="text-sm font-medium text-zinc-900">Events to send</legend>
      {error && (
        <p id={errorId} className="mt-1.5 flex gap-1.5 text-sm text-red-700">
          <span aria-hidden="true">!</span>
          {error}
        </p>
      )}
      <div className="mt-2 space-y-2">
        <label className="flex items-start gap-3 text-sm text-zinc-900">
          <input
            ref={firstRef}
            type="radio"
            name={`${id}-mode`}
            checked={value.allEvents}
            onChange={() => onChange({ allEvents: true, events: [] })}
            className={checkboxClasses}
          />
          <span>
            <span className="font-medium">Every event</span>
            <span className="block text-zinc-600">Including kinds of events added to Switchboard later.</span>
          </span>
        </label>
        <label className="flex items-start gap-3 text-sm text-zinc-900">
          <input
            type="radio"
            name={`${id}-mode`}
            checked={!value.allEvents}
            onChange={() => onChange({ allEvents: false, events: value.events })}
            className={checkboxClasses}
          />
          <span className="font-medium">Only the events I choose</span>
        </label>
      </div>
      {!value.allEvents && (
        <ul className="mt-3 grid gap-2 sm:grid-cols-2" aria-label="Events">
          {EVENT_TYPES.map(({ type, label, description }) => (
            <li key={type}>
              <EventCheckbox
                type={type}
                label={label}
                description={description}
                checked={value.events.includes(type)}
                onChange={(checked) => toggle(type, checked)}
              />
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}

type EventCheckboxProps = { type: WebhookEventType; label: string; description: string; checked: boolean; onChange: (checked: boolean) => void };

function EventCheckbox({ type, label, description, checked, onChange }: EventCheckboxProps) {
  const id = useId();
  return (
    <div className="flex h-full items-start gap-3 rounded-md border border-zinc-200 p-3 has-checked:border-emerald-600 has-checked:bg-emerald-50/50">
      <input
        id={id}
        type="checkbox"
        value={type}
        checked={checked}
        onChange={(event) => onChange(event.currentTarget.checked)}
        aria-describedby={`${id}-description`}
        className={checkboxClasses}
      />
      <div className="min-w-0">
        <label htmlFor={id} className="block text-sm font-medium text-zinc-900">
          {label} <code className="block text-xs font-normal text-zinc-600">{dottedEventName(type)}</code>
        </label>
        <p id={`${id}-description`} className="text-sm text-zinc-600">
          {description}
        </p>
      </div>
    </div>
  );
}
