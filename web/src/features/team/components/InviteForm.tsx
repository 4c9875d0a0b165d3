import { zodResolver } from "@hookform/resolvers/zod";
import { useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import { Button } from "../../../components/ui/Button.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { Field } from "../../../components/ui/Field.tsx";
import { Input } from "../../../components/ui/Input.tsx";
import { toast } from "../../../components/ui/Toast.tsx";
import type { MembershipRole } from "../../../graphql/graphql.ts";
import { describeError, formFieldOf } from "../../../lib/errors.ts";
import { useInviteTeamMember } from "../api/team.ts";
import { invitableRoles, ROLE_DESCRIPTIONS, ROLE_NAMES } from "./team-rules.ts";
import { Select } from "./Select.tsx";

const FIELDS = ["email", "role"] as const;

const schema = z.object({
  email: z
    .string()
    .trim()
    .min(1, "Enter the email address to invite.")
    .max(320, "Use at most 320 characters for the email address.")
    .pipe(z.email("Enter a valid email address.")),
  role: z.enum(["OWNER", "ADMIN", "MEMBER"]),
});

type InviteValues = z.infer<typeof schema>;

/** Invites an email with a role; the person joins only by accepting (after logging in or signing up with it). */
export function InviteForm({ viewerRole }: { viewerRole: MembershipRole }) {
  const invite = useInviteTeamMember();
  const roles = invitableRoles(viewerRole);
  const form = useForm<InviteValues>({ resolver: zodResolver(schema), defaultValues: { email: "", role: "MEMBER" } });
  const { errors } = form.formState;

  const submit = form.handleSubmit((values) =>
    invite.mutate(values, {
      onSuccess: (result) => {
        toast("Invitation sent", `${result.inviteTeamMember.email} joins as ${ROLE_NAMES[result.inviteTeamMember.role].toLowerCase()} once they accept.`);
        form.reset({ email: "", role: values.role });
      },
      onError: (error) => {
        const field = formFieldOf(error, FIELDS);
        if (field) form.setError(field, { type: "server", message: describeError(error).message }, { shouldFocus: true });
      },
    }),
  );
  const formError = invite.error && !formFieldOf(invite.error, FIELDS) ? invite.error : null;
  const role = useWatch({ control: form.control, name: "role" });

  return (
    <form noValidate onSubmit={submit} aria-label="Invite someone" className="space-y-4">
      {formError && <ErrorDisplay error={formError} title="Could not send the invitation" />}
      <div className="grid gap-4 sm:grid-cols-[1fr_12rem]">
        <Field label="Email address" error={errors.email?.message}>
          {(control) => <Input {...control} type="email" autoComplete="off" inputMode="email" {...form.register("email")} />}
        </Field>
        <Field label="Role" error={errors.role?.message} description={viewerRole === "ADMIN" ? "Only an owner can invite an owner." : undefined}>
          {(control) => (
            <Select {...control} {...form.register("role")}>
              {roles.map((option) => (
                <option key={option} value={option}>
                  {ROLE_NAMES[option]}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      <p className="text-sm text-zinc-600">
        {ROLE_NAMES[role]}: {ROLE_DESCRIPTIONS[role].toLowerCase()}. They join only by accepting the invitation, after logging in or signing up with this email;
        it stays open for 7 days. Your company can send up to 20 invitations an hour.
      </p>
      <Button type="submit" loading={invite.isPending}>
        Send invitation
      </Button>
    </form>
  );
}
