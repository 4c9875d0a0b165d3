import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger };

/**
 * Paths that carry a secret: the inbound webhook token is the only credential Rapiwa can send,
 * so it sits in the URL. Request logs keep the route and drop the secret.
 */
const SECRET_PATH_SEGMENTS = [/^(\/webhooks\/rapiwa\/)[^/?#]+/];

export function redactSecretsInPath(url: string): string {
  return SECRET_PATH_SEGMENTS.reduce((redacted, pattern) => redacted.replace(pattern, "$1[redacted]"), url);
}

type LoggedRequest = { method: string; url: string; host?: string; ip?: string; socket?: { remotePort?: number } };

/** Structured JSON logs; one logger per process, children carry request ids. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "switchboard" },
      redact: ["req.headers.authorization", "req.headers.cookie"],
      serializers: {
        // Fastify's request line, with secrets taken out of the path.
        req: (request: LoggedRequest) => ({
          method: request.method,
          url: redactSecretsInPath(request.url),
          host: request.host,
          remoteAddress: request.ip,
          remotePort: request.socket?.remotePort,
        }),
      },
    },
    destination,
  );
}
