import { useEffect, useLayoutEffect, useRef } from "react";
import { Button } from "../../../components/ui/Button.tsx";
import { PageHeader } from "../../../components/ui/PageHeader.tsx";
import { cn } from "../../../lib/cn.ts";
import { useInboxLive, type LiveChange } from "../api/inbox-live.ts";
import { useInboxMarkRead } from "../api/inbox-mark-read.ts";
import { ConversationList } from "./ConversationList.tsx";
import { ReplyBox } from "./ReplyBox.tsx";
import { Thread } from "./Thread.tsx";

const LIVE_LABELS = { connecting: "Connecting…", live: "Live", reconnecting: "Reconnecting…" } as const;

type InboxPageProps = { contact: string | undefined; onOpen: (contact: string | undefined) => void };

/** The inbox: conversations beside the open one (one at a time on phones), updated live. */
export function InboxPage({ contact, onOpen }: InboxPageProps) {
  const markRead = useInboxMarkRead();
  const mark = useRef(markRead.mutate);
  useLayoutEffect(() => {
    mark.current = markRead.mutate;
  });

  // Opening a conversation reads it; so does a reply arriving while it is open.
  useEffect(() => {
    if (contact) mark.current(contact);
  }, [contact]);
  const onChange = (change: LiveChange) => {
    if (change.contact === contact && change.message.direction === "INBOUND" && change.message.status === "RECEIVED") mark.current(change.contact);
  };
  const live = useInboxLive({ openContact: contact, onChange });

  return (
    <div className="flex h-[calc(100dvh-8rem)] min-h-[28rem] flex-col">
      <PageHeader
        title="Inbox"
        description="What your customers wrote, and your answers, as they happen."
        actions={
          <span role="status" data-testid="live-state" data-state={live} className="flex items-center gap-2 text-sm text-zinc-600">
            <span aria-hidden="true" className={cn("size-2 rounded-full", live === "live" ? "bg-emerald-600" : "bg-amber-500")} />
            {LIVE_LABELS[live]}
          </span>
        }
      />
      <div className="grid min-h-0 flex-1 overflow-hidden rounded-lg border border-zinc-200 bg-white md:grid-cols-[20rem_1fr]">
        <div className={cn("min-h-0 flex-col border-zinc-200 md:flex md:border-r", contact ? "hidden" : "flex")}>
          <ConversationList selected={contact} onOpen={onOpen} />
        </div>
        <div className={cn("min-h-0 flex-col md:flex", contact ? "flex" : "hidden")}>
          {contact ? (
            <section aria-label={`Conversation with ${contact}`} className="flex min-h-0 flex-1 flex-col">
              <header className="flex items-center gap-2 border-b border-zinc-200 p-3">
                <Button variant="ghost" size="sm" className="md:hidden" onClick={() => onOpen(undefined)}>
                  ← Conversations
                </Button>
                <h2 className="truncate text-base font-semibold text-zinc-900">{contact}</h2>
              </header>
              <Thread key={contact} contact={contact} />
              <ReplyBox key={`reply-${contact}`} contact={contact} />
            </section>
          ) : (
            <p className="m-auto p-6 text-sm text-zinc-600">Choose a conversation to read it and reply.</p>
          )}
        </div>
      </div>
    </div>
  );
}
