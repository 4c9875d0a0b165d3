import { describe, expect, it } from "vitest";
import { checkAddress, checkWebhookUrl, isForbiddenAddress, WEBHOOK_URL_MAX_LENGTH } from "../../src/webhooks/url-policy.ts";

/** Which webhook endpoint URLs a tenant may save (no network, no database). */

const strict = { allowPrivate: false };
const relaxed = { allowPrivate: true };

function refusal(url: string, options = strict): string {
  const result = checkWebhookUrl(url, options);
  if (result.ok) throw new Error(`expected ${url} to be refused`);
  return result.reason;
}

// One sample address per blocked range, with the range and the kind of address the refusal must name.
const BLOCKED: [address: string, range: string, label: string][] = [
  ["0.0.0.0", "0.0.0.0/8", "this network"],
  ["0.255.255.255", "0.0.0.0/8", "this network"],
  ["10.1.2.3", "10.0.0.0/8", "private network"],
  ["100.64.0.1", "100.64.0.0/10", "carrier-grade NAT (shared address space)"],
  ["100.127.255.254", "100.64.0.0/10", "carrier-grade NAT (shared address space)"],
  ["127.0.0.1", "127.0.0.0/8", "loopback"],
  ["127.255.255.254", "127.0.0.0/8", "loopback"],
  ["169.254.169.254", "169.254.169.254/32", "cloud metadata service"],
  ["169.254.1.1", "169.254.0.0/16", "link-local"],
  ["172.16.0.1", "172.16.0.0/12", "private network"],
  ["172.31.255.254", "172.16.0.0/12", "private network"],
  ["192.0.0.8", "192.0.0.0/24", "IETF protocol assignments"],
  ["192.0.2.1", "192.0.2.0/24", "documentation (TEST-NET-1)"],
  ["192.168.1.1", "192.168.0.0/16", "private network"],
  ["198.18.0.1", "198.18.0.0/15", "benchmarking"],
  ["198.19.255.254", "198.18.0.0/15", "benchmarking"],
  ["198.51.100.7", "198.51.100.0/24", "documentation (TEST-NET-2)"],
  ["203.0.113.9", "203.0.113.0/24", "documentation (TEST-NET-3)"],
  ["224.0.0.1", "224.0.0.0/4", "multicast"],
  ["239.255.255.250", "224.0.0.0/4", "multicast"],
  ["240.0.0.1", "240.0.0.0/4", "reserved"],
  ["255.255.255.255", "255.255.255.255/32", "broadcast"],
  ["100.100.100.200", "100.100.100.200/32", "cloud metadata service"],
  ["::", "::/128", "unspecified"],
  ["::1", "::1/128", "loopback"],
  ["::7f00:1", "::/96", "IPv4-compatible IPv6 (deprecated)"],
  ["fd00::1", "fc00::/7", "unique local (private network)"],
  ["fc00::1", "fc00::/7", "unique local (private network)"],
  ["fd00:ec2::254", "fd00:ec2::254/128", "cloud metadata service"],
  ["fe80::1", "fe80::/10", "link-local"],
  ["febf::1", "fe80::/10", "link-local"],
  ["fec0::1", "fec0::/10", "site-local (deprecated)"],
  ["ff02::1", "ff00::/8", "multicast"],
  ["2001:db8::1", "2001:db8::/32", "documentation"],
  ["2001:0:4136:e378::1", "2001::/32", "Teredo (deprecated; embeds an IPv4 address)"],
  ["2002:7f00:1::1", "2002::/16", "6to4 (deprecated; embeds an IPv4 address)"],
  ["100::1", "100::/64", "discard-only"],
  ["64:ff9b:1::a00:1", "64:ff9b:1::/48", "local-use NAT64"],
  // IPv4-mapped IPv6: the embedded IPv4 address decides, in dotted and in hex form.
  ["::ffff:127.0.0.1", "127.0.0.0/8", "loopback"],
  ["::ffff:7f00:1", "127.0.0.0/8", "loopback"],
  ["::ffff:a9fe:a9fe", "169.254.169.254/32", "cloud metadata service"],
  ["::ffff:10.0.0.1", "10.0.0.0/8", "private network"],
  ["::ffff:0.0.0.0", "0.0.0.0/8", "this network"],
  // NAT64 (64:ff9b::/96): the embedded IPv4 address decides.
  ["64:ff9b::127.0.0.1", "127.0.0.0/8", "loopback"],
  ["64:ff9b::a9fe:a9fe", "169.254.169.254/32", "cloud metadata service"],
  ["64:ff9b::c0a8:101", "192.168.0.0/16", "private network"],
];

// Public addresses, many just outside a blocked range: the ranges are no wider than they should be.
const ALLOWED = [
  "1.1.1.1",
  "8.8.8.8",
  "9.255.255.255",
  "11.0.0.0",
  "100.63.255.255",
  "100.128.0.0",
  "126.255.255.255",
  "128.0.0.0",
  "169.253.255.255",
  "169.255.0.0",
  "172.15.255.255",
  "172.32.0.0",
  "192.0.1.0",
  "192.0.3.0",
  "192.167.255.255",
  "192.169.0.0",
  "198.17.255.255",
  "198.20.0.0",
  "198.51.99.255",
  "198.51.101.0",
  "203.0.112.255",
  "203.0.114.0",
  "223.255.255.255",
  "2606:4700:4700::1111",
  "2a00:1450:4001:82b::200e",
  "::ffff:8.8.8.8",
  "::ffff:808:808",
  "64:ff9b::8.8.8.8",
  "2001:db9::1",
  "2003::1",
  "fbff:ffff::1",
  "fe7f::1",
];

describe("isForbiddenAddress", () => {
  it.each(BLOCKED)("refuses %s (%s, %s)", (address, range, label) => {
    expect(isForbiddenAddress(address)).toBe(`${address} is in ${range} (${label})`);
  });

  it.each(ALLOWED)("allows the public address %s", (address) => {
    expect(isForbiddenAddress(address)).toBeUndefined();
  });

  it("accepts the bracketed URL form and refuses a zone index's address by its address", () => {
    expect(isForbiddenAddress("[::1]")).toContain("::1/128");
    expect(isForbiddenAddress("fe80::1%eth0")).toContain("fe80::/10");
  });

  it("refuses what is not an IP address", () => {
    expect(isForbiddenAddress("hooks.example.com")).toContain("not an IP address");
    expect(isForbiddenAddress("127.1")).toContain("not an IP address");
    expect(isForbiddenAddress("")).toContain("not an IP address");
  });

  it("with allowPrivate, lifts every range but cloud metadata", () => {
    expect(checkAddress("127.0.0.1", relaxed)).toBeUndefined();
    expect(checkAddress("::1", relaxed)).toBeUndefined();
    expect(checkAddress("10.0.0.1", relaxed)).toBeUndefined();
    expect(checkAddress("169.254.169.254", relaxed)).toContain("cloud metadata");
    expect(checkAddress("::ffff:169.254.169.254", relaxed)).toContain("cloud metadata");
    expect(checkAddress("fd00:ec2::254", relaxed)).toContain("cloud metadata");
    expect(checkAddress("127.0.0.1", strict)).toContain("loopback");
  });
});

describe("checkWebhookUrl", () => {
  it("accepts a public http(s) URL and returns it normalised", () => {
    const result = checkWebhookUrl("HTTPS://Hooks.Example.COM:443/in/switchboard?tenant=7", strict);
    expect(result).toEqual({ ok: true, url: expect.any(URL) });
    if (result.ok) expect(result.url.href).toBe("https://hooks.example.com/in/switchboard?tenant=7");
    expect(checkWebhookUrl("http://hooks.example.com:8080/x", strict).ok).toBe(true);
    expect(checkWebhookUrl("http://8.8.8.8/x", strict).ok).toBe(true);
    expect(checkWebhookUrl("http://[2606:4700:4700::1111]/x", strict).ok).toBe(true);
  });

  it.each([
    "ftp://hooks.example.com/x",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "data:text/plain,hi",
    "ws://hooks.example.com/",
    "gopher://127.0.0.1:6379/_",
  ])("refuses the non-http(s) URL %s", (url) => {
    expect(refusal(url)).toContain("http:// or https://");
    expect(refusal(url, relaxed)).toContain("http:// or https://");
  });

  it.each(["/hooks/in", "hooks.example.com/in", "", "http://", "https:///", "http://exa mple.com/"])("refuses %j: not an absolute URL with a host", (url) => {
    expect(refusal(url)).toContain("not an absolute URL");
  });

  it.each(["http://user:pass@hooks.example.com/", "https://user@hooks.example.com/", "https://:secret@hooks.example.com/"])(
    "refuses credentials in %s",
    (url) => {
      expect(refusal(url)).toContain("user name or password");
      expect(refusal(url, relaxed)).toContain("user name or password");
    },
  );

  it("accepts 2,048 characters and refuses 2,049", () => {
    const base = "https://hooks.example.com/";
    const longest = base + "a".repeat(WEBHOOK_URL_MAX_LENGTH - base.length);
    expect(longest).toHaveLength(2048);
    expect(checkWebhookUrl(longest, strict).ok).toBe(true);
    expect(refusal(longest + "a")).toContain("longer than 2048");
  });

  it("refuses more than 2,048 characters even when URL parsing would strip them", () => {
    const url = "https://hooks.example.com/in" + " ".repeat(WEBHOOK_URL_MAX_LENGTH);
    expect(new URL(url).href).toBe("https://hooks.example.com/in");
    expect(refusal(url)).toContain("longer than 2048");
  });

  it("refuses a URL that only percent-encoding makes longer than 2,048 characters", () => {
    const base = "https://hooks.example.com/";
    const url = base + " ".repeat(WEBHOOK_URL_MAX_LENGTH - base.length - 1) + "x"; // each space becomes %20
    expect(url).toHaveLength(2048);
    expect(refusal(url)).toContain("longer than 2048");
  });

  // WHATWG URL parsing turns decimal, octal, hex and short IPv4 forms into dotted quads, and IPv6 into
  // its canonical form: each of these is 127.0.0.1 (or ::1) once parsed.
  it.each([
    ["http://127.0.0.1/", "127.0.0.0/8"],
    ["http://2130706433/", "127.0.0.0/8"],
    ["http://0x7f.0.0.1/", "127.0.0.0/8"],
    ["http://0x7f000001/", "127.0.0.0/8"],
    ["http://0177.0.0.1/", "127.0.0.0/8"],
    ["http://127.1/", "127.0.0.0/8"],
    ["http://%31%32%37.0.0.1/", "127.0.0.0/8"],
    ["http://[::1]:8080/", "::1/128"],
    ["http://[::ffff:127.0.0.1]/", "127.0.0.0/8"],
    ["http://[::ffff:7f00:1]/", "127.0.0.0/8"],
    ["http://[0:0:0:0:0:ffff:7f00:1]/", "127.0.0.0/8"],
    ["http://[64:ff9b::127.0.0.1]/", "127.0.0.0/8"],
    ["http://169.254.169.254/latest/meta-data/", "169.254.169.254/32"],
    ["http://100.64.0.1/", "100.64.0.0/10"],
    ["http://[fd00::1]/", "fc00::/7"],
    ["http://224.0.0.1/", "224.0.0.0/4"],
    ["http://0.0.0.0/", "0.0.0.0/8"],
    ["http://0/", "0.0.0.0/8"],
    ["https://10.0.0.1:8443/", "10.0.0.0/8"],
    ["http://192.168.0.1/", "192.168.0.0/16"],
  ])("refuses %s, whose host is in %s", (url, range) => {
    expect(refusal(url)).toContain(`in ${range}`);
  });

  it.each(["http://localhost:3000/", "http://LOCALHOST./", "http://api.localhost/"])("refuses the loopback name in %s unless allowPrivate", (url) => {
    expect(refusal(url)).toContain("loopback name");
    expect(checkWebhookUrl(url, relaxed).ok).toBe(true);
  });

  it.each([
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://METADATA.google.internal./",
    "http://metadata/",
    "http://169.254.169.254/",
    "http://[::ffff:a9fe:a9fe]/",
  ])("refuses the cloud metadata service at %s even with allowPrivate", (url) => {
    expect(refusal(url)).toContain("metadata");
    expect(refusal(url, relaxed)).toContain("metadata");
  });

  it("with allowPrivate, accepts loopback and private addresses (local development and tests)", () => {
    expect(checkWebhookUrl("http://127.0.0.1:4000/hook", relaxed).ok).toBe(true);
    expect(checkWebhookUrl("http://[::1]:4000/hook", relaxed).ok).toBe(true);
    expect(checkWebhookUrl("http://192.168.1.20/hook", relaxed).ok).toBe(true);
  });

  it("checks only names, not DNS, for a host name (delivery checks the addresses)", () => {
    expect(checkWebhookUrl("https://metadata.example.com/hook", strict).ok).toBe(true);
    expect(checkWebhookUrl("https://localhost.example.com/hook", strict).ok).toBe(true);
  });
});
