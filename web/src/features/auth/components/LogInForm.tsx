import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Button } from "../../../components/ui/Button.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { Field } from "../../../components/ui/Field.tsx";
import { Input } from "../../../components/ui/Input.tsx";
import { describeError, formFieldOf } from "../../../lib/errors.ts";
import { useLogIn } from "../api/log-in.ts";

const FIELDS = ["email", "password"] as const;

const schema = z.object({
  email: z.string().trim().min(1, "Enter your email address.").pipe(z.email("Enter a valid email address.")),
  password: z.string().min(1, "Enter your password."),
});

type LogInValues = z.infer<typeof schema>;

export function LogInForm({ onLoggedIn }: { onLoggedIn: () => void }) {
  const logIn = useLogIn();
  const form = useForm<LogInValues>({ resolver: zodResolver(schema), defaultValues: { email: "", password: "" } });
  const { errors } = form.formState;

  const submit = form.handleSubmit((values) =>
    logIn.mutate(values, {
      onSuccess: onLoggedIn,
      onError: (error) => {
        const field = formFieldOf(error, FIELDS);
        if (field) form.setError(field, { type: "server", message: describeError(error).message }, { shouldFocus: true });
      },
    }),
  );
  const formError = logIn.error && !formFieldOf(logIn.error, FIELDS) ? logIn.error : null;

  return (
    <form noValidate onSubmit={submit} className="space-y-5" aria-label="Log in">
      {formError && <ErrorDisplay error={formError} title="Could not log in" useServerMessageFor={["UNAUTHENTICATED"]} />}
      <Field label="Email" error={errors.email?.message}>
        {(control) => <Input {...control} type="email" autoComplete="username" inputMode="email" {...form.register("email")} />}
      </Field>
      <Field label="Password" error={errors.password?.message}>
        {(control) => <Input {...control} type="password" autoComplete="current-password" {...form.register("password")} />}
      </Field>
      <Button type="submit" className="w-full" loading={logIn.isPending}>
        Log in
      </Button>
    </form>
  );
}
