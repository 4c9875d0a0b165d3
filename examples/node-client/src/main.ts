// A command line over the example's functions (README.md):
//   send <to> <text> <idempotency key>   queue a message, print it
//   log [count]                          print the newest messages, one JSON line each
//   receive [port]                       verify webhook deliveries, print each new event
import { createClient, SwitchboardError } from "./client.ts";
import { messageLog } from "./message-log.ts";
import { sendMessage } from "./send-message.ts";
import { startWebhookReceiver } from "./webhook-receiver.ts";
import { webhookHandler } from "./webhooks.ts";

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name} (see README.md)`);
  return value;
}

const client = () => createClient({ url: process.env.SWITCHBOARD_URL ?? "http://localhost:4000", apiKey: env("SWITCHBOARD_API_KEY") });

const [command, ...args] = process.argv.slice(2);
try {
  if (command === "send" && args.length === 3) {
    const [to, text, idempotencyKey] = args as [string, string, string];
    console.log(JSON.stringify(await sendMessage(client(), { to, text, idempotencyKey })));
  } else if (command === "log" && args.length <= 1) {
    let remaining = Number(args[0] ?? 20);
    for await (const message of messageLog(client(), { pageSize: Math.min(remaining, 100) })) {
      console.log(JSON.stringify(message));
      if (--remaining <= 0) break;
    }
  } else if (command === "receive" && args.length <= 1) {
    const handle = webhookHandler({
      secret: env("SWITCHBOARD_WEBHOOK_SECRET"),
      onEvent: (event, webhookId) => console.log(JSON.stringify({ webhookId, ...event })),
    });
    const receiver = await startWebhookReceiver({ handle, port: Number(args[0] ?? 4100) });
    console.log(`receiving webhooks at ${receiver.url}`);
    process.once("SIGINT", () => void receiver.close());
    process.once("SIGTERM", () => void receiver.close());
  } else {
    console.error("usage: send <to> <text> <idempotency key> | log [count] | receive [port]");
    process.exitCode = 2;
  }
} catch (error) {
  if (!(error instanceof SwitchboardError)) throw error;
  console.error(`${error.code}${error.field ? ` (${error.field})` : ""}: ${error.message}`);
  process.exitCode = 1;
}
