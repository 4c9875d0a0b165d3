import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Button } from "../../../components/ui/Button.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { Field } from "../../../components/ui/Field.tsx";
import { describeError, formFieldOf } from "../../../lib/errors.ts";
import { useStartSupportSession } from "../api/start-support-session.ts";
import { sessionStateOf, type SupportSessionState } from "./session-storage.ts";

const FIELDS = ["reason"] as const;

// The server's rule (10 to 500 characters, trimmed), repeated so the form says it before sending.
const schema = z.object({
  reason: z.string().trim().min(10, "Say why in at least 10 characters: the ticket and what the customer asked.").max(500, "Use at most 500 characters."),
});

/** Before any read: the reason, recorded with every read of this session and shown to the tenants read. */
export function StartSessionForm({ onStarted }: { onStarted: (session: SupportSessionState) => void }) {
  const start = useStartSupportSession();
  const form = useForm<z.infer<typeof schema>>({ resolver: zodResolver(schema), defaultValues: { reason: "" } });
  const { errors } = form.formState;
  const submit = form.handleSubmit(({ reason }) =>
    start.mutate(reason, {
      onSuccess: ({ startSupportSession }) => onStarted(sessionStateOf(startSupportSession)),
      onError: (error) => {
        if (formFieldOf(error, FIELDS)) form.setError("reason", { type: "server", message: describeError(error).message }, { shouldFocus: true });
      },
    }),
  );
  const formError = start.error && !formFieldOf(start.error, FIELDS) ? start.error : null;
  return (
    <form noValidate onSubmit={submit} className="space-y-4" aria-label="Start a support session">
      {formError && <ErrorDisplay error={formError} title="Could not start the session" />}
      <Field
        label="Reason"
        error={errors.reason?.message}
        description="The ticket and what the customer asked, 10 to 500 characters. It is recorded with everything you search for or open in the next 30 minutes, and the companies whose data you see can read it."
      >
        {(control) => (
          <textarea
            {...control}
            rows={3}
            className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-base text-zinc-900 placeholder:text-zinc-500 focus-visible:border-emerald-600 focus-visible:outline-2 focus-visible:outline-emerald-600 aria-invalid:border-red-600 sm:text-sm"
            {...form.register("reason")}
          />
        )}
      </Field>
      <Button type="submit" loading={start.isPending}>
        Start session
      </Button>
    </form>
  );
}
