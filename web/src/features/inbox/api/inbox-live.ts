import { useQueryClient } from "@tanstack/react-query";
import { createClient } from "graphql-sse";
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { graphql } from "../../../graphql/gql.ts";
import type { InboxMessageChangesSubscription as InboxMessageChangesResult } from "../../../graphql/graphql.ts";
import { selectedTenantId } from "../../../lib/tenant-selection.ts";
import { applyMessage } from "./inbox-cache.ts";
import { INBOX_KEY } from "./inbox-conversations.ts";

export const InboxMessageChangesDocument = graphql(`
  subscription InboxMessageChanges($after: String) {
    messageChanges(after: $after) {
      cursor
      contact
      message {
        id
        direction
        text
        status
        error
        createdAt
        statusChangedAt
      }
    }
  }
`);

export type LiveChange = InboxMessageChangesResult["messageChanges"];
export type LiveState = "connecting" | "live" | "reconnecting";

const RETRY_MS = [1_000, 2_000, 5_000, 10_000];

/**
 * Keeps the inbox's caches live: subscribes to messageChanges over graphql-sse (the session cookie and
 * X-Tenant-Id, as every request) and applies each change. After a dropped connection it subscribes
 * again from the last change's cursor, so nothing is missed or applied twice.
 */
export function useInboxLive({ openContact, onChange }: { openContact: string | undefined; onChange?: (change: LiveChange) => void }): LiveState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>("connecting");
  const open = useRef(openContact);
  const listener = useRef(onChange);
  useLayoutEffect(() => {
    open.current = openContact;
    listener.current = onChange;
  });

  useEffect(() => {
    let cursor: string | null = null;
    let stopped = false;
    let attempt = 0;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let unsubscribe: (() => void) | undefined;
    const tenantId = selectedTenantId();
    const client = createClient({
      url: "/graphql/stream",
      credentials: "same-origin",
      headers: tenantId ? { "x-tenant-id": tenantId } : {},
      retryAttempts: 0,
    });

    const connect = () => {
      const first = cursor === null;
      unsubscribe = client.subscribe<InboxMessageChangesResult>(
        { query: InboxMessageChangesDocument.toString(), variables: { after: cursor } },
        {
          next: ({ data }) => {
            const change = data?.messageChanges;
            if (!change) return;
            cursor = change.cursor;
            applyMessage(queryClient, change.contact, change.message, { open: change.contact === open.current });
            listener.current?.(change);
          },
          error: () => again(),
          complete: () => again(),
        },
        {
          connected: () => {
            attempt = 0;
            setState("live");
            // What changed between the lists' first load and this subscription: read them once more.
            if (first) void queryClient.invalidateQueries({ queryKey: INBOX_KEY });
          },
        },
      );
    };
    const again = () => {
      if (stopped) return;
      setState("reconnecting");
      retry = setTimeout(connect, RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]);
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      unsubscribe?.();
      client.dispose();
    };
  }, [queryClient]);

  return state;
}
