import { useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { Button } from "../../../components/ui/Button.tsx";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { useInboxSendMessage } from "../api/inbox-send-message.ts";

const newKey = () => crypto.randomUUID();

/**
 * The reply composer. Each composed message gets one idempotency key, made when it is first sent and
 * kept until it is accepted: a double click, or sending again after a network error, sends it once.
 * Editing the text after a failure makes it another message, with a key of its own.
 */
export function ReplyBox({ contact }: { contact: string }) {
  const [text, setText] = useState("");
  const key = useRef<string | null>(null);
  const inFlight = useRef(false);
  const field = useRef<HTMLTextAreaElement>(null);
  const send = useInboxSendMessage();

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (inFlight.current || text.trim() === "") return;
    inFlight.current = true;
    key.current ??= newKey();
    send.mutate(
      { to: contact, text, idempotencyKey: key.current },
      {
        onSuccess: () => {
          setText("");
          key.current = null;
        },
        onSettled: () => {
          inFlight.current = false;
          // The field was disabled while sending, which took the focus away: give it back.
          setTimeout(() => field.current?.focus());
        },
      },
    );
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <form onSubmit={submit} className="space-y-2 border-t border-zinc-200 bg-white p-3">
      {send.isError && <ErrorDisplay error={send.error} useServerMessageFor={["CONFLICT", "BAD_USER_INPUT", "FORBIDDEN"]} title="Your reply was not sent" />}
      <div className="flex items-end gap-2">
        <label htmlFor="reply-text" className="sr-only">
          Reply to {contact}
        </label>
        <textarea
          id="reply-text"
          ref={field}
          rows={2}
          value={text}
          disabled={send.isPending}
          onChange={(event) => {
            setText(event.target.value);
            if (send.isError) key.current = null;
          }}
          onKeyDown={onKeyDown}
          aria-describedby="reply-help"
          placeholder="Write a reply"
          className="min-h-10 flex-1 resize-y rounded-md border border-zinc-300 px-3 py-2 text-sm text-zinc-900 focus-visible:outline-2 focus-visible:outline-emerald-600 disabled:bg-zinc-50"
        />
        <Button type="submit" loading={send.isPending} disabled={text.trim() === ""}>
          Send
        </Button>
      </div>
      <p id="reply-help" className="text-xs text-zinc-600">
        Enter sends, Shift+Enter starts a new line.
      </p>
    </form>
  );
}
