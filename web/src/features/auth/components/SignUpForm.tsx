import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Button } from "../../../components/ui/Button.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { Field } from "../../../components/ui/Field.tsx";
import { Input } from "../../../components/ui/Input.tsx";
import { describeError, formFieldOf } from "../../../lib/errors.ts";
import { useSignUp } from "../api/sign-up.ts";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./password-rules.ts";

const FIELDS = ["companyName", "email", "password"] as const;

// The server's rules (SignUpInput, the password policy), checked here first so nobody waits for a refusal.
const schema = z.object({
  companyName: z.string().trim().min(1, "Enter your company's name.").max(200, "Use at most 200 characters for the company name."),
  email: z
    .string()
    .trim()
    .min(1, "Enter your email address.")
    .max(320, "Use at most 320 characters for the email address.")
    .pipe(z.email("Enter a valid email address.")),
  password: z
    .string()
    .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters for the password.`)
    .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters for the password.`),
});

type SignUpValues = z.infer<typeof schema>;

export function SignUpForm({ onSignedUp }: { onSignedUp: () => void }) {
  const signUp = useSignUp();
  const form = useForm<SignUpValues>({ resolver: zodResolver(schema), defaultValues: { companyName: "", email: "", password: "" } });
  const { errors } = form.formState;

  const submit = form.handleSubmit((values) =>
    signUp.mutate(values, {
      onSuccess: onSignedUp,
      onError: (error) => {
        const field = formFieldOf(error, FIELDS);
        if (field) form.setError(field, { type: "server", message: describeError(error).message }, { shouldFocus: true });
      },
    }),
  );
  const formError = signUp.error && !formFieldOf(signUp.error, FIELDS) ? signUp.error : null;

  return (
    <form noValidate onSubmit={submit} className="space-y-5" aria-label="Create your account">
      {formError && <ErrorDisplay error={formError} title="Could not create the account" />}
      <Field label="Company name" error={errors.companyName?.message} description="Your team sees it in the dashboard; you can change it later.">
        {(control) => <Input {...control} autoComplete="organization" {...form.register("companyName")} />}
      </Field>
      <Field label="Work email" error={errors.email?.message}>
        {(control) => <Input {...control} type="email" autoComplete="email" inputMode="email" {...form.register("email")} />}
      </Field>
      <Field
        label="Password"
        error={errors.password?.message}
        description={
          <ul className="list-disc space-y-0.5 pl-5">
            <li>At least {PASSWORD_MIN_LENGTH} characters (a few words make a good one)</li>
            <li>Not a common password, and not your email address</li>
          </ul>
        }
      >
        {(control) => <Input {...control} type="password" autoComplete="new-password" {...form.register("password")} />}
      </Field>
      <Button type="submit" className="w-full" loading={signUp.isPending}>
        Create account
      </Button>
    </form>
  );
}
