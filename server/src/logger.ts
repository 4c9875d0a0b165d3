import pino, { type Logger } from "pino";

export type { Logger };

/** Structured JSON logs; one logger per process, children carry request ids. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: "switchboard" }, redact: ["req.headers.authorization", "req.headers.cookie"] });
}
