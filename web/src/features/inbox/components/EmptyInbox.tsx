import { Link } from "@tanstack/react-router";
import { useState, type FormEvent } from "react";
import { Button } from "../../../components/ui/Button.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { Input } from "../../../components/ui/Input.tsx";
import { useInboxSimulateReply } from "../api/inbox-simulate-reply.ts";

/** No conversation yet: where they come from, and (with a sandbox number) a way to see one at once. */
export function EmptyInbox() {
  const simulate = useInboxSimulateReply();
  const [from, setFrom] = useState("+14155550123");
  const [text, setText] = useState("Hi! Is my order on its way?");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    simulate.mutate({ from, text });
  };
  return (
    <div className="space-y-4 p-6 text-sm text-zinc-700">
      <div className="space-y-1">
        <h2 className="text-base font-semibold text-zinc-900">No conversations yet</h2>
        <p>
          Messages you send and replies your customers write show up here as they happen. Connect a number and send a first message in{" "}
          <Link to="/onboarding" className="font-medium text-emerald-800 underline">
            onboarding
          </Link>
          .
        </p>
      </div>
      <form onSubmit={submit} className="space-y-2 rounded-md border border-zinc-200 p-3" aria-labelledby="simulate-reply-title">
        <p id="simulate-reply-title" className="font-medium text-zinc-900">
          Simulate a reply (sandbox numbers)
        </p>
        <label htmlFor="simulate-from" className="block text-xs font-medium text-zinc-700">
          From
        </label>
        <Input id="simulate-from" value={from} onChange={(event) => setFrom(event.target.value)} />
        <label htmlFor="simulate-text" className="block text-xs font-medium text-zinc-700">
          Text
        </label>
        <Input id="simulate-text" value={text} onChange={(event) => setText(event.target.value)} />
        {simulate.isError && <ErrorDisplay error={simulate.error} useServerMessageFor={["CONFLICT", "BAD_USER_INPUT"]} />}
        <Button type="submit" size="sm" variant="secondary" loading={simulate.isPending}>
          Simulate a reply
        </Button>
      </form>
    </div>
  );
}
