import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { WebhookOutcome } from "./webhooks.ts";

export type WebhookReceiver = { url: string; close(): Promise<void> };

/**
 * A plain node:http server that hands every POST's raw body and headers to `handle` (a webhookHandler)
 * and answers with its status; 500 when it throws. Any web framework does the same, as long as the body
 * reaches the handler as the exact text received.
 */
export async function startWebhookReceiver({
  handle,
  port = 0,
  host = "127.0.0.1",
}: {
  handle: (rawBody: string, headers: http.IncomingHttpHeaders) => Promise<WebhookOutcome>;
  port?: number;
  host?: string;
}): Promise<WebhookReceiver> {
  const server = http.createServer(async (request, response) => {
    if (request.method !== "POST") return void response.writeHead(405).end();
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    try {
      const outcome = await handle(Buffer.concat(chunks).toString("utf8"), request.headers);
      response.writeHead(outcome.status).end();
    } catch (error) {
      console.error("webhook handling failed:", error);
      response.writeHead(500).end();
    }
  });
  server.listen(port, host);
  await once(server, "listening");
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}/`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
