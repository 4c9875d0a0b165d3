import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { ErrorDisplay } from "../../../components/ui/ErrorDisplay.tsx";
import { Input } from "../../../components/ui/Input.tsx";
import { Skeleton } from "../../../components/ui/Skeleton.tsx";
import { Button } from "../../../components/ui/Button.tsx";
import { cn } from "../../../lib/cn.ts";
import { useInboxConversations, type InboxConversation } from "../api/inbox-conversations.ts";
import { shortTime } from "./format.ts";
import { EmptyInbox } from "./EmptyInbox.tsx";

const SEARCH_DELAY_MS = 300;

function useDebounced(value: string, delayMs: number) {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}

/** Loads the next page when the end of the list scrolls into view (a button does the same by hand). */
function useLoadWhenVisible(load: () => void, enabled: boolean) {
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = sentinel.current;
    if (!element || !enabled || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && load());
    observer.observe(element);
    return () => observer.disconnect();
  }, [load, enabled]);
  return sentinel;
}

type ConversationListProps = { selected: string | undefined; onOpen: (contact: string) => void };

/**
 * The conversations, latest first, with unread badges; search by number or text. A listbox: one tab
 * stop, ArrowUp/ArrowDown (or k/j), Home/End move between conversations, Enter (or a click) opens one.
 */
export function ConversationList({ selected, onOpen }: ConversationListProps) {
  const [search, setSearch] = useState("");
  const query = useDebounced(search.trim(), SEARCH_DELAY_MS);
  const conversations = useInboxConversations(query);
  const items = conversations.data?.pages.flatMap((page) => page.edges.map((edge) => edge.node)) ?? [];
  const [active, setActive] = useState(0);
  const options = useRef<(HTMLLIElement | null)[]>([]);
  const { fetchNextPage, hasNextPage, isFetchingNextPage } = conversations;
  const sentinel = useLoadWhenVisible(() => void fetchNextPage(), Boolean(hasNextPage) && !isFetchingNextPage);

  const activeIndex = Math.min(active, Math.max(items.length - 1, 0));
  const move = (index: number) => {
    const next = Math.max(0, Math.min(items.length - 1, index));
    setActive(next);
    options.current[next]?.focus();
    if (next >= items.length - 3 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(activeIndex + 1),
      j: () => move(activeIndex + 1),
      ArrowUp: () => move(activeIndex - 1),
      k: () => move(activeIndex - 1),
      Home: () => move(0),
      End: () => move(items.length - 1),
      Enter: () => items[activeIndex] && onOpen(items[activeIndex].contact),
      " ": () => items[activeIndex] && onOpen(items[activeIndex].contact),
    };
    const action = keys[event.key];
    if (!action || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    action();
  };

  return (
    <section aria-label="Conversations" className="flex min-h-0 flex-col">
      <div className="p-3">
        <label htmlFor="inbox-search" className="sr-only">
          Search conversations by number or text
        </label>
        <Input id="inbox-search" type="search" placeholder="Search number or text" value={search} onChange={(event) => setSearch(event.target.value)} />
      </div>
      {conversations.isPending ? (
        <ul aria-label="Loading conversations" className="space-y-1 px-3" data-testid="conversations-loading">
          {Array.from({ length: 6 }, (_, index) => (
            <li key={index} className="space-y-2 rounded-md p-3">
              <Skeleton className="h-4 w-32" />
              <Skeleton className="h-3 w-48" />
            </li>
          ))}
        </ul>
      ) : conversations.isError ? (
        <div className="p-3">
          <ErrorDisplay error={conversations.error} onRetry={() => void conversations.refetch()} title="Could not load the conversations" />
        </div>
      ) : items.length === 0 ? (
        query ? (
          <p role="status" className="p-6 text-sm text-zinc-600">
            No conversation matches “{query}”. Search for part of a number (4155) or of a message’s text.
          </p>
        ) : (
          <EmptyInbox />
        )
      ) : (
        <div className="min-h-0 flex-1 overflow-y-auto">
          <ul role="listbox" aria-label="Conversations, latest first" onKeyDown={onKeyDown} className="space-y-0.5 px-2 pb-2">
            {items.map((conversation, index) => (
              <ConversationOption
                key={conversation.contact}
                conversation={conversation}
                selected={conversation.contact === selected}
                tabbable={index === activeIndex}
                ref={(element) => {
                  options.current[index] = element;
                }}
                onFocus={() => setActive(index)}
                onOpen={() => onOpen(conversation.contact)}
              />
            ))}
          </ul>
          {hasNextPage && (
            <div ref={sentinel} className="p-2 text-center">
              <Button variant="ghost" size="sm" loading={isFetchingNextPage} onClick={() => void fetchNextPage()}>
                Load more conversations
              </Button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}

type OptionProps = {
  conversation: InboxConversation;
  selected: boolean;
  tabbable: boolean;
  ref: (element: HTMLLIElement | null) => void;
  onFocus: () => void;
  onOpen: () => void;
};

function ConversationOption({ conversation, selected, tabbable, ref, onFocus, onOpen }: OptionProps) {
  const { contact, unreadCount, lastMessage } = conversation;
  const preview = `${lastMessage.direction === "OUTBOUND" ? "You: " : ""}${lastMessage.text}`;
  return (
    <li
      ref={ref}
      role="option"
      aria-selected={selected}
      tabIndex={tabbable ? 0 : -1}
      data-testid="conversation"
      data-contact={contact}
      onFocus={onFocus}
      onClick={onOpen}
      className={cn(
        "cursor-pointer rounded-md px-3 py-2 outline-none hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-emerald-600",
        selected && "bg-emerald-50 hover:bg-emerald-50",
      )}
    >
      <div className="flex items-baseline justify-between gap-2">
        <span className={cn("truncate text-sm text-zinc-900", unreadCount > 0 ? "font-semibold" : "font-medium")}>{contact}</span>
        <time dateTime={lastMessage.createdAt} className="shrink-0 text-xs text-zinc-600">
          {shortTime(lastMessage.createdAt)}
        </time>
      </div>
      <div className="mt-0.5 flex items-center justify-between gap-2">
        <span className="truncate text-sm text-zinc-600">{preview}</span>
        {unreadCount > 0 && (
          <span data-testid="unread-badge" className="shrink-0 rounded-full bg-emerald-700 px-2 py-0.5 text-xs font-semibold text-white">
            {unreadCount}
            <span className="sr-only"> unread</span>
          </span>
        )}
      </div>
    </li>
  );
}
