import { useLayoutEffect, useRef } from "react";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { Skeleton } from "../../../components/ui/Skeleton.tsx";
import { Button } from "../../../components/ui/Button.tsx";
import { cn } from "../../../lib/cn.ts";
import { useInboxThread, type InboxMessage } from "../api/inbox-thread.ts";
import { shortTime } from "./format.ts";
import { StatusTick } from "./StatusTick.tsx";

/**
 * A conversation's messages, oldest at the top and newest at the bottom. Scrolling to the top loads
 * older ones without moving what is on screen; a new message scrolls into view when the reader is at
 * the bottom already.
 */
export function Thread({ contact }: { contact: string }) {
  const thread = useInboxThread(contact);
  const scroller = useRef<HTMLDivElement>(null);
  const pages = thread.data?.pages;
  const messages: InboxMessage[] = (pages ?? []).flatMap((page) => page.edges.map((edge) => edge.node)).reverse();
  const { fetchNextPage, hasNextPage, isFetchingNextPage } = thread;

  // Where the reader is, kept up to date on every scroll and layout, to put them back after a change.
  const seen = useRef({ height: 0, top: 0, atBottom: true, pages: 0 });
  const remember = (box: HTMLDivElement, pages: number) => {
    seen.current = { height: box.scrollHeight, top: box.scrollTop, atBottom: box.scrollHeight - box.scrollTop - box.clientHeight < 40, pages };
  };
  const pageCount = pages?.length ?? 0;
  const newest = messages.at(-1)?.id;
  useLayoutEffect(() => {
    const box = scroller.current;
    if (!box) return;
    const was = seen.current;
    if (was.pages === 0) box.scrollTop = box.scrollHeight;
    // Older messages were added above: keep the ones on screen where they were.
    else if (pageCount > was.pages) box.scrollTop = box.scrollHeight - was.height + was.top;
    else if (was.atBottom) box.scrollTop = box.scrollHeight;
    remember(box, pageCount);
  }, [pageCount, newest]);

  const onScroll = () => {
    const box = scroller.current;
    if (!box) return;
    remember(box, seen.current.pages);
    if (box.scrollTop < 80 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  };

  if (thread.isPending) {
    return (
      <div className="flex-1 space-y-3 p-4" data-testid="thread-loading" aria-label="Loading the conversation">
        {Array.from({ length: 5 }, (_, index) => (
          <Skeleton key={index} className={cn("h-10 w-2/3", index % 2 ? "ml-auto" : "")} />
        ))}
      </div>
    );
  }
  if (thread.isError) {
    return (
      <div className="p-4">
        <ErrorDisplay error={thread.error} onRetry={() => void thread.refetch()} title="Could not load this conversation" />
      </div>
    );
  }
  return (
    <div ref={scroller} onScroll={onScroll} className="min-h-0 flex-1 overflow-y-auto bg-zinc-50 p-4" data-testid="thread-scroller">
      {hasNextPage ? (
        <div className="mb-3 text-center">
          <Button variant="ghost" size="sm" loading={isFetchingNextPage} onClick={() => void fetchNextPage()}>
            Load older messages
          </Button>
        </div>
      ) : (
        <p className="mb-3 text-center text-xs text-zinc-600">Start of the conversation with {contact}</p>
      )}
      <div role="log" aria-label={`Messages with ${contact}, oldest first`} aria-live="polite">
        <ol className="space-y-2">
          {messages.map((message) => (
            <MessageBubble key={message.id} message={message} />
          ))}
        </ol>
      </div>
    </div>
  );
}

function MessageBubble({ message }: { message: InboxMessage }) {
  const outbound = message.direction === "OUTBOUND";
  return (
    <li data-testid="thread-message" data-direction={message.direction} className={cn("flex", outbound ? "justify-end" : "justify-start")}>
      <div
        className={cn(
          "max-w-[85%] rounded-lg px-3 py-2 text-sm whitespace-pre-wrap shadow-sm sm:max-w-[70%]",
          outbound ? "bg-emerald-100 text-zinc-900" : "bg-white text-zinc-900",
        )}
      >
        <span className="sr-only">{outbound ? "You: " : "They wrote: "}</span>
        <p className="break-words">{message.text}</p>
        <div className="mt-1 flex flex-wrap items-center justify-end gap-x-2 text-xs text-zinc-600">
          <time dateTime={message.createdAt}>{shortTime(message.createdAt)}</time>
          {outbound && <StatusTick status={message.status} error={message.error} />}
        </div>
      </div>
    </li>
  );
}
