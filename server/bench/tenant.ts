/** Signs up once over HTTP, like a user, and makes an API key (sign-up is rate limited: 20/h). */
export async function createBenchTenant(baseUrl: string, signal: AbortSignal): Promise<{ tenantId: string; apiKey: string }> {
  const tag = Date.now().toString(36);
  const signUp = await graphql<{ signUp: { token: string; tenant: { id: string } } }>(
    baseUrl,
    `mutation ($input: SignUpInput!) { signUp(input: $input) { token tenant { id } } }`,
    { input: { email: `bench-${tag}@example.com`, password: "bench horse battery staple 42", companyName: `Bench ${tag}` } },
    undefined,
    signal,
  );
  const created = await graphql<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
    baseUrl,
    `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id } } }`,
    { input: { name: "bench", scopes: ["MESSAGES_READ"] } },
    signUp.signUp.token,
    signal,
  );
  return { tenantId: signUp.signUp.tenant.id, apiKey: created.createApiKey.secret };
}

async function graphql<T>(baseUrl: string, query: string, variables: Record<string, unknown>, token: string | undefined, signal: AbortSignal): Promise<T> {
  const response = await fetch(new URL("/graphql", baseUrl), {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
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
    throw new Error(`set-up request failed with HTTP ${response.status}: ${text}`);
  }
  return result.data;
}
