import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Button } from "../../../components/ui/Button.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { Field } from "../../../components/ui/Field.tsx";
import { Input } from "../../../components/ui/Input.tsx";
import { Notice } from "../../../components/ui/Notice.tsx";
import { describeError, formFieldOf } from "../../../lib/errors.ts";
import { useSandboxAvailable } from "../../../lib/sandbox-available.ts";
import { useConnectWhatsApp } from "../api/connect-whatsapp.ts";

const FIELDS = ["number", "apiKey"] as const;

// The server's rules (ConnectWhatsAppInput, phone-number.ts), checked first so nobody waits for a refusal.
const phoneNumber = z
  .string()
  .trim()
  .min(1, "Enter the WhatsApp number, with its country code.")
  .refine((value) => /^\+?[0-9]{6,15}$/.test(value.replace(/[\s().-]/g, "")), "Use international format, e.g. +8801712345678.");

const schema = z.object({
  number: phoneNumber,
  apiKey: z.string().trim().min(1, "Paste the number's Rapiwa API key.").max(500, "A Rapiwa API key has at most 500 characters."),
});
type ConnectValues = z.infer<typeof schema>;

const sandboxSchema = z.object({ number: phoneNumber });
type SandboxValues = z.infer<typeof sandboxSchema>;

export type Connection = { number: string; provider: "RAPIWA" | "SANDBOX" };

/** A made-up number for the sandbox: nothing is ever sent to it. */
export const SANDBOX_EXAMPLE_NUMBER = "+15555550100";

/**
 * Step 2: connect the tenant's WhatsApp number with its Rapiwa key, or try the built-in sandbox
 * (offered only by servers that have it: never in production).
 */
export function ConnectWhatsAppStep({ connection, onConnected }: { connection: Connection | null; onConnected: () => void }) {
  const [changing, setChanging] = useState(false);
  const sandboxAvailable = useSandboxAvailable();
  if (connection && !changing) {
    return (
      <div className="space-y-4">
        <Notice tone="success">
          <span aria-hidden="true">✓ </span>
          {connection.provider === "SANDBOX" ? `The sandbox is connected as ${connection.number}.` : `${connection.number} is connected through Rapiwa.`}
        </Notice>
        <Button variant="secondary" size="sm" onClick={() => setChanging(true)}>
          Connect another number
        </Button>
      </div>
    );
  }
  return (
    <div className="space-y-8">
      <RapiwaInstructions />
      <RapiwaForm onConnected={onConnected} />
      {sandboxAvailable && <SandboxForm onConnected={onConnected} />}
    </div>
  );
}

function RapiwaInstructions() {
  return (
    <section aria-labelledby="rapiwa-steps" className="space-y-2 text-sm text-zinc-700">
      <h3 id="rapiwa-steps" className="font-medium text-zinc-900">
        Get your Rapiwa API key
      </h3>
      <ol className="list-decimal space-y-1 pl-5">
        <li>Log in to Rapiwa (app.rapiwa.com) and add a device for your WhatsApp number.</li>
        <li>
          On your phone, open WhatsApp, then <strong>Settings → Linked devices → Link a device</strong>, and scan the QR code Rapiwa shows.
        </li>
        <li>Once Rapiwa shows the device as connected, copy its API key and paste it below with the number.</li>
      </ol>
      <p>We check the key by sending one confirmation message to the number. Nothing is saved if that fails.</p>
    </section>
  );
}

function RapiwaForm({ onConnected }: { onConnected: () => void }) {
  const connect = useConnectWhatsApp();
  const form = useForm<ConnectValues>({ resolver: zodResolver(schema), defaultValues: { number: "", apiKey: "" } });
  const { errors } = form.formState;

  const submit = form.handleSubmit((values) =>
    connect.mutate(values, {
      onSuccess: onConnected,
      onError: (error) => {
        const field = formFieldOf(error, FIELDS);
        if (field) form.setError(field, { type: "server", message: describeError(error).message }, { shouldFocus: true });
      },
    }),
  );
  const formError = connect.error && !formFieldOf(connect.error, FIELDS) ? connect.error : null;

  return (
    <form noValidate onSubmit={submit} className="space-y-4" aria-label="Connect your WhatsApp number">
      {formError && <ErrorDisplay error={formError} title="Could not connect the number" />}
      <Field label="WhatsApp number" error={errors.number?.message} description="With the country code, e.g. +8801712345678.">
        {(control) => <Input {...control} type="tel" autoComplete="tel" inputMode="tel" {...form.register("number")} />}
      </Field>
      <Field label="Rapiwa API key" error={errors.apiKey?.message} description="Stored encrypted; nobody can read it back, not even you.">
        {(control) => <Input {...control} autoComplete="off" spellCheck={false} {...form.register("apiKey")} />}
      </Field>
      <Button type="submit" loading={connect.isPending}>
        Connect number
      </Button>
    </form>
  );
}

function SandboxForm({ onConnected }: { onConnected: () => void }) {
  const connect = useConnectWhatsApp();
  const form = useForm<SandboxValues>({ resolver: zodResolver(sandboxSchema), defaultValues: { number: SANDBOX_EXAMPLE_NUMBER } });
  const { errors } = form.formState;

  const submit = form.handleSubmit(({ number }) =>
    connect.mutate(
      { number, apiKey: `sandbox_${crypto.randomUUID()}` },
      {
        onSuccess: onConnected,
        onError: (error) => {
          if (formFieldOf(error, ["number"])) form.setError("number", { type: "server", message: describeError(error).message }, { shouldFocus: true });
        },
      },
    ),
  );
  const error = connect.error && !formFieldOf(connect.error, ["number"]) ? connect.error : null;

  return (
    <section aria-labelledby="sandbox-heading" className="space-y-3 rounded-lg border border-dashed border-zinc-300 p-4">
      <h3 id="sandbox-heading" className="font-medium text-zinc-900">
        No Rapiwa account yet? Try the sandbox
      </h3>
      <p className="text-sm text-zinc-700">
        The sandbox stands in for WhatsApp on test servers: sends succeed and are delivered a moment later, and nothing really goes out. You can connect your
        real number later.
      </p>
      {error && <ErrorDisplay error={error} title="Could not connect the sandbox" />}
      <form noValidate onSubmit={submit} className="space-y-3" aria-label="Connect the sandbox">
        <Field label="Number to show as yours" error={errors.number?.message} description="Any number in international format; nothing is sent to it.">
          {(control) => <Input {...control} type="tel" inputMode="tel" {...form.register("number")} />}
        </Field>
        <Button type="submit" variant="secondary" loading={connect.isPending}>
          Try the sandbox
        </Button>
      </form>
    </section>
  );
}
