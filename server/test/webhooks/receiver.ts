import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** A real HTTP server on loopback that records what webhook deliveries reach it. */

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The address the connection came in on (the receiver may listen on 127.0.0.2 too). */
  localAddress: string;
}

export type ReceiverHandler = (request: ReceivedRequest, response: http.ServerResponse) => void;

export interface Receiver {
  port: number;
  /** Connections accepted, requests or not. */
  connections: number;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

export async function startReceiver(handler: ReceiverHandler, { host = "127.0.0.1", port = 0 } = {}): Promise<Receiver> {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const received: ReceivedRequest = {
        method: request.method ?? "",
        path: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        localAddress: request.socket.localAddress ?? "",
      };
      receiver.requests.push(received);
      handler(received, response);
    });
  });
  server.on("connection", () => receiver.connections++);
  server.listen(port, host);
  await once(server, "listening");
  const receiver: Receiver = {
    port: (server.address() as AddressInfo).port,
    connections: 0,
    requests: [],
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
  return receiver;
}
