/**
 * Which webhook endpoint URLs Switchboard may POST to (SSRF guard, part 1 of 2; guarded-http.ts is part 2).
 *
 * Tenants configure these URLs, and the server sends requests to them from inside our network: a URL that
 * points at loopback, a private or link-local network, CGNAT, multicast or a cloud metadata service would
 * let a tenant reach what only the server can. So an endpoint URL is an absolute http(s) URL without
 * credentials, at most 2,048 characters, and its host is neither such an address (IPv4-mapped and NAT64
 * IPv6 forms of one included) nor a well-known name for one. checkWebhookUrl runs when a URL is saved;
 * postWebhook runs it again at delivery and also checks every address the host name resolves to.
 *
 * Addresses are matched with Node's net.BlockList (no dependency; it parses both IP versions and matches an
 * IPv4-mapped IPv6 address such as ::ffff:7f00:1 against the IPv4 rules). The NAT64 forms are added as
 * explicit rules: each IPv4 range a.b.c.d/n is also blocked as 64:ff9b::a.b.c.d/(96+n).
 *
 * `allowPrivate` (WEBHOOK_ALLOW_PRIVATE_URLS=true, for local development and tests only: the caller reads
 * it from the config) lifts the address check, except for cloud metadata addresses and names, which stay
 * refused (README, "Webhooks"; docs/webhooks.md).
 */
import net from "node:net";

export const WEBHOOK_URL_MAX_LENGTH = 2048;

export interface WebhookUrlOptions {
  /** Lift the address check (loopback, private, ... stay reachable) for local development and tests. */
  allowPrivate: boolean;
}

export type WebhookUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

interface Rule {
  readonly cidr: string;
  readonly label: string;
  readonly list: net.BlockList;
}

function ipv4Rule(address: string, prefix: number, label: string): Rule {
  const list = new net.BlockList();
  list.addSubnet(address, prefix, "ipv4");
  // BlockList matches an IPv4-mapped address (::ffff:a.b.c.d) against IPv4 rules by itself; an address
  // under the NAT64 well-known prefix (64:ff9b::a.b.c.d, RFC 6052) needs its own rule.
  list.addSubnet(`64:ff9b::${address}`, 96 + prefix, "ipv6");
  return { cidr: `${address}/${prefix}`, label, list };
}

function ipv6Rule(address: string, prefix: number, label: string): Rule {
  const list = new net.BlockList();
  list.addSubnet(address, prefix, "ipv6");
  return { cidr: `${address}/${prefix}`, label, list };
}

/** Cloud instance metadata services: refused even when allowPrivate is set. */
const METADATA_RULES: readonly Rule[] = [
  ipv4Rule("169.254.169.254", 32, "cloud metadata service"),
  ipv4Rule("100.100.100.200", 32, "cloud metadata service"),
  ipv6Rule("fd00:ec2::254", 128, "cloud metadata service"),
];

/** First match wins, so more specific rules come before the ranges that contain them. */
const ADDRESS_RULES: readonly Rule[] = [
  ...METADATA_RULES,
  ipv4Rule("0.0.0.0", 8, "this network"),
  ipv4Rule("10.0.0.0", 8, "private network"),
  ipv4Rule("100.64.0.0", 10, "carrier-grade NAT (shared address space)"),
  ipv4Rule("127.0.0.0", 8, "loopback"),
  ipv4Rule("169.254.0.0", 16, "link-local"),
  ipv4Rule("172.16.0.0", 12, "private network"),
  ipv4Rule("192.0.0.0", 24, "IETF protocol assignments"),
  ipv4Rule("192.0.2.0", 24, "documentation (TEST-NET-1)"),
  ipv4Rule("192.168.0.0", 16, "private network"),
  ipv4Rule("198.18.0.0", 15, "benchmarking"),
  ipv4Rule("198.51.100.0", 24, "documentation (TEST-NET-2)"),
  ipv4Rule("203.0.113.0", 24, "documentation (TEST-NET-3)"),
  ipv4Rule("224.0.0.0", 4, "multicast"),
  ipv4Rule("255.255.255.255", 32, "broadcast"),
  ipv4Rule("240.0.0.0", 4, "reserved"),
  ipv6Rule("::", 128, "unspecified"),
  ipv6Rule("::1", 128, "loopback"),
  ipv6Rule("::", 96, "IPv4-compatible IPv6 (deprecated)"),
  ipv6Rule("64:ff9b:1::", 48, "local-use NAT64"),
  ipv6Rule("100::", 64, "discard-only"),
  ipv6Rule("2001::", 32, "Teredo (deprecated; embeds an IPv4 address)"),
  ipv6Rule("2001:db8::", 32, "documentation"),
  ipv6Rule("2002::", 16, "6to4 (deprecated; embeds an IPv4 address)"),
  ipv6Rule("fc00::", 7, "unique local (private network)"),
  ipv6Rule("fec0::", 10, "site-local (deprecated)"),
  ipv6Rule("fe80::", 10, "link-local"),
  ipv6Rule("ff00::", 8, "multicast"),
];

/** Host names of metadata services (refused always) and of loopback (refused unless allowPrivate). */
const METADATA_HOSTNAMES = new Set(["metadata.google.internal", "metadata"]);

function matchRule(rules: readonly Rule[], ip: string): string | undefined {
  // Accept the URL form ([::1]) too. BlockList matches an address with a zone index (fe80::1%eth0) by its address.
  const bare = ip.replace(/^\[(.*)\]$/, "$1");
  const version = net.isIP(bare);
  if (version === 0) return `${ip} is not an IP address`;
  const type = version === 4 ? "ipv4" : "ipv6";
  const rule = rules.find((candidate) => candidate.list.check(bare, type));
  return rule && `${ip} is in ${rule.cidr} (${rule.label})`;
}

/**
 * Why a webhook may not be sent to this IP address (IPv4, or IPv6 with or without brackets), or
 * undefined when it may. Anything that is not an IP address is refused too.
 */
export function isForbiddenAddress(ip: string): string | undefined {
  return matchRule(ADDRESS_RULES, ip);
}

/** isForbiddenAddress, with allowPrivate lifting everything but cloud metadata addresses. */
export function checkAddress(ip: string, { allowPrivate }: WebhookUrlOptions): string | undefined {
  return matchRule(allowPrivate ? METADATA_RULES : ADDRESS_RULES, ip);
}

/** Why a webhook may not be sent to this host name (not an IP literal), or undefined when it may. */
export function isForbiddenHostname(hostname: string, { allowPrivate }: WebhookUrlOptions): string | undefined {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  if (METADATA_HOSTNAMES.has(name)) return `${hostname} is a cloud metadata service`;
  if (!allowPrivate && (name === "localhost" || name.endsWith(".localhost"))) return `${hostname} is a loopback name`;
  return undefined;
}

/** The URL's host without the brackets an IPv6 literal has in a URL. */
export function bareHostname(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}

/**
 * Whether `url` may be a webhook endpoint: syntax, and the address check when the host is an IP literal
 * (WHATWG URL parsing has already turned forms such as http://2130706433/ and http://0x7f.0.0.1/ into
 * 127.0.0.1). A host name is only checked against well-known names here; postWebhook checks the
 * addresses it resolves to at delivery. Store `url.href` of the result: the normalised form.
 */
export function checkWebhookUrl(url: string, options: WebhookUrlOptions): WebhookUrlCheck {
  if (url.length > WEBHOOK_URL_MAX_LENGTH) return { ok: false, reason: `The URL is longer than ${WEBHOOK_URL_MAX_LENGTH} characters.` };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: "The URL is not an absolute URL." };
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return { ok: false, reason: "The URL must start with http:// or https://." };
  if (parsed.username !== "" || parsed.password !== "") return { ok: false, reason: "The URL must not contain a user name or password." };
  // WHATWG URL parsing refuses an http(s) URL without a host ("http://", "https:///"): no check needed here.
  if (parsed.href.length > WEBHOOK_URL_MAX_LENGTH) return { ok: false, reason: `The URL is longer than ${WEBHOOK_URL_MAX_LENGTH} characters.` };
  const host = bareHostname(parsed);
  const refused = net.isIP(host) ? checkAddress(host, options) : isForbiddenHostname(host, options);
  if (refused) return { ok: false, reason: `The URL's host is not allowed: ${refused}.` };
  return { ok: true, url: parsed };
}
