import { randomUUID } from "node:crypto";
import type { SendOutcome, SendTextRequest, WhatsAppProvider } from "../whatsapp-provider.ts";

/** Connections whose provider key starts with this use the sandbox (development and tests only). */
export const SANDBOX_KEY_PREFIX = "sandbox_";

/**
 * An in-process stand-in for a WhatsApp number, so a newcomer can onboard and send without a
 * Rapiwa account: every send is accepted; delivery receipts follow (see sandbox-receipts.ts).
 */
export function createSandboxProvider(): WhatsAppProvider {
  return {
    async sendText(_request: SendTextRequest): Promise<SendOutcome> {
      return { ok: true, providerMessageId: `sandbox_${randomUUID()}` };
    },
  };
}
