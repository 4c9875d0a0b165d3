import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { Controller, useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import { Button } from "../../../components/ui/Button.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { Field } from "../../../components/ui/Field.tsx";
import { Input } from "../../../components/ui/Input.tsx";
import type { WebhookEventType } from "../../../graphql/graphql.ts";
import { describeError, formFieldOf } from "../../../lib/errors.ts";
import { EventFilter } from "./EventFilter.tsx";
import { EVENT_TYPES } from "./events.ts";

const FIELDS = ["url", "description", "events"] as const;

const isHttpUrl = (value: string) => {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
};

const eventTypes = EVENT_TYPES.map((entry) => entry.type) as [WebhookEventType, ...WebhookEventType[]];

// The server's rules (CreateWebhookEndpointInput) that need no lookup, checked here first so nobody
// waits for a refusal; which addresses a URL may reach only the server can say.
const schema = z
  .object({
    url: z
      .string()
      .trim()
      .min(1, "Enter the URL your server receives events at.")
      .max(2048, "Use at most 2,048 characters for the URL.")
      .refine(isHttpUrl, "Enter a full URL starting with https:// (or http://), e.g. https://example.com/switchboard."),
    description: z.string().trim().max(500, "Use at most 500 characters for the description."),
    allEvents: z.boolean(),
    events: z.array(z.enum(eventTypes)),
  })
  .superRefine((values, context) => {
    if (!values.allEvents && values.events.length === 0) {
      context.addIssue({ code: "custom", path: ["events"], message: "Choose at least one event, or send every event." });
    }
  });

export type EndpointFormValues = z.infer<typeof schema>;
/** What the API takes: an empty `events` list means every event. */
export type EndpointInput = { url: string; description: string; events: WebhookEventType[] };

type EndpointFormProps = {
  initial?: { url: string; description: string; events: readonly WebhookEventType[] };
  /** The form's accessible name ("Add an endpoint"). */
  label: string;
  submitLabel: string;
  /** What to call a refusal that belongs to no field ("Could not add the endpoint"). */
  errorTitle: string;
  /** Saves; a rejection carrying a field the form has is shown under that field, others above the form. */
  onSubmit: (input: EndpointInput) => Promise<unknown>;
  /** Empties the form after a success (a creation form, ready for the next one). */
  resetOnSuccess?: boolean;
};

const valuesOf = (initial: EndpointFormProps["initial"]): EndpointFormValues => ({
  url: initial?.url ?? "",
  description: initial?.description ?? "",
  allEvents: (initial?.events.length ?? 0) === 0,
  events: [...(initial?.events ?? [])],
});

/** An endpoint's URL, description and event filter: to create one, or to edit its settings. */
export function EndpointForm({ initial, label, submitLabel, errorTitle, onSubmit, resetOnSuccess = false }: EndpointFormProps) {
  const form = useForm<EndpointFormValues>({
    resolver: zodResolver(schema),
    defaultValues: valuesOf(initial),
    // The saved endpoint, when editing: the form follows it when it changes (a save, as the server
    // normalised it), and keeps what is being typed when a refresh brings the same values.
    ...(initial ? { values: valuesOf(initial) } : {}),
  });
  const { errors, isSubmitting } = form.formState;
  const allEvents = useWatch({ control: form.control, name: "allEvents" });
  // A refusal that belongs to no field, shown above the form until the next submit.
  const [refusal, setRefusal] = useState<unknown>(null);

  const submit = form.handleSubmit(async (values) => {
    setRefusal(null);
    try {
      await onSubmit({ url: values.url, description: values.description, events: values.allEvents ? [] : values.events });
      if (resetOnSuccess) form.reset();
      else form.reset(values);
    } catch (error) {
      const field = formFieldOf(error, FIELDS);
      if (field) form.setError(field, { type: "server", message: describeError(error).message }, { shouldFocus: true });
      else setRefusal(error);
    }
  });

  return (
    <form noValidate onSubmit={(event) => void submit(event)} className="space-y-5" aria-label={label}>
      {refusal !== null && <ErrorDisplay error={refusal} title={errorTitle} />}
      <Field
        label="Endpoint URL"
        error={errors.url?.message}
        description="Where Switchboard POSTs events: a URL on your own server that answers 2xx within 15 seconds."
      >
        {(control) => (
          <Input
            {...control}
            type="url"
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            placeholder="https://example.com/switchboard"
            {...form.register("url")}
          />
        )}
      </Field>
      <Field
        label="Description (optional)"
        error={errors.description?.message}
        description="For people: what this endpoint is for, e.g. “Order updates in the shop”."
      >
        {(control) => <Input {...control} autoComplete="off" maxLength={500} {...form.register("description")} />}
      </Field>
      <Controller
        control={form.control}
        name="events"
        render={({ field }) => (
          <EventFilter
            firstRef={field.ref}
            value={{ allEvents, events: field.value }}
            onChange={(next) => {
              form.setValue("allEvents", next.allEvents, { shouldDirty: true });
              field.onChange(next.events);
              if (errors.events) void form.trigger("events");
            }}
            error={errors.events?.message}
          />
        )}
      />
      <Button type="submit" loading={isSubmitting}>
        {submitLabel}
      </Button>
    </form>
  );
}
