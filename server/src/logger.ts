import pino, { type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";

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

/**
 * Structured JSON logs; one logger per process, children carry request ids. `format: "pretty"` (a person
 * at a terminal in development, config.logFormat) prints the same entries as readable lines instead,
 * synchronously, so nothing is lost when the process exits.
 */
export function createLogger(level: string, destination?: DestinationStream, { format = "json" }: { format?: "json" | "pretty" } = {}): Logger {
  const output =
    format === "pretty"
      ? pretty({
          ...(destination ? { destination } : {}),
          sync: true,
          colorize: !destination,
          singleLine: true,
          translateTime: "SYS:HH:MM:ss.l",
          ignore: "pid,hostname,service",
        })
      : destination;
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
    output,
  );
}
