import { zodResolver } from "@hookform/resolvers/zod";
import { useId } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Button } from "../../../components/ui/Button.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { Field } from "../../../components/ui/Field.tsx";
import { Input } from "../../../components/ui/Input.tsx";
import type { ApiKeyScope } from "../../../graphql/graphql.ts";
import { describeError, formFieldOf } from "../../../lib/errors.ts";
import { useCreateApiKey } from "../api/create-api-key.ts";
import { SCOPES } from "./scopes.ts";

const FIELDS = ["name", "scopes"] as const;

// The server's rules (CreateApiKeyInput), checked here first so nobody waits for a refusal.
const schema = z.object({
  name: z.string().trim().min(1, "Give the key a name, e.g. the app that will use it.").max(100, "Use at most 100 characters for the name."),
  scopes: z.array(z.enum(["MESSAGES_SEND", "MESSAGES_READ", "USAGE_READ", "TENANT_ADMIN"])).min(1, "Choose at least one thing the key may do."),
});

type CreateApiKeyValues = z.infer<typeof schema>;

export type CreatedKey = { name: string; prefix: string; secret: string };

/** A name and scopes for a new key; `onCreated` gets the secret, which no later answer contains. */
export function CreateApiKeyForm({ onCreated }: { onCreated: (created: CreatedKey) => void }) {
  const create = useCreateApiKey();
  const form = useForm<CreateApiKeyValues>({ resolver: zodResolver(schema), defaultValues: { name: "", scopes: ["MESSAGES_SEND"] } });
  const { errors } = form.formState;
  const scopesId = useId();
  // Registered in the order of the form, so a failed submit focuses the first field at fault.
  const nameField = form.register("name");
  const scopesField = form.register("scopes");

  const submit = form.handleSubmit((values) =>
    create.mutate(values, {
      onSuccess: ({ createApiKey }) => {
        form.reset();
        onCreated({ name: createApiKey.apiKey.name, prefix: createApiKey.apiKey.prefix, secret: createApiKey.secret });
      },
      onError: (error) => {
        const field = formFieldOf(error, FIELDS);
        if (field) form.setError(field, { type: "server", message: describeError(error).message }, { shouldFocus: true });
      },
    }),
  );
  const formError = create.error && !formFieldOf(create.error, FIELDS) ? create.error : null;
  const scopesError = errors.scopes?.message;

  return (
    <form noValidate onSubmit={submit} className="space-y-5" aria-label="Create an API key">
      {formError && <ErrorDisplay error={formError} title="Could not create the key" />}
      <Field label="Name" error={errors.name?.message} description="What the key is for, so you can tell keys apart later (e.g. “Shop backend”).">
        {(control) => <Input {...control} autoComplete="off" maxLength={100} {...nameField} />}
      </Field>
      <fieldset aria-describedby={scopesError ? `${scopesId}-error` : undefined} aria-invalid={Boolean(scopesError)}>
        <legend className="text-sm font-medium text-zinc-900">What the key may do</legend>
        {scopesError && (
          <p id={`${scopesId}-error`} className="mt-1.5 flex gap-1.5 text-sm text-red-700">
            <span aria-hidden="true">!</span>
            {scopesError}
          </p>
        )}
        <div className="mt-2 space-y-2">
          {SCOPES.map(({ scope, label, description }) => (
            <ScopeCheckbox key={scope} scope={scope} label={label} description={description} register={scopesField} />
          ))}
        </div>
      </fieldset>
      <Button type="submit" loading={create.isPending}>
        Create key
      </Button>
    </form>
  );
}

type ScopeCheckboxProps = {
  scope: ApiKeyScope;
  label: string;
  description: string;
  register: ReturnType<ReturnType<typeof useForm<CreateApiKeyValues>>["register"]>;
};

function ScopeCheckbox({ scope, label, description, register }: ScopeCheckboxProps) {
  const id = useId();
  return (
    <div className="flex items-start gap-3 rounded-md border border-zinc-200 p-3 has-checked:border-emerald-600 has-checked:bg-emerald-50/50">
      <input
        id={id}
        type="checkbox"
        value={scope}
        aria-describedby={`${id}-description`}
        className="mt-0.5 size-4 shrink-0 accent-emerald-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-emerald-600"
        {...register}
      />
      <div className="min-w-0">
        <label htmlFor={id} className="block text-sm font-medium text-zinc-900">
          {label} <code className="ml-1 text-xs font-normal text-zinc-600">{scope}</code>
        </label>
        <p id={`${id}-description`} className="text-sm text-zinc-600">
          {description}
        </p>
      </div>
    </div>
  );
}
