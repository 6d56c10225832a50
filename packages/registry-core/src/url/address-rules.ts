import ipaddr from "ipaddr.js";

/**
 * Which IP addresses an agent URL may point at. Ranges come from ipaddr.js, which follows IANA's IPv4 and IPv6
 * special-purpose registries; this file only says what each named range means here. An address is refused unless it
 * is globally reachable, except where a documented flag allows private or loopback targets. Cloud metadata
 * addresses are refused in every mode. Pure: no DNS, no clock.
 */
export type AddressPolicy = {
  /** ROLLCALL_ALLOW_PRIVATE_URLS: 10/8, 172.16/12, 192.168/16 and fd00::/8 are allowed. */
  allowPrivate: boolean;
  /** Dev mode: 127/8 and ::1 are allowed. */
  allowLoopback: boolean;
};

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Flag = keyof AddressPolicy;

/** What a named range means: allowed, refused (unless a flag allows it), or judged by the IPv4 address it embeds. */
type Rule =
  { allowed: true } | { refused: string; unless?: Flag } | { embeds: (address: ipaddr.IPv6) => { form: string; ipv4: ipaddr.IPv4[] } | { refused: string } };

const ALLOWED: Rule = { allowed: true };

/** Cloud metadata and instance-service addresses, refused even in dev mode or with private URLs allowed. */
const METADATA: readonly [cidr: string, label: string][] = [
  ["169.254.169.254/32", "cloud metadata endpoint of AWS, GCP, Azure, OpenStack and DigitalOcean"],
  ["169.254.170.2/32", "AWS ECS task metadata endpoint"],
  ["169.254.170.23/32", "AWS EKS pod identity endpoint"],
  ["169.254.0.23/32", "Tencent Cloud metadata endpoint"],
  ["100.100.100.200/32", "Alibaba Cloud metadata endpoint"],
  ["168.63.129.16/32", "Azure WireServer"],
  ["192.0.0.192/32", "Oracle Cloud metadata endpoint"],
  // fd00:ec2::254 is EC2's IPv6 metadata endpoint; the /32 also holds its DNS, time and pod-identity services.
  ["fd00:ec2::/32", "AWS instance services, fd00:ec2::/32"],
];

/** Entries IANA marks globally reachable inside ranges that are not (PCP and TURN anycast, RFC 7723, 8155). */
const GLOBALLY_REACHABLE = ["192.0.0.9/32", "192.0.0.10/32", "2001:1::1/128", "2001:1::2/128", "2001:1::3/128"];

const parseCidrs = (cidrs: readonly string[]) => cidrs.map((cidr) => ipaddr.parseCIDR(cidr));
const METADATA_RANGES = METADATA.map(([cidr, label]) => ({ range: ipaddr.parseCIDR(cidr), label }));
const GLOBAL_EXCEPTIONS = parseCidrs(GLOBALLY_REACHABLE);
const [GLOBAL_UNICAST, IPV4_COMPATIBLE, WELL_KNOWN_NAT64, ULA_ASSIGNED] = parseCidrs(["2000::/3", "::/96", "64:ff9b::/96", "fd00::/8"]) as [
  [Address, number],
  [Address, number],
  [Address, number],
  [Address, number],
];

const within = (address: Address, ranges: readonly [Address, number][]) => ranges.some((range) => address.kind() === range[0].kind() && address.match(range));
const lowIpv4 = (address: ipaddr.IPv6) => ipv4FromParts(address.parts[6]!, address.parts[7]!);
const ipv4FromParts = (high: number, low: number) => new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);

const IPV4_RULES: Record<string, Rule> = {
  unicast: ALLOWED,
  as112: ALLOWED,
  amt: ALLOWED,
  unspecified: { refused: "unspecified address" },
  broadcast: { refused: "broadcast address" },
  multicast: { refused: "multicast address" },
  linkLocal: { refused: "link-local address" },
  loopback: { refused: "loopback address", unless: "allowLoopback" },
  carrierGradeNat: { refused: "carrier-grade NAT address, RFC 6598" },
  private: { refused: "private address, RFC 1918", unless: "allowPrivate" },
  reserved: { refused: "reserved, documentation or benchmarking address" },
};

const IPV6_RULES: Record<string, Rule> = {
  amt: ALLOWED,
  as112v6: ALLOWED,
  orchid2: ALLOWED,
  droneRemoteIdProtocolEntityTags: ALLOWED,
  unspecified: { refused: "unspecified address" },
  loopback: { refused: "loopback address", unless: "allowLoopback" },
  linkLocal: { refused: "link-local address" },
  multicast: { refused: "multicast address" },
  deprecatedSiteLocal: { refused: "site-local address, deprecated by RFC 3879" },
  discard: { refused: "discard-only address, RFC 6666" },
  benchmarking: { refused: "benchmarking address" },
  deprecatedOrchid: { refused: "deprecated ORCHID address" },
  segmentRouting: { refused: "SRv6 SID address, RFC 9602" },
  reserved: { refused: "reserved or documentation address" },
  uniqueLocal: { refused: "unique-local address, RFC 4193", unless: "allowPrivate" },
  ipv4Mapped: { embeds: (address) => ({ form: "IPv4-mapped", ipv4: [lowIpv4(address)] }) },
  rfc6145: { embeds: (address) => ({ form: "IPv4-translated", ipv4: [lowIpv4(address)] }) },
  rfc6052: {
    embeds: (address) => (address.match(WELL_KNOWN_NAT64) ? { form: "NAT64", ipv4: [lowIpv4(address)] } : { refused: "local-use NAT64 address, RFC 8215" }),
  },
  "6to4": { embeds: (address) => ({ form: "6to4", ipv4: [ipv4FromParts(address.parts[1]!, address.parts[2]!)] }) },
  // Teredo (RFC 4380): the server's IPv4 in bits 32-63, the client's, inverted, in the last 32 bits.
  teredo: {
    embeds: (address) => ({
      form: "Teredo",
      ipv4: [ipv4FromParts(address.parts[2]!, address.parts[3]!), ipv4FromParts(~address.parts[6]! & 0xffff, ~address.parts[7]! & 0xffff)],
    }),
  },
  unicast: {
    embeds: (address) => {
      if (address.match(GLOBAL_UNICAST)) return { form: "", ipv4: [] };
      // ::a.b.c.d (deprecated IPv4-compatible): stacks that still honour it connect to the IPv4 address.
      if (address.match(IPV4_COMPATIBLE)) return { form: "IPv4-compatible", ipv4: [lowIpv4(address)] };
      return { refused: "unallocated address, outside 2000::/3" };
    },
  },
};

/** Parses an address as a resolver or the URL parser writes it; null for anything else. */
function parseAddress(text: string): Address | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text);
  return null;
}

/**
 * Null when the address may be a target under the policy, else why not. Text that is not an IP address (junk from a
 * resolver) is refused, so the check fails closed, as is a range this table does not know (a newer ipaddr.js).
 */
export function classifyAddress(text: string, policy: AddressPolicy): string | null {
  const address = parseAddress(text);
  if (address === null) return "not an IP address";
  return judge(address, policy);
}

function judge(address: Address, policy: AddressPolicy): string | null {
  const metadata = METADATA_RANGES.find(({ range }) => within(address, [range]));
  if (metadata) return `${metadata.label} (${address.toString()})`;
  if (within(address, GLOBAL_EXCEPTIONS)) return null;
  const name = address.range();
  const rule = (address.kind() === "ipv4" ? IPV4_RULES : IPV6_RULES)[name];
  if (rule === undefined) return `unclassified address range "${name}"`;
  if ("allowed" in rule) return null;
  if ("refused" in rule) {
    const flagAllows = rule.unless !== undefined && policy[rule.unless];
    // fc00::/8, the other half of fc00::/7, has no assignment rule (RFC 4193 uses fd00::/8 only).
    const privateUla = name !== "uniqueLocal" || address.match(ULA_ASSIGNED);
    return flagAllows && privateUla ? null : `${rule.refused} (${address.toString()})`;
  }
  const embedded = rule.embeds(address as ipaddr.IPv6);
  if ("refused" in embedded) return `${embedded.refused} (${address.toString()})`;
  for (const ipv4 of embedded.ipv4) {
    const verdict = judge(ipv4, policy);
    if (verdict !== null) return `${embedded.form} address embedding ${ipv4.toString()}: ${verdict}`;
  }
  return null;
}
