/**
 * Stand-in for the SSRF guard (`server/src/webhooks/url-policy.ts`, built on another branch), with its
 * exact signature: at the merge this file re-exports the real `checkWebhookUrl`. It checks only what
 * needs no DNS: http(s), no credentials, at most 2,048 characters, and (unless `allowPrivate`) no
 * literal loopback, private or link-local host. The real guard decides what is private, and again at
 * delivery time.
 */
export type WebhookUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

export const MAX_WEBHOOK_URL_LENGTH = 2048;

const PRIVATE_IPV4 = [/^127\./, /^10\./, /^192\.168\./, /^172\.(1[6-9]|2\d|3[01])\./, /^169\.254\./, /^0\./];

function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return PRIVATE_IPV4.some((range) => range.test(host));
  if (host.includes(":")) return host === "::1" || host === "::" || /^f[cd]/.test(host) || /^fe[89ab]/.test(host) || host.startsWith("::ffff:");
  return false;
}

export function checkWebhookUrl(url: string, { allowPrivate }: { allowPrivate: boolean }): WebhookUrlCheck {
  if (url.length > MAX_WEBHOOK_URL_LENGTH) return { ok: false, reason: `The URL is longer than ${MAX_WEBHOOK_URL_LENGTH} characters.` };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: "This is not a URL; give the full address, e.g. https://example.com/webhooks." };
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return { ok: false, reason: "Webhook URLs must use https (or http)." };
  if (parsed.username || parsed.password) return { ok: false, reason: "The URL must not hold a user name or password; verify the signature instead." };
  if (parsed.href.length > MAX_WEBHOOK_URL_LENGTH) return { ok: false, reason: `The URL is longer than ${MAX_WEBHOOK_URL_LENGTH} characters.` };
  if (!allowPrivate && isPrivateHost(parsed.hostname))
    return { ok: false, reason: "The URL points at a private or local address, which webhooks may not reach." };
  return { ok: true, url: parsed };
}
