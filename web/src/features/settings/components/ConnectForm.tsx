import { zodResolver } from "@hookform/resolvers/zod";
import { useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import { Button } from "../../../components/ui/Button.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { Field } from "../../../components/ui/Field.tsx";
import { Input } from "../../../components/ui/Input.tsx";
import { toast } from "../../../components/ui/Toast.tsx";
import { describeError, formFieldOf } from "../../../lib/errors.ts";
import { useSandboxAvailable } from "../../../lib/sandbox-available.ts";
import { useConnectWhatsApp } from "../api/whatsapp.ts";

const FIELDS = ["number", "apiKey", "sendRatePerSecond"] as const;

export const SANDBOX_KEY = "sandbox_dashboard";

// ConnectWhatsAppInput's rules; the number's format and the key itself are checked by the server and Rapiwa.
const schema = z.object({
  number: z.string().trim().min(1, "Enter the WhatsApp number, with its country code (+8801712345678)."),
  apiKey: z.string().trim().min(1, "Paste the number's Rapiwa API key.").max(500, "An API key has at most 500 characters: check what you pasted."),
  useSandbox: z.boolean(),
  sendRatePerSecond: z
    .string()
    .trim()
    .refine((value) => value === "" || (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 1000), "Use a whole number from 1 to 1,000."),
});

type ConnectValues = z.infer<typeof schema>;

type ConnectFormProps = {
  /** Prefills the number (reconnecting the one that was disconnected). */
  number?: string | undefined;
  /** The rate kept when the field is left empty. */
  currentRate?: number | undefined;
  submitLabel?: string;
  onConnected?: () => void;
};

/**
 * Connects a number with its Rapiwa API key. The server checks the key by sending a confirmation
 * message to the number; what Rapiwa answered goes under the field it is about.
 */
export function ConnectForm({ number = "", currentRate, submitLabel = "Connect", onConnected }: ConnectFormProps) {
  const connect = useConnectWhatsApp();
  const form = useForm<ConnectValues>({ resolver: zodResolver(schema), defaultValues: { number, apiKey: "", useSandbox: false, sendRatePerSecond: "" } });
  const { errors } = form.formState;
  const useSandbox = useWatch({ control: form.control, name: "useSandbox" });
  const sandboxAvailable = useSandboxAvailable();

  const submit = form.handleSubmit(({ number: value, apiKey, sendRatePerSecond }) =>
    connect.mutate(
      { number: value, apiKey, ...(sendRatePerSecond ? { sendRatePerSecond: Number(sendRatePerSecond) } : {}) },
      {
        onSuccess: (result) => {
          toast("WhatsApp number connected", result.connectWhatsApp.number);
          onConnected?.();
        },
        onError: (error) => {
          const field = formFieldOf(error, FIELDS);
          if (field) form.setError(field, { type: "server", message: describeError(error).message }, { shouldFocus: true });
        },
      },
    ),
  );
  const formError = connect.error && !formFieldOf(connect.error, FIELDS) ? connect.error : null;
  const sandbox = form.register("useSandbox", {
    onChange: (event: { target: { checked: boolean } }) => form.setValue("apiKey", event.target.checked ? SANDBOX_KEY : "", { shouldValidate: false }),
  });

  return (
    <form noValidate onSubmit={submit} aria-label="Connect a WhatsApp number" className="space-y-4">
      {formError && <ErrorDisplay error={formError} title="Could not connect the number" />}
      <Field label="WhatsApp number" error={errors.number?.message} description="International format with the country code, e.g. +8801712345678.">
        {(control) => <Input {...control} type="tel" autoComplete="tel" inputMode="tel" {...form.register("number")} />}
      </Field>
      {sandboxAvailable && (
        <div className="flex items-start gap-2">
          <input
            id="connect-use-sandbox"
            type="checkbox"
            className="mt-0.5 size-4 accent-emerald-700"
            aria-describedby="connect-use-sandbox-help"
            {...sandbox}
          />
          <div>
            <label htmlFor="connect-use-sandbox" className="text-sm font-medium text-zinc-900">
              Use the sandbox instead of Rapiwa
            </label>
            <p id="connect-use-sandbox-help" className="text-sm text-zinc-600">
              For trying things out: messages are accepted and nothing is sent. This server offers it because it is not a production one.
            </p>
          </div>
        </div>
      )}
      <Field
        label="Rapiwa API key"
        error={errors.apiKey?.message}
        description={
          useSandbox
            ? "A sandbox key (it starts with sandbox_)."
            : "The device key from your Rapiwa account. We check it by sending a confirmation message to the number, then store it encrypted; nothing is saved if the check fails."
        }
      >
        {(control) => <Input {...control} type={useSandbox ? "text" : "password"} autoComplete="off" spellCheck={false} {...form.register("apiKey")} />}
      </Field>
      <Field
        label="Send rate (messages per second, optional)"
        error={errors.sendRatePerSecond?.message}
        description={`At most this many messages a second go to the provider; 1 to 1,000. Left empty: ${currentRate ?? 20}.`}
      >
        {(control) => (
          <Input {...control} inputMode="numeric" className="max-w-40" placeholder={String(currentRate ?? 20)} {...form.register("sendRatePerSecond")} />
        )}
      </Field>
      <Button type="submit" loading={connect.isPending}>
        {submitLabel}
      </Button>
    </form>
  );
}
