import type { InfiniteData, QueryClient } from "@tanstack/react-query";
import { INBOX_KEY, type InboxConversation, type InboxConversationPage } from "./inbox-conversations.ts";
import { threadKey, type InboxMessage, type InboxThreadPage } from "./inbox-thread.ts";

/** A message as the live feed and sendMessage give it: enough for both the thread and the list. */
export type MessageUpdate = InboxMessage;

const newer = (a: { statusChangedAt: string }, b: { statusChangedAt: string }) => Date.parse(a.statusChangedAt) >= Date.parse(b.statusChangedAt);

/** The thread: the message replaced where it is (a status change), or added as the newest. */
function applyToThread(queryClient: QueryClient, contact: string, message: MessageUpdate) {
  queryClient.setQueryData<InfiniteData<InboxThreadPage>>(threadKey(contact), (data) => {
    if (!data) return data;
    let found = false;
    const pages = data.pages.map((page) => ({
      ...page,
      edges: page.edges.map((edge) => {
        if (edge.node.id !== message.id) return edge;
        found = true;
        return newer(message, edge.node) ? { ...edge, node: { ...edge.node, ...message } } : edge;
      }),
    }));
    if (!found && pages[0]) {
      const edges = [{ node: message }, ...pages[0].edges].sort((a, b) => Date.parse(b.node.createdAt) - Date.parse(a.node.createdAt));
      pages[0] = { ...pages[0], edges };
    }
    return { ...data, pages };
  });
}

/**
 * The list of all conversations: the conversation moves to the top with its new last message (one
 * not seen before, from the contact, counts as unread unless the conversation is open), or its last
 * message's status changes in place. Searches are read again instead: whether they match is the server's call.
 */
function applyToConversations(queryClient: QueryClient, contact: string, message: MessageUpdate, open: boolean) {
  for (const [key] of queryClient.getQueriesData({ queryKey: [...INBOX_KEY, "conversations"] })) {
    if (key[2] !== "") {
      void queryClient.invalidateQueries({ queryKey: key, exact: true });
      continue;
    }
    queryClient.setQueryData<InfiniteData<InboxConversationPage>>(key, (data) => {
      if (!data || data.pages.length === 0) return data;
      let existing: InboxConversation | undefined;
      for (const page of data.pages) existing ??= page.edges.find((edge) => edge.node.contact === contact)?.node;
      const lastMessage = { id: message.id, direction: message.direction, text: message.text, status: message.status, createdAt: message.createdAt };
      if (existing && existing.lastMessage.id === message.id) {
        return mapConversation(data, contact, (node) => ({ ...node, lastMessage: { ...node.lastMessage, status: message.status, text: message.text } }));
      }
      if (existing && Date.parse(message.createdAt) < Date.parse(existing.lastMessage.createdAt)) return data;
      const unread = message.direction === "INBOUND" && !open ? 1 : 0;
      const moved: InboxConversation = existing
        ? { ...existing, lastMessage, lastMessageAt: message.createdAt, unreadCount: existing.unreadCount + unread }
        : { id: `contact:${contact}`, contact, unreadCount: unread, lastMessageAt: message.createdAt, lastMessage };
      const pages = data.pages.map((page, index) => {
        const edges = page.edges.filter((edge) => edge.node.contact !== contact);
        return index === 0 ? { ...page, edges: [{ cursor: page.edges[0]?.cursor ?? "", node: moved }, ...edges] } : { ...page, edges };
      });
      return { ...data, pages };
    });
  }
}

function mapConversation(data: InfiniteData<InboxConversationPage>, contact: string, change: (node: InboxConversation) => InboxConversation) {
  return {
    ...data,
    pages: data.pages.map((page) => ({
      ...page,
      edges: page.edges.map((edge) => (edge.node.contact === contact ? { ...edge, node: change(edge.node) } : edge)),
    })),
  };
}

/** A message written or changed (live, or the answer to a send): every cached view of it follows. */
export function applyMessage(queryClient: QueryClient, contact: string, message: MessageUpdate, { open }: { open: boolean }) {
  applyToThread(queryClient, contact, message);
  applyToConversations(queryClient, contact, message, open);
}

export function setUnread(queryClient: QueryClient, contact: string, unreadCount: number) {
  for (const [key] of queryClient.getQueriesData({ queryKey: [...INBOX_KEY, "conversations"] })) {
    queryClient.setQueryData<InfiniteData<InboxConversationPage>>(key, (data) =>
      data ? mapConversation(data, contact, (node) => ({ ...node, unreadCount })) : data,
    );
  }
}
