/** What the bench signs up: a tenant, an API key of it and the owner's session token. */
export type BenchTenant = {
  tenantId: string;
  /** Secret of an API key with scopes MESSAGES_SEND and MESSAGES_READ. */
  apiKey: string;
  /** The owner's session token from sign-up, for set-up steps an API key may not do. */
  sessionToken: string;
};

/** Signs up over HTTP, like a user, and makes an API key (sign-up is rate limited: 20/h per address). */
export async function createBenchTenant(baseUrl: string, signal: AbortSignal): Promise<BenchTenant> {
  const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const signUp = await graphql<{ signUp: { token: string; tenant: { id: string } } }>(
    baseUrl,
    `
      mutation ($input: SignUpInput!) {
        signUp(input: $input) {
          token
          tenant {
            id
          }
        }
      }
    `,
    { input: { email: `bench-${tag}@example.com`, password: "bench horse battery staple 42", companyName: `Bench ${tag}` } },
    undefined,
    signal,
  );
  const created = await graphql<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
    baseUrl,
    `
      mutation ($input: CreateApiKeyInput!) {
        createApiKey(input: $input) {
          secret
          apiKey {
            id
          }
        }
      }
    `,
    { input: { name: "bench", scopes: ["MESSAGES_SEND", "MESSAGES_READ"] } },
    signUp.signUp.token,
    signal,
  );
  return { tenantId: signUp.signUp.tenant.id, apiKey: created.createApiKey.secret, sessionToken: signUp.signUp.token };
}

/**
 * Tenants sending on the send path, each with its own API key and number: a gateway serves many
 * tenants, and one number alone is capped by its send rate (below), not by the dispatcher.
 */
export const SEND_TENANTS = 4;
/** The send path's numbers, one per tenant; the fake Rapiwa accepts any key and number. */
export const benchNumber = (index: number) => `+88017123456${String(10 + index).padStart(2, "0")}`;
/** The most connectWhatsApp allows; the default (20/s) would make dispatch look slow. */
export const BENCH_SEND_RATE_PER_SECOND = 1000;

/**
 * Connects a tenant's WhatsApp number through the API, as a user would (the server sends one
 * confirmation message to the provider, here the fake Rapiwa, to check the key).
 */
export async function connectBenchNumber(
  baseUrl: string,
  sessionToken: string,
  number: string,
  signal: AbortSignal,
  { rate = BENCH_SEND_RATE_PER_SECOND }: { rate?: number | "default" } = {},
): Promise<void> {
  const { connectWhatsApp } = await graphql<{ connectWhatsApp: { status: string } }>(
    baseUrl,
    `
      mutation ($input: ConnectWhatsAppInput!) {
        connectWhatsApp(input: $input) {
          status
        }
      }
    `,
    { input: { apiKey: "bench-rapiwa-key", number, ...(rate === "default" ? {} : { sendRatePerSecond: rate }) } },
    sessionToken,
    signal,
  );
  if (connectWhatsApp.status !== "CONNECTED") throw new Error(`connectWhatsApp answered status ${connectWhatsApp.status}, expected CONNECTED`);
}

/** One GraphQL request; throws on an HTTP or GraphQL error (so a broken answer is never timed as a fast one). `tenantId`: X-Tenant-Id. */
export async function graphql<T>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown>,
  token: string | undefined,
  signal: AbortSignal,
  tenantId?: string,
): Promise<T> {
  const response = await fetch(new URL("/graphql", baseUrl), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(tenantId ? { "x-tenant-id": tenantId } : {}),
    },
    body: JSON.stringify({ query, variables }),
    signal,
  });
  const text = await response.text();
  let result: { data?: T | null; errors?: unknown[] } = {};
  try {
    result = JSON.parse(text) as typeof result;
  } catch {
    // Not JSON: reported with the text below.
  }
  if (response.status !== 200 || result.errors?.length || !result.data) {
    throw new Error(`GraphQL request failed with HTTP ${response.status}: ${text}`);
  }
  return result.data;
}
