import { createClient } from "graphql-sse";

export const MESSAGE_CHANGES = `subscription ($after: String) {
  messageChanges(after: $after) { cursor contact message { id direction status text error createdAt statusChangedAt } }
}`;

export type Change = {
  cursor: string;
  contact: string;
  message: { id: string; direction: string; status: string; text: string; error: string | null; createdAt: string; statusChangedAt: string };
};

export type LiveSubscription = {
  changes: Change[];
  errors: { message: string; extensions?: { code?: string } }[];
  /** Set once the server ended the stream (or refused it). */
  done: Promise<void>;
  /** Resolves once the stream is open: the server has attached it to its feed, so later changes reach it. */
  connected: Promise<void>;
  close(): void;
};

/**
 * A messageChanges subscription over graphql-sse (distinct connections, as the dashboard's client
 * makes them) to a server's /graphql/stream, collecting what arrives.
 */
export function subscribeToChanges(
  url: string,
  { token, tenantId, after }: { token?: string; tenantId?: string; after?: string | null } = {},
): LiveSubscription {
  const client = createClient({
    url: `${url}/graphql/stream`,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(tenantId ? { "x-tenant-id": tenantId } : {}) },
    retryAttempts: 0,
  });
  const changes: Change[] = [];
  const errors: LiveSubscription["errors"] = [];
  let stop: () => void = () => undefined;
  let markConnected: () => void = () => undefined;
  const connected = new Promise<void>((resolve) => (markConnected = resolve));
  const done = new Promise<void>((resolve) => {
    stop = client.subscribe<{ messageChanges: Change }>(
      { query: MESSAGE_CHANGES, variables: { after: after ?? null } },
      {
        next: (result) => {
          if (result.errors) errors.push(...(result.errors as unknown as LiveSubscription["errors"]));
          if (result.data?.messageChanges) changes.push(result.data.messageChanges);
        },
        error: (error) => {
          errors.push({ message: String((error as Error)?.message ?? error) });
          resolve();
        },
        complete: () => resolve(),
      },
      { connected: () => markConnected() },
    );
  });
  return {
    changes,
    errors,
    done,
    connected,
    close() {
      stop();
      client.dispose();
    },
  };
}
