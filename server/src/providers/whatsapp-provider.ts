/**
 * What the dispatcher and connectWhatsApp need from a WhatsApp provider. Rapiwa (HTTP) and the
 * in-process sandbox implement it.
 */
export type SendTextRequest = {
  /** The tenant's provider credential (Rapiwa's per-number "device key"). */
  apiKey: string;
  /** Recipient in E.164, e.g. "+8801234567890". */
  to: string;
  text: string;
};

export type SendOutcome =
  | { ok: true; providerMessageId: string | null }
  | {
      ok: false;
      /** true: worth retrying later (network, timeout, 5xx, 429); false: final (bad key, bad number...). */
      retryable: boolean;
      /** For the tenant: why it failed, in a sentence. */
      reason: string;
      /** The provider's HTTP status, when there was an answer. */
      httpStatus?: number;
      /** The provider rejected the credential (401/403): connectWhatsApp reports it as a bad key. */
      badCredential?: boolean;
      /**
       * The request reached the provider but no answer came back (timeout, connection dropped
       * mid-exchange): it may have been sent. Rapiwa takes no idempotency key, so the dispatcher
       * records UNKNOWN instead of retrying, as it does for a crash mid-call.
       */
      mayHaveBeenSent?: boolean;
    };

export interface WhatsAppProvider {
  sendText(request: SendTextRequest): Promise<SendOutcome>;
}
