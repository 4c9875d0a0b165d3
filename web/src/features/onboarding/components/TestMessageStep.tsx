import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Button } from "../../../components/ui/Button.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { Field } from "../../../components/ui/Field.tsx";
import { Input } from "../../../components/ui/Input.tsx";
import { describeError, formFieldOf } from "../../../lib/errors.ts";
import { useSendTestMessage } from "../api/send-test-message.ts";
import { MessageStatusWatcher } from "./MessageStatusWatcher.tsx";

const FIELDS = ["to", "text"] as const;

const schema = z.object({
  to: z
    .string()
    .trim()
    .min(1, "Enter the number to send the test to.")
    .refine((value) => /^\+?[0-9]{6,15}$/.test(value.replace(/[\s().-]/g, "")), "Use international format, e.g. +8801712345678."),
  text: z.string().trim().min(1, "Write the message.").max(4096, "A message has at most 4,096 characters."),
});
type TestValues = z.infer<typeof schema>;

export const DEFAULT_TEST_TEXT = "Hello from Switchboard! This is a test message.";

/**
 * Step 4: send one message and watch it go QUEUED → SENT → DELIVERED. `messageId`: the one being watched
 * (kept by the wizard so a reload keeps watching it).
 */
export function TestMessageStep({
  defaultTo,
  sandbox,
  messageId,
  onSent,
  onFinal,
}: {
  defaultTo: string;
  sandbox: boolean;
  messageId: string | null;
  onSent: (id: string | null) => void;
  /** The watched message reached DELIVERED, READ, FAILED or UNKNOWN. */
  onFinal?: () => void;
}) {
  const send = useSendTestMessage();
  const form = useForm<TestValues>({ resolver: zodResolver(schema), defaultValues: { to: defaultTo, text: DEFAULT_TEST_TEXT } });
  const { errors } = form.formState;
  // One key per recipient and text: a double click, or sending again after a lost answer, returns the
  // first message instead of sending a second one. "Send another" starts afresh.
  const [keys] = useState(() => new Map<string, string>());
  const keyFor = ({ to, text }: TestValues) => {
    const content = `${to}\n${text}`;
    let key = keys.get(content);
    if (!key) keys.set(content, (key = `onboarding-test-${crypto.randomUUID()}`));
    return key;
  };

  const submit = form.handleSubmit((values) =>
    send.mutate(
      { ...values, idempotencyKey: keyFor(values) },
      {
        onSuccess: (data) => onSent(data.sendMessage.id),
        onError: (error) => {
          const field = formFieldOf(error, FIELDS);
          if (field) form.setError(field, { type: "server", message: describeError(error).message }, { shouldFocus: true });
        },
      },
    ),
  );
  const formError = send.error && !formFieldOf(send.error, FIELDS) ? send.error : null;

  if (messageId) {
    return (
      <div className="space-y-4">
        <MessageStatusWatcher id={messageId} {...(onFinal ? { onFinal } : {})} />
        <Button
          variant="secondary"
          size="sm"
          onClick={() => {
            keys.clear();
            send.reset();
            onSent(null);
          }}
        >
          Send another
        </Button>
      </div>
    );
  }
  return (
    <form noValidate onSubmit={submit} className="space-y-4" aria-label="Send a test message">
      <p className="text-sm text-zinc-700">
        {sandbox
          ? "The sandbox accepts any number and reports the message delivered about a second later; nothing really goes out."
          : "Send it to your own phone (or a colleague's): it really goes out through your number."}
      </p>
      {formError && <ErrorDisplay error={formError} title="Could not send the message" />}
      <Field label="Send to" error={errors.to?.message} description="International format, e.g. +8801712345678.">
        {(control) => <Input {...control} type="tel" autoComplete="tel" inputMode="tel" {...form.register("to")} />}
      </Field>
      <Field label="Message" error={errors.text?.message}>
        {(control) => <Input {...control} {...form.register("text")} />}
      </Field>
      <Button type="submit" loading={send.isPending}>
        Send test message
      </Button>
    </form>
  );
}
