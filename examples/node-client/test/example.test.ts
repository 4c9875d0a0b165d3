import { spawn } from "node:child_process";
import { EventEmitter, once } from "node:events";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, SwitchboardError, type SwitchboardClient } from "../src/client.ts";
import { messageLog, type LoggedMessage } from "../src/message-log.ts";
import { sendMessage } from "../src/send-message.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../src/webhook-receiver.ts";
import { webhookHandler, type WebhookEvent, type WebhookOutcome } from "../src/webhooks.ts";
import { createEndpoint, freePort, newTenant, setUpCall, startSwitchboard, type Switchboard, type Tenant } from "./support/switchboard.ts";

// The example's functions against the real server (its own embedded PostgreSQL, the sandbox number),
// as an integrator's code would run them.

let switchboard: Switchboard;
let tenant: Tenant;
let client: SwitchboardClient;
let receiver: WebhookReceiver;
let endpoint: { id: string; secret: string };

/** What reached the example's receiver: each handled event, and each request's outcome. */
const handled: { webhookId: string; event: WebhookEvent }[] = [];
const outcomes: { webhookId: string; body: string; headers: Record<string, string | string[] | undefined>; outcome: WebhookOutcome }[] = [];
const changes = new EventEmitter();
/** Resolves once `found` returns a value: re-checked on every request the receiver answers. */
async function until<T>(found: () => T | undefined): Promise<T> {
  for (;;) {
    const value = found();
    if (value !== undefined) return value;
    await once(changes, "request");
  }
}

beforeAll(async () => {
  switchboard = await startSwitchboard();
  tenant = await newTenant(switchboard.url);
  client = createClient({ url: switchboard.url, apiKey: tenant.apiKey });

  // A receiver built from the example's handler, behind an endpoint for message.sent events.
  const port = await freePort();
  endpoint = await createEndpoint(switchboard.url, tenant, `http://127.0.0.1:${port}/switchboard`);
  const handle = webhookHandler({ secret: endpoint.secret, onEvent: (event, webhookId) => void handled.push({ webhookId, event }) });
  receiver = await startWebhookReceiver({
    port,
    handle: async (body, headers) => {
      const outcome = await handle(body, headers);
      outcomes.push({ webhookId: String(headers["webhook-id"]), body, headers, outcome });
      changes.emit("request");
      return outcome;
    },
  });
});

afterAll(async () => {
  await receiver?.close();
  await switchboard?.stop();
});

const tag = () => Math.random().toString(36).slice(2, 10);

async function collectLog(pageSize: number): Promise<LoggedMessage[]> {
  const messages: LoggedMessage[] = [];
  for await (const message of messageLog(client, { pageSize })) messages.push(message);
  return messages;
}

describe("sending with an idempotency key", () => {
  it("queues the message once, however often the same key is sent", async () => {
    const input = { to: "+8801711000002", text: `Your order ${tag()} has shipped`, idempotencyKey: `order-${tag()}-shipped` };
    const first = await sendMessage(client, input);
    expect(first).toMatchObject({ to: "+8801711000002", status: expect.stringMatching(/^(QUEUED|SENDING|SENT)$/) });

    const again = await sendMessage(client, input);
    expect(again.id).toBe(first.id);
    expect((await collectLog(100)).filter((message) => message.text === input.text)).toHaveLength(1);
  });

  it("retries a send whose answer was lost, without sending twice", async () => {
    let requests = 0;
    // The first request reaches the server, which queues the message, but its answer never arrives.
    const losingFetch: typeof fetch = async (...args) => {
      requests += 1;
      const response = await fetch(...args);
      if (requests === 1) throw new TypeError("fetch failed: socket hang up");
      return response;
    };
    const flaky = createClient({ url: switchboard.url, apiKey: tenant.apiKey, fetch: losingFetch });
    const text = `Reminder ${tag()}`;

    const sent = await sendMessage(flaky, { to: "+8801711000003", text, idempotencyKey: `reminder-${tag()}` });
    expect(requests).toBe(2);
    expect((await collectLog(100)).filter((message) => message.text === text).map((message) => message.id)).toEqual([sent.id]);
  });

  it("reports refusals by extensions.code, with the field at fault", async () => {
    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: unknown) => error,
      );

    const badNumber = await refusal(sendMessage(client, { to: "not a number", text: "hello", idempotencyKey: `bad-${tag()}` }));
    expect(badNumber).toBeInstanceOf(SwitchboardError);
    expect(badNumber).toMatchObject({ code: "BAD_USER_INPUT", field: "to", retryable: false });

    const key = `reused-${tag()}`;
    await sendMessage(client, { to: "+8801711000004", text: "first text", idempotencyKey: key });
    expect(await refusal(sendMessage(client, { to: "+8801711000004", text: "another text", idempotencyKey: key }))).toMatchObject({
      code: "CONFLICT",
      field: "idempotencyKey",
    });

    const unknownKey = createClient({ url: switchboard.url, apiKey: "swb_not_a_key" });
    expect(await refusal(sendMessage(unknownKey, { to: "+8801711000004", text: "hello", idempotencyKey: `x-${tag()}` }))).toMatchObject({
      code: "UNAUTHENTICATED",
    });
  });
});

describe("paging the message log", () => {
  it("follows endCursor while hasNextPage, newest first, each message once", async () => {
    const texts = Array.from({ length: 5 }, (_, index) => `Paged ${index} ${tag()}`);
    const sent: string[] = [];
    for (const text of texts) sent.push((await sendMessage(client, { to: "+8801711000005", text, idempotencyKey: `paged-${tag()}` })).id);

    let pages = 0;
    const counting = createClient({ url: switchboard.url, apiKey: tenant.apiKey, fetch: (...args) => (pages++, fetch(...args)) });
    const log: LoggedMessage[] = [];
    for await (const message of messageLog(counting, { pageSize: 2 })) log.push(message);

    expect(new Set(log.map((message) => message.id)).size).toBe(log.length);
    expect(pages).toBe(Math.ceil(log.length / 2));
    expect(log.filter((message) => texts.includes(message.text)).map((message) => message.id)).toEqual(sent.reverse());
  });

  it("fetches no further page once the loop stops", async () => {
    let pages = 0;
    const counting = createClient({ url: switchboard.url, apiKey: tenant.apiKey, fetch: (...args) => (pages++, fetch(...args)) });
    for await (const message of messageLog(counting, { pageSize: 2 })) {
      expect(message.id).toEqual(expect.any(String));
      break;
    }
    expect(pages).toBe(1);
  });
});

describe("receiving webhooks", () => {
  it("verifies a real delivery, hands its event over once, and acknowledges a redelivery as a duplicate", async () => {
    const sent = await sendMessage(client, { to: "+8801711000006", text: `Webhook ${tag()}`, idempotencyKey: `hook-${tag()}` });
    const delivered = await until(() => handled.find(({ event }) => event.type === "message.sent" && event.data.message?.id === sent.id));
    expect(delivered.event.data.message).toMatchObject({ id: sent.id, to: "+8801711000006", status: "SENT" });

    // Switchboard sends it again under the same webhook-id (as a retry would be).
    const { webhookDeliveries } = await setUpCall<{ webhookDeliveries: { edges: { node: { id: string; eventId: string } }[] } }>(
      switchboard.url,
      `query ($endpointId: ID!) { webhookDeliveries(endpointId: $endpointId, first: 100) { edges { node { id eventId } } } }`,
      { endpointId: endpoint.id },
      tenant.token,
    );
    const delivery = webhookDeliveries.edges.find(({ node }) => node.eventId === delivered.webhookId)!.node;
    await setUpCall(switchboard.url, `mutation ($id: ID!) { redeliverWebhook(id: $id) { id } }`, { id: delivery.id }, tenant.token);

    const redelivery = await until(() => outcomes.filter((request) => request.webhookId === delivered.webhookId)[1]);
    expect(redelivery.outcome).toEqual({ status: 200, duplicate: true });
    expect(handled.filter(({ webhookId }) => webhookId === delivered.webhookId)).toHaveLength(1);
  });

  it("refuses a delivery whose body or signature does not match", async () => {
    const original = await until(() => outcomes.find((request) => request.outcome.status === 204));
    const post = (body: string, headers: Record<string, string | string[] | undefined>) =>
      fetch(`${receiver.url}switchboard`, { method: "POST", headers: headers as Record<string, string>, body }).then((response) => response.status);
    const { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": signature } = original.headers as Record<string, string>;
    const signed = { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": timestamp };

    expect(await post(original.body.replace(/"tenantId":"/, '"tenantId":"x'), { ...signed, "webhook-signature": signature })).toBe(400);
    expect(await post(original.body, { ...signed, "webhook-signature": "v1,c2lnbmVkIGJ5IHNvbWVvbmUgZWxzZQ==" })).toBe(400);
    expect(await post(original.body, { ...signed, "webhook-id": "msg_forged", "webhook-signature": signature })).toBe(400);
    // The untouched request again (a replay) is a duplicate, not a second event.
    expect(await post(original.body, { ...signed, "webhook-signature": signature })).toBe(200);
    expect(handled.filter(({ webhookId }) => webhookId === id)).toHaveLength(1);
  });
});

describe("the command line", () => {
  /** `npm start -- <args>` in the example's folder. */
  const start = (args: string[], env: Record<string, string> = {}) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", ...args], {
      cwd: path.resolve(import.meta.dirname, ".."),
      env: { ...process.env, SWITCHBOARD_URL: switchboard.url, SWITCHBOARD_API_KEY: tenant.apiKey, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const printed = { stdout: "", stderr: "" };
    child.stdout.on("data", (chunk: Buffer) => ((printed.stdout += chunk.toString()), child.emit("printed")));
    child.stderr.on("data", (chunk: Buffer) => (printed.stderr += chunk.toString()));
    const exited = once(child, "exit").then(([code]) => code as number | null);
    /** Resolves once stdout matches `pattern`. */
    const prints = async (pattern: RegExp) => {
      for (;;) {
        if (pattern.test(printed.stdout)) return;
        if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${printed.stderr}`);
        await Promise.race([once(child, "printed"), exited]);
      }
    };
    return { child, printed, exited, prints };
  };
  const run = async (args: string[]) => {
    const { printed, exited } = start(args);
    return { code: await exited, ...printed };
  };

  it("sends a message, lists it, and prints its verified webhook", async () => {
    const port = await freePort();
    const { secret } = await createEndpoint(switchboard.url, tenant, `http://127.0.0.1:${port}/`);
    const receiving = start(["receive", String(port)], { SWITCHBOARD_WEBHOOK_SECRET: secret });
    try {
      await receiving.prints(/receiving webhooks at/);

      const sent = await run(["send", "+8801711000007", `From the command line ${tag()}`, `cli-${tag()}`]);
      expect(sent).toMatchObject({ code: 0, stderr: "" });
      const message = JSON.parse(sent.stdout) as { id: string };

      const listed = await run(["log", "3"]);
      expect(listed.code).toBe(0);
      const lines = listed.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { id: string });
      expect(lines).toHaveLength(3);
      expect(lines.map((line) => line.id)).toContain(message.id);

      await receiving.prints(new RegExp(`"webhookId":"[^"\\n]+","type":"message\\.sent"[^\\n]*"id":"${message.id}"`));
    } finally {
      receiving.child.kill("SIGTERM");
      await receiving.exited;
    }
  });

  it("prints a refusal's code and field, and exits 1", async () => {
    const refused = await run(["send", "not a number", "hello", `cli-${tag()}`]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^BAD_USER_INPUT \(to\): /);
  });
});
