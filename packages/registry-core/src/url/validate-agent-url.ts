/**
 * The project's one agent-URL validator (SSRF protection), run on register and on every agent-card write.
 * Pure: DNS comes in as a function, so callers pick the resolver and tests never touch the network.
 */

export type UrlPolicy = {
  /** ROLLCALL_ALLOW_PRIVATE_URLS: 10/8, 172.16/12, 192.168/16 and fd00::/8 are allowed. */
  allowPrivate: boolean;
  /** Dev mode only: 127/8, ::1 and the names "localhost" / "*.localhost" are allowed. */
  allowLoopback: boolean;
  /** Bound on how long a hostname may take to resolve. */
  dnsTimeoutMs: number;
};

/** Returns IP literals (v4 or v6); rejects on failure. */
export type ResolveHost = (hostname: string) => Promise<string[]>;

export type UrlCheck =
  /** `url` is the normalised href; `host` is lower-cased without a trailing dot (IPv6 keeps its brackets);
   * `addresses` are the IPs that were checked: the literal itself, the resolved ones, or none for a
   * localhost name, which is never resolved. */
  | { ok: true; url: string; host: string; addresses: string[] }
  | { ok: false; reason: "url_validate_failed"; message: string };

const MAX_URL_LENGTH = 2048;
const LOOPBACK = "loopback address";

type Range = { base: bigint; prefix: number; bits: 32 | 128 };
type Rule =
  | { range: Range; label: string; allowedBy?: "allowPrivate" | "allowLoopback" }
  /** The address embeds an IPv4 address in its low 32 bits, which is judged by the IPv4 rules. */
  | { range: Range; mapsToIpv4: true };

function v4(base: string, prefix: number): Range {
  const octets = parseCanonicalIpv4(base);
  if (octets === null) throw new Error(`bad IPv4 range constant ${base}`);
  return { base: ipv4Value(octets), prefix, bits: 32 };
}

function v6(base: string, prefix: number): Range {
  const value = parseIpv6(base);
  if (value === null) throw new Error(`bad IPv6 range constant ${base}`);
  return { base: value, prefix, bits: 128 };
}

// Ordered: the first matching rule decides.
const IPV4_RULES: readonly Rule[] = [
  { range: v4("0.0.0.0", 8), label: "unspecified address (0.0.0.0/8)" },
  { range: v4("127.0.0.0", 8), label: LOOPBACK, allowedBy: "allowLoopback" },
  { range: v4("169.254.0.0", 16), label: "link-local address (cloud metadata endpoint)" },
  { range: v4("10.0.0.0", 8), label: "RFC-1918 private address", allowedBy: "allowPrivate" },
  { range: v4("172.16.0.0", 12), label: "RFC-1918 private address", allowedBy: "allowPrivate" },
  { range: v4("192.168.0.0", 16), label: "RFC-1918 private address", allowedBy: "allowPrivate" },
  { range: v4("100.64.0.0", 10), label: "carrier-grade NAT address (RFC-6598)" },
  { range: v4("192.0.2.0", 24), label: "TEST-NET documentation range (RFC-5737)" },
  { range: v4("198.51.100.0", 24), label: "TEST-NET documentation range (RFC-5737)" },
  { range: v4("203.0.113.0", 24), label: "TEST-NET documentation range (RFC-5737)" },
  { range: v4("198.18.0.0", 15), label: "benchmarking range (RFC-2544)" },
  { range: v4("224.0.0.0", 4), label: "IPv4 multicast address" },
  // Before 240/4, which contains it.
  { range: v4("255.255.255.255", 32), label: "broadcast address" },
  { range: v4("240.0.0.0", 4), label: "reserved range (240.0.0.0/4)" },
  { range: v4("192.0.0.0", 24), label: "IETF protocol assignments (RFC-6890)" },
];

const IPV6_RULES: readonly Rule[] = [
  { range: v6("::", 128), label: "unspecified address (::)" },
  { range: v6("::1", 128), label: LOOPBACK, allowedBy: "allowLoopback" },
  // IPv4-mapped and (deprecated) IPv4-compatible: the stack connects to the embedded IPv4 address.
  { range: v6("::ffff:0:0", 96), mapsToIpv4: true },
  { range: v6("::", 96), mapsToIpv4: true },
  { range: v6("fe80::", 10), label: "IPv6 link-local address (cloud metadata analogue)" },
  { range: v6("fec0::", 10), label: "IPv6 site-local address (deprecated)" },
  { range: v6("fd00::", 8), label: "IPv6 ULA address (RFC-4193 private)", allowedBy: "allowPrivate" },
  { range: v6("fc00::", 8), label: "IPv6 ULA non-routable prefix (fc00::/8)" },
  { range: v6("2001:db8::", 32), label: "IPv6 documentation address (RFC-3849)" },
  // Translators reach an arbitrary embedded IPv4 address (metadata included), so these are blocked outright.
  { range: v6("64:ff9b::", 96), label: "NAT64 prefix (embeds IPv4)" },
  { range: v6("64:ff9b:1::", 48), label: "NAT64 prefix (embeds IPv4)" },
  { range: v6("2002::", 16), label: "6to4 prefix (embeds IPv4)" },
  { range: v6("ff00::", 8), label: "IPv6 multicast address" },
];

function inRange(value: bigint, range: Range): boolean {
  const shift = BigInt(range.bits - range.prefix);
  return value >> shift === range.base >> shift;
}

function matchRules(rules: readonly Rule[], value: bigint, policy: UrlPolicy): string | null {
  for (const rule of rules) {
    if (!inRange(value, rule.range)) continue;
    if ("mapsToIpv4" in rule) return matchRules(IPV4_RULES, value & 0xffff_ffffn, policy);
    return rule.allowedBy !== undefined && policy[rule.allowedBy] ? null : rule.label;
  }
  return null;
}

/** Strict dotted quad: exactly four decimal parts 0-255 without leading zeros; anything else is null. */
export function parseCanonicalIpv4(host: string): number[] | null {
  const parts = host.split(".");
  if (parts.length !== 4) return null;
  const octets: number[] = [];
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    octets.push(octet);
  }
  return octets;
}

function ipv4Value(octets: readonly number[]): bigint {
  return octets.reduce((acc, octet) => (acc << 8n) | BigInt(octet), 0n);
}

/** Full IPv6 text parse (`::` expansion, dotted-quad tail) to a 128-bit value; null when malformed. */
function parseIpv6(text: string): bigint | null {
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const groups: number[][] = [];
  for (const [index, half] of halves.entries()) {
    const parsed = parseGroups(half, index === halves.length - 1);
    if (parsed === null) return null;
    groups.push(parsed);
  }
  const [head = [], tail = []] = groups;
  const missing = 8 - head.length - tail.length;
  // With `::` at least one group is elided; without it, all eight must be spelled out.
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...Array<number>(missing).fill(0), ...tail];
  return all.reduce((acc, group) => (acc << 16n) | BigInt(group), 0n);
}

function parseGroups(half: string, mayEndInIpv4: boolean): number[] | null {
  if (half === "") return [];
  const labels = half.split(":");
  const groups: number[] = [];
  for (const [index, label] of labels.entries()) {
    if (mayEndInIpv4 && index === labels.length - 1 && label.includes(".")) {
      const octets = parseCanonicalIpv4(label);
      if (octets === null) return null;
      const value = Number(ipv4Value(octets));
      groups.push(value >>> 16, value & 0xffff);
    } else if (/^[0-9a-f]{1,4}$/i.test(label)) {
      groups.push(parseInt(label, 16));
    } else {
      return null;
    }
  }
  return groups;
}

/** Null when the address is allowed under the policy, else the human label of the blocked range. Text that
 * is not an IP literal (e.g. junk from a resolver) is blocked, so the check fails closed. */
export function classifyIp(ip: string, policy: UrlPolicy): string | null {
  const octets = parseCanonicalIpv4(ip);
  if (octets !== null) return matchRules(IPV4_RULES, ipv4Value(octets), policy);
  const value = parseIpv6(ip);
  if (value !== null) return matchRules(IPV6_RULES, value, policy);
  return "not an IP address";
}

function fail(message: string): UrlCheck {
  return { ok: false, reason: "url_validate_failed", message };
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The authority as typed, before WHATWG rewrites it. Mirrors the parser for http(s): tabs and newlines are
 * dropped, any run of `/` or `\` after the scheme is skipped, and the authority ends at `/`, `\`, `?` or `#`.
 */
function rawAuthority(raw: string): string {
  const text = raw.replace(/[\t\n\r]/g, "").trim();
  const rest = text.slice(text.indexOf(":") + 1).replace(/^[/\\]*/, "");
  const end = rest.search(/[/\\?#]/);
  return end === -1 ? rest : rest.slice(0, end);
}

/** The host part of an authority: after the last `@`, before the port; a bracketed IPv6 host stays whole. */
function hostOfAuthority(authority: string): string {
  const hostPort = authority.slice(authority.lastIndexOf("@") + 1);
  if (hostPort.startsWith("[")) {
    const close = hostPort.indexOf("]");
    return close === -1 ? hostPort : hostPort.slice(0, close + 1);
  }
  const colon = hostPort.indexOf(":");
  return colon === -1 ? hostPort : hostPort.slice(0, colon);
}

function trimTrailingDot(host: string): string {
  return host.endsWith(".") ? host.slice(0, -1) : host;
}

type Resolution = { ok: true; addresses: string[] } | { ok: false; message: string };

async function resolveWithTimeout(host: string, resolve: ResolveHost, timeoutMs: number): Promise<Resolution> {
  const timedOut = Symbol("timeout");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<typeof timedOut>((done) => {
    timer = setTimeout(() => done(timedOut), timeoutMs);
  });
  try {
    // Called inside `then` so a resolver that throws synchronously is reported like one that rejects.
    const result = await Promise.race([Promise.resolve().then(() => resolve(host)), deadline]);
    if (result === timedOut) {
      return { ok: false, message: `hostname "${host}" cannot be resolved (DNS timeout after ${timeoutMs} ms)` };
    }
    return { ok: true, addresses: result };
  } catch (err) {
    return { ok: false, message: `hostname "${host}" cannot be resolved (DNS error): ${errorMessage(err)}` };
  } finally {
    // A pending timer would keep the process alive after a fast answer.
    clearTimeout(timer);
  }
}

export async function validateAgentUrl(raw: unknown, policy: UrlPolicy, resolve: ResolveHost): Promise<UrlCheck> {
  if (typeof raw !== "string" || raw === "") return fail("url is required");
  // Checked before parsing so an oversized input is never handed to the parser.
  if (raw.length > MAX_URL_LENGTH) return fail("url is too long");
  let url: URL;
  try {
    url = new URL(raw);
  } catch (err) {
    return fail(`url is not valid: ${errorMessage(err)}`);
  }
  const scheme = url.protocol.slice(0, -1);
  if (scheme !== "http" && scheme !== "https") return fail(`url scheme must be http or https, got "${scheme}"`);

  const authority = rawAuthority(raw);
  // The raw `@` also catches an empty userinfo (`http://@host`), which WHATWG drops silently.
  if (url.username !== "" || url.password !== "" || authority.includes("@")) {
    return fail("url must not contain credentials");
  }

  const host = trimTrailingDot(url.hostname.toLowerCase());
  if (host === "") return fail("url has no host");
  if (host !== url.hostname) url.hostname = host;

  const octets = parseCanonicalIpv4(host);
  if (octets !== null) {
    // WHATWG rewrites 2130706433, 0x7f.1, 127.1, 0177.0.0.1, %31..., full-width digits, ... to a dotted quad;
    // other parsers on the path may read those differently, so only the canonical spelling is accepted.
    const rawHost = hostOfAuthority(authority);
    if (trimTrailingDot(rawHost.toLowerCase()) !== host) {
      return fail(`url host "${rawHost}" is not a canonical IP address`);
    }
  }

  if (octets !== null || host.startsWith("[")) {
    const literal = octets !== null ? host : host.slice(1, -1);
    const label = classifyIp(literal, policy);
    if (label !== null) return fail(`url targets a blocked address: ${label}`);
    return { ok: true, url: url.href, host, addresses: [literal] };
  }

  // RFC 6761: these names are loopback by definition, whatever a resolver would say.
  if (host === "localhost" || host.endsWith(".localhost")) {
    if (!policy.allowLoopback) return fail(`url targets a blocked address: ${LOOPBACK}`);
    return { ok: true, url: url.href, host, addresses: [] };
  }

  const resolution = await resolveWithTimeout(host, resolve, policy.dnsTimeoutMs);
  if (!resolution.ok) return fail(resolution.message);
  if (resolution.addresses.length === 0) return fail(`hostname "${host}" cannot be resolved (no addresses)`);
  // Every address must pass: the client may connect to any of them.
  for (const address of resolution.addresses) {
    const label = classifyIp(address, policy);
    if (label !== null) {
      return fail(`hostname "${host}" resolves to forbidden address: url targets a blocked address: ${label}`);
    }
  }
  return { ok: true, url: url.href, host, addresses: resolution.addresses };
}
