/**
 * The project's one agent-URL canonicaliser and validator (SSRF protection), run on register and on every
 * agent-card write. What passes is stored and returned only as its canonical WHATWG href, so whatever reads the
 * registry sees exactly the URL that was judged. Pure: DNS comes in as a function, so callers pick the resolver and
 * tests never touch the network.
 */
import { classifyAddress, type AddressPolicy } from "./address-rules.ts";

export type UrlPolicy = AddressPolicy & {
  /** Bound on how long a hostname may take to resolve. */
  dnsTimeoutMs: number;
};

/** Returns IP literals (v4 or v6); rejects on failure. */
export type ResolveHost = (hostname: string) => Promise<string[]>;

export type UrlCheck =
  /** `url` is the canonical href (the only form ever stored); `host` is lower-cased without a trailing dot (IPv6
   * keeps its brackets); `addresses` are the IPs that were checked: the literal itself, the resolved ones, or none
   * for a localhost name (never resolved) or when DNS was not asked (checkStoredAgentUrl). */
  { ok: true; url: string; host: string; addresses: string[] } | { ok: false; reason: "url_validate_failed"; message: string };

const MAX_URL_LENGTH = 2048;

/**
 * Characters that parsers read differently, or that must never reach a stored URL: a backslash (WHATWG reads it as
 * `/`, Python's urllib and many proxies as part of the userinfo), C0 and C1 controls, DEL, every kind of space or
 * separator, and invisible format characters (zero-width, bidirectional overrides, BOM).
 */
const AMBIGUOUS_CHARACTER = /[\\\p{Cc}\p{Cf}\p{Z}]/u;

function fail(message: string): UrlCheck & { ok: false } {
  return { ok: false, reason: "url_validate_failed", message };
}

const describeCharacter = (character: string) =>
  character === "\\" ? "a backslash" : `the character U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;

const trimTrailingDot = (host: string) => (host.endsWith(".") ? host.slice(0, -1) : host);

type Canonical = { ok: true; url: string; host: string; literal: string | null };

/** The canonical form of a URL, or why it is refused before any address is looked at. */
function canonicalise(raw: unknown): Canonical | (UrlCheck & { ok: false }) {
  if (typeof raw !== "string" || raw === "") return fail("url is required");
  // Checked before parsing so an oversized input is never handed to the parser.
  if (raw.length > MAX_URL_LENGTH) return fail("url is too long");
  const ambiguous = AMBIGUOUS_CHARACTER.exec(raw);
  if (ambiguous) return fail(`url contains ${describeCharacter(ambiguous[0])}, which URL parsers read differently`);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(raw)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== "http" && scheme !== "https") return fail(`url scheme must be http or https, got "${scheme}"`);
  // Exactly `scheme://host`: WHATWG also accepts `http:host` and `http:///host`, which other parsers read as a path.
  if (scheme === undefined || !/^https?:\/\/[^/]/i.test(raw)) return fail("url must start with http:// or https:// and a host");

  let url: URL;
  try {
    url = new URL(raw);
  } catch (err) {
    return fail(`url is not valid: ${err instanceof Error ? err.message : String(err)}`);
  }
  const authority = raw.slice(scheme.length + 3).split(/[/?#]/, 1)[0]!;
  // Any `@` (an empty userinfo too, which WHATWG drops silently) and any `%` (WHATWG decodes it in the host, other
  // parsers do not) mean two readers could see two hosts.
  if (authority.includes("@")) return fail("url must not contain credentials");
  if (authority.includes("%")) return fail("url host must not be percent-encoded");
  if (url.port === "0") return fail("url port must not be 0");

  const host = trimTrailingDot(url.hostname);
  if (host === "" || host === "[]") return fail("url has no host");
  if (host !== url.hostname) url.hostname = host;
  const literal = host.startsWith("[") ? host.slice(1, -1) : /^\d+\.\d+\.\d+\.\d+$/.test(host) ? host : null;
  if (literal !== null && !host.startsWith("[")) {
    // WHATWG rewrites 2130706433, 0x7f.1, 127.1, 0177.0.0.1, full-width digits, ... to a dotted quad; other parsers
    // read those differently, so only the canonical spelling is accepted.
    const rawHost = trimTrailingDot(authority.replace(/:[0-9]*$/, "").toLowerCase());
    if (rawHost !== host) return fail(`url host "${rawHost}" is not a canonical IP address`);
  }
  if (url.href.length > MAX_URL_LENGTH) return fail("url is too long");
  return { ok: true, url: url.href, host, literal };
}

/** RFC 6761: these names are loopback by definition, whatever a resolver would say. */
const isLocalhostName = (host: string) => host === "localhost" || host.endsWith(".localhost");

/** The verdict on everything but DNS: the form, an IP literal's address, a localhost name. Null host = resolve it. */
function judgeWithoutDns(raw: unknown, policy: AddressPolicy): UrlCheck | (Canonical & { literal: null }) {
  const canonical = canonicalise(raw);
  if (!canonical.ok) return canonical;
  const { url, host, literal } = canonical;
  if (literal !== null) {
    const refused = classifyAddress(literal, policy);
    return refused === null ? { ok: true, url, host, addresses: [literal] } : fail(`url targets a blocked address: ${refused}`);
  }
  if (isLocalhostName(host)) {
    return policy.allowLoopback ? { ok: true, url, host, addresses: [] } : fail("url targets a blocked address: loopback address (localhost name)");
  }
  return { ...canonical, literal: null };
}

/**
 * A URL already stored, judged again by today's rules without DNS (a restart must not depend on resolvers): its
 * form, and the address of an IP literal or a localhost name. The stored-URL migration uses it.
 */
export function checkStoredAgentUrl(raw: unknown, policy: AddressPolicy): UrlCheck {
  const verdict = judgeWithoutDns(raw, policy);
  return "reason" in verdict || "addresses" in verdict ? verdict : { ok: true, url: verdict.url, host: verdict.host, addresses: [] };
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
    return { ok: false, message: `hostname "${host}" cannot be resolved (DNS error): ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    // A pending timer would keep the process alive after a fast answer.
    clearTimeout(timer);
  }
}

export async function validateAgentUrl(raw: unknown, policy: UrlPolicy, resolve: ResolveHost): Promise<UrlCheck> {
  const verdict = judgeWithoutDns(raw, policy);
  if ("reason" in verdict || "addresses" in verdict) return verdict;
  const { url, host } = verdict;
  const resolution = await resolveWithTimeout(host, resolve, policy.dnsTimeoutMs);
  if (!resolution.ok) return fail(resolution.message);
  if (resolution.addresses.length === 0) return fail(`hostname "${host}" cannot be resolved (no addresses)`);
  // Every address must pass: the client may connect to any of them.
  for (const address of resolution.addresses) {
    const refused = classifyAddress(address, policy);
    if (refused !== null) return fail(`hostname "${host}" resolves to forbidden address: url targets a blocked address: ${refused}`);
  }
  return { ok: true, url, host, addresses: resolution.addresses };
}
