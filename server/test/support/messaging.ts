import { expect } from "vitest";
import { startFakeRapiwa, type FakeRapiwa } from "../../fakes/fake-rapiwa.ts";
import { createApiKey, signUp, startTestApi, type SignedUp, type TestApi } from "./api.ts";

export type MessagingWorld = { api: TestApi; rapiwa: FakeRapiwa; close(): Promise<void> };

/** The API wired to a fake Rapiwa on loopback, with quick retries so retry tests finish fast. */
export async function startMessagingWorld(environment: Record<string, string> = {}): Promise<MessagingWorld> {
  const rapiwa = await startFakeRapiwa();
  const api = await startTestApi({
    environment: { RAPIWA_BASE_URL: rapiwa.url, PROVIDER_TIMEOUT_MS: "500", DISPATCH_RETRY_BASE_MS: "20", DISPATCH_MAX_ATTEMPTS: "3", ...environment },
  });
  return {
    api,
    rapiwa,
    async close() {
      await api.close();
      await rapiwa.close();
    },
  };
}

export const CONNECT = `mutation ($input: ConnectWhatsAppInput!) { connectWhatsApp(input: $input) { number status provider inboundWebhookUrl sendRatePerSecond connectedAt disconnectedAt } }`;
export const SEND = `mutation ($input: SendMessageInput!) { sendMessage(input: $input) { id direction to from text status error attempts providerMessageId idempotencyKey createdAt } }`;
export const MESSAGE = `query ($id: ID!) { message(id: $id) { id status error attempts providerMessageId history { status detail at } } }`;

export type Sender = SignedUp & { key: string; number: string };

/** A tenant with a connected Rapiwa number (on the fake) and a sending/reading API key. */
export async function connectedTenant(world: MessagingWorld, { number = "+8801712345678", rate = 1000, label = "sender" } = {}): Promise<Sender> {
  const owner = await signUp(world.api, label);
  const connected = await world.api.graphql(
    CONNECT,
    { input: { apiKey: `rapiwa-key-${owner.tenantId}`, number, sendRatePerSecond: rate } },
    { token: owner.token },
  );
  expect(connected.errors).toBeUndefined();
  const key = await createApiKey(world.api, owner, ["MESSAGES_SEND", "MESSAGES_READ", "USAGE_READ"]);
  return { ...owner, key: key.secret, number };
}

/** Waits until `check` holds, polling; fails with the last value seen. */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value)) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

export async function messageState(api: TestApi, sender: Sender, id: string) {
  const result = await api.graphql(MESSAGE, { id }, { token: sender.key });
  return result.data?.message as {
    status: string;
    error: string | null;
    attempts: number;
    providerMessageId: string | null;
    history: { status: string; detail: string | null }[];
  };
}

/** Messages written straight into the table (past the API), for log and billing volumes. */
export async function insertMessages(
  api: TestApi,
  tenantId: string,
  count: number,
  {
    status = "SENT",
    direction = "OUTBOUND",
    contact = "+14155550100",
    createdAt = new Date(),
    body = "bulk",
  }: { status?: string; direction?: string; contact?: string; createdAt?: Date; body?: string } = {},
) {
  await api.database.ownerPool.query(
    `INSERT INTO messages (tenant_id, id, direction, from_number, to_number, contact_number, body, preview, status, created_at, status_changed_at)
     SELECT $1, gen_random_uuid(), $2::"MessageDirection", '+8801712345678', $3, $3, $4 || ' ' || n, $4 || ' ' || n, $5::"MessageStatus",
            $6::timestamptz + n * interval '1 millisecond', now()
       FROM generate_series(1, $7) AS n`,
    [tenantId, direction, contact, body, status, createdAt, count],
  );
}
