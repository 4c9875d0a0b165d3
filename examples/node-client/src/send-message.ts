import { setTimeout as sleep } from "node:timers/promises";
import { SwitchboardError, type SwitchboardClient } from "./client.ts";
import { graphql } from "./graphql/index.ts";
import type { SendMessageMutation } from "./graphql/graphql.ts";

const SendMessage = graphql(`
  mutation SendMessage($input: SendMessageInput!) {
    sendMessage(input: $input) {
      id
      to
      status
      createdAt
    }
  }
`);

export type SentMessage = SendMessageMutation["sendMessage"];

/**
 * Queues a text message; Switchboard sends it in the background (follow its status in the message log
 * or through webhooks). `idempotencyKey` names this send in your own system (an order's confirmation,
 * a reminder's id): sending again with the same key within 24 hours returns the first message and sends
 * nothing. That is what makes retrying safe when an answer is lost (a dropped connection, UNAVAILABLE
 * while the database restarts), as this function does; reusing a key for another text is a CONFLICT.
 */
export async function sendMessage(
  client: SwitchboardClient,
  input: { to: string; text: string; idempotencyKey: string },
  { attempts = 3 }: { attempts?: number } = {},
): Promise<SentMessage> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await client(SendMessage, { input })).sendMessage;
    } catch (error) {
      if (!(error instanceof SwitchboardError) || !error.retryable || attempt >= attempts) throw error;
      await sleep((error.retryAfterSeconds ?? attempt) * 1000);
    }
  }
}
