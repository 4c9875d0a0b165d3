import type { WhatsAppProvider as ProviderKind } from "../generated/prisma/enums.ts";
import { createRapiwaClient } from "./rapiwa/rapiwa-client.ts";
import { createSandboxProvider, SANDBOX_KEY_PREFIX } from "./sandbox/sandbox-provider.ts";
import type { WhatsAppProvider } from "./whatsapp-provider.ts";

export type Providers = {
  get(kind: ProviderKind): WhatsAppProvider;
  /** Which provider a credential belongs to; sandbox keys only where the sandbox is enabled. */
  kindForKey(apiKey: string): ProviderKind;
  sandboxEnabled: boolean;
};

export function createProviders({
  rapiwaBaseUrl,
  timeoutMs,
  sandboxEnabled,
}: {
  rapiwaBaseUrl: string;
  timeoutMs: number;
  sandboxEnabled: boolean;
}): Providers {
  const rapiwa = createRapiwaClient({ baseUrl: rapiwaBaseUrl, timeoutMs });
  const sandbox = createSandboxProvider();
  return {
    sandboxEnabled,
    get: (kind) => (kind === "SANDBOX" && sandboxEnabled ? sandbox : rapiwa),
    kindForKey: (apiKey) => (sandboxEnabled && apiKey.startsWith(SANDBOX_KEY_PREFIX) ? "SANDBOX" : "RAPIWA"),
  };
}
