import { useId, type FormEvent } from "react";
import { Button } from "../../../components/ui/Button.tsx";
import { Input } from "../../../components/ui/Input.tsx";
import type { MessageStatus } from "../../../graphql/graphql.ts";
import { DIRECTIONS, STATUSES, validateMessageLogSearch, type MessageLogSearch } from "../search.ts";
import { DIRECTION_LABEL, STATUS_LABEL } from "./labels.ts";

const SELECT =
  "block h-10 w-full rounded-md border border-zinc-300 bg-white px-3 text-base text-zinc-900 sm:text-sm focus-visible:border-emerald-600 focus-visible:outline-2 focus-visible:outline-emerald-600";

/**
 * The filters, read from the URL and written back to it on "Apply" (the form is remade whenever the
 * URL changes, so Back and shared links fill it). Applying starts again from the first page.
 */
export function MessageFilters({ search, onApply }: { search: MessageLogSearch; onApply: (filters: MessageLogSearch) => void }) {
  const id = useId();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    onApply(
      validateMessageLogSearch({
        direction: form.get("direction"),
        status: form.getAll("status"),
        contact: form.get("contact"),
        q: form.get("q"),
        from: form.get("from"),
        to: form.get("to"),
      }),
    );
  };
  const selected = new Set<MessageStatus>(search.status ?? []);
  return (
    <form key={JSON.stringify(search)} role="search" aria-label="Filter messages" onSubmit={submit} className="space-y-4">
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-[1fr_1fr_9rem_20rem]">
        <div className="space-y-1.5">
          <label htmlFor={`${id}-q`} className="block text-sm font-medium text-zinc-900">
            Text
          </label>
          <Input id={`${id}-q`} name="q" type="search" defaultValue={search.q ?? ""} maxLength={200} placeholder="Words in the message" />
        </div>
        <div className="space-y-1.5">
          <label htmlFor={`${id}-contact`} className="block text-sm font-medium text-zinc-900">
            Contact number
          </label>
          <Input id={`${id}-contact`} name="contact" type="tel" defaultValue={search.contact ?? ""} maxLength={40} placeholder="+8801712345678" />
        </div>
        <div className="space-y-1.5">
          <label htmlFor={`${id}-direction`} className="block text-sm font-medium text-zinc-900">
            Direction
          </label>
          <select id={`${id}-direction`} name="direction" defaultValue={search.direction ?? ""} className={SELECT}>
            <option value="">Both</option>
            {DIRECTIONS.map((direction) => (
              <option key={direction} value={direction}>
                {DIRECTION_LABEL[direction]}
              </option>
            ))}
          </select>
        </div>
        <div className="grid grid-cols-2 gap-2">
          <div className="space-y-1.5">
            <label htmlFor={`${id}-from`} className="block text-sm font-medium text-zinc-900">
              From (UTC)
            </label>
            <Input id={`${id}-from`} name="from" type="date" defaultValue={search.from ?? ""} />
          </div>
          <div className="space-y-1.5">
            <label htmlFor={`${id}-to`} className="block text-sm font-medium text-zinc-900">
              To (UTC)
            </label>
            <Input id={`${id}-to`} name="to" type="date" defaultValue={search.to ?? ""} />
          </div>
        </div>
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-zinc-900">Status</legend>
        <div className="mt-2 flex flex-wrap gap-x-4 gap-y-2">
          {STATUSES.map((status) => (
            <label key={status} className="inline-flex items-center gap-2 text-sm text-zinc-800">
              <input type="checkbox" name="status" value={status} defaultChecked={selected.has(status)} className="size-4 accent-emerald-700" />
              {STATUS_LABEL[status]}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="flex flex-wrap gap-2">
        <Button type="submit">Apply filters</Button>
        <Button type="button" variant="secondary" onClick={() => onApply({})}>
          Clear filters
        </Button>
      </div>
    </form>
  );
}
