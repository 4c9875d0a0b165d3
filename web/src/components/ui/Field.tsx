import { useId, type ReactNode } from "react";

/** What a form control needs to be tied to its label, description and error. */
export type FieldControlProps = { id: string; "aria-invalid": boolean; "aria-describedby": string | undefined };

type FieldProps = {
  label: string;
  /** Help shown before anything goes wrong (e.g. the password rules). */
  description?: ReactNode;
  /** The validation or server error for this field. */
  error?: string | undefined;
  children: (control: FieldControlProps) => ReactNode;
};

/**
 * A labelled form control with its help text and error underneath, both read out with the control
 * (aria-describedby): `<Field label="Email" error={...}>{(control) => <Input {...control} />}</Field>`.
 */
export function Field({ label, description, error, children }: FieldProps) {
  const id = useId();
  const descriptionId = description ? `${id}-description` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, descriptionId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-zinc-900">
        {label}
      </label>
      {children({ id, "aria-invalid": Boolean(error), "aria-describedby": describedBy })}
      {error && (
        <p id={errorId} className="flex gap-1.5 text-sm text-red-700">
          <span aria-hidden="true">!</span>
          {error}
        </p>
      )}
      {description && (
        <div id={descriptionId} className="text-sm text-zinc-600">
          {description}
        </div>
      )}
    </div>
  );
}
