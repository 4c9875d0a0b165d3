import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Button } from "../../../components/ui/Button.tsx";
import { Field } from "../../../components/ui/Field.tsx";
import { Input } from "../../../components/ui/Input.tsx";
import type { MessageDirection, MessageStatus, SupportMessageFilter } from "../../../graphql/graphql.ts";

const STATUSES = ["QUEUED", "SENDING", "SENT", "DELIVERED", "READ", "FAILED", "RECEIVED", "UNKNOWN"] as const satisfies readonly MessageStatus[];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const optionalId = (what: string) =>
  z
    .string()
    .trim()
    .refine((value) => value === "" || UUID.test(value), `Paste the whole ${what} id (a UUID).`);

// The server's rules, said before sending: something to look for, text of 3+ characters, ids as UUIDs.
const schema = z
  .object({
    contact: z.string().trim().max(40, "A number has at most 40 characters."),
    text: z
      .string()
      .trim()
      .max(200, "Search for at most 200 characters.")
      .refine((value) => value === "" || value.length >= 3, "Search for at least 3 characters."),
    providerMessageId: z.string().trim().max(1000),
    messageId: optionalId("message"),
    tenantId: optionalId("company"),
    status: z.enum(["", ...STATUSES]),
    direction: z.enum(["", "OUTBOUND", "INBOUND"]),
    createdAfter: z.string(),
    createdBefore: z.string(),
  })
  .refine((values) => values.contact || values.text || values.providerMessageId || values.messageId || values.tenantId, {
    path: ["contact"],
    message: "Give a number, text, a provider message id, a message id or a company id to look for.",
  });

type Values = z.infer<typeof schema>;
const EMPTY: Values = {
  contact: "",
  text: "",
  providerMessageId: "",
  messageId: "",
  tenantId: "",
  status: "",
  direction: "",
  createdAfter: "",
  createdBefore: "",
};

/** The form's values as the API's filter (dates as the start of that day, local time). */
function filterOf(values: Values): SupportMessageFilter {
  const day = (value: string) => new Date(`${value}T00:00:00`).toISOString();
  return {
    ...(values.contact ? { contact: values.contact } : {}),
    ...(values.text ? { text: values.text } : {}),
    ...(values.providerMessageId ? { providerMessageId: values.providerMessageId } : {}),
    ...(values.messageId ? { messageId: values.messageId } : {}),
    ...(values.tenantId ? { tenantId: values.tenantId } : {}),
    ...(values.status ? { statuses: [values.status] } : {}),
    ...(values.direction ? { direction: values.direction as MessageDirection } : {}),
    ...(values.createdAfter ? { createdAfter: day(values.createdAfter) } : {}),
    ...(values.createdBefore ? { createdBefore: new Date(Date.parse(day(values.createdBefore)) + 86_400_000).toISOString() } : {}),
  };
}

const selectClasses =
  "block h-10 w-full rounded-md border border-zinc-300 bg-white px-3 text-base text-zinc-900 focus-visible:border-emerald-600 focus-visible:outline-2 focus-visible:outline-emerald-600 sm:text-sm";

/** What to look for across companies; each search is recorded for the companies it shows. */
export function SearchForm({ onSearch }: { onSearch: (filter: SupportMessageFilter) => void }) {
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: EMPTY });
  const { errors } = form.formState;
  return (
    <form noValidate onSubmit={form.handleSubmit((values) => onSearch(filterOf(values)))} className="space-y-4" aria-label="Search messages">
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Contact's number" error={errors.contact?.message} description="Exact, international format: +14155550123">
          {(control) => <Input {...control} type="tel" inputMode="tel" autoComplete="off" {...form.register("contact")} />}
        </Field>
        <Field label="Text" error={errors.text?.message} description="Part of the message, 3+ characters, any case">
          {(control) => <Input {...control} autoComplete="off" {...form.register("text")} />}
        </Field>
        <Field label="Provider message id" error={errors.providerMessageId?.message}>
          {(control) => <Input {...control} autoComplete="off" {...form.register("providerMessageId")} />}
        </Field>
        <Field label="Message id" error={errors.messageId?.message}>
          {(control) => <Input {...control} autoComplete="off" {...form.register("messageId")} />}
        </Field>
        <Field label="Company id" error={errors.tenantId?.message}>
          {(control) => <Input {...control} autoComplete="off" {...form.register("tenantId")} />}
        </Field>
        <div className="grid grid-cols-2 gap-4">
          <Field label="Status">
            {(control) => (
              <select {...control} className={selectClasses} {...form.register("status")}>
                <option value="">Any</option>
                {STATUSES.map((status) => (
                  <option key={status} value={status}>
                    {status}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Direction">
            {(control) => (
              <select {...control} className={selectClasses} {...form.register("direction")}>
                <option value="">Both</option>
                <option value="OUTBOUND">Sent</option>
                <option value="INBOUND">Received</option>
              </select>
            )}
          </Field>
        </div>
        <Field label="Created from">{(control) => <Input {...control} type="date" {...form.register("createdAfter")} />}</Field>
        <Field label="Created until">{(control) => <Input {...control} type="date" {...form.register("createdBefore")} />}</Field>
      </div>
      <Button type="submit">Search</Button>
    </form>
  );
}
