import type { SwitchboardClient } from "./client.ts";
import { graphql } from "./graphql/index.ts";
import type { MessageLogQuery } from "./graphql/graphql.ts";

const MessageLog = graphql(`
  query MessageLog($first: Int!, $after: String) {
    messages(first: $first, after: $after) {
      edges {
        node {
          id
          direction
          to
          from
          text
          status
          createdAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export type LoggedMessage = MessageLogQuery["messages"]["edges"][number]["node"];

/**
 * Every message in the log, newest first, fetched `pageSize` (1 to 100) at a time: each page's
 * `endCursor` is the next request's `after`, until `hasNextPage` is false. Stop early by breaking
 * out of the loop: no further page is fetched.
 */
export async function* messageLog(client: SwitchboardClient, { pageSize = 100 }: { pageSize?: number } = {}): AsyncGenerator<LoggedMessage> {
  let after: string | null = null;
  do {
    const { messages }: MessageLogQuery = await client(MessageLog, { first: pageSize, after });
    for (const edge of messages.edges) yield edge.node;
    after = messages.pageInfo.hasNextPage ? (messages.pageInfo.endCursor ?? null) : null;
  } while (after !== null);
}
