import fc from "fast-check";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { classifyAddress } from "./address-rules.ts";
import { checkStoredAgentUrl, validateAgentUrl, type ResolveHost, type UrlCheck, type UrlPolicy } from "./validate-agent-url.ts";

const STRICT: UrlPolicy = { allowPrivate: false, allowLoopback: false, dnsTimeoutMs: 50 };
const PRIVATE: UrlPolicy = { ...STRICT, allowPrivate: true };
const LOOPBACK: UrlPolicy = { ...STRICT, allowLoopback: true };
const EVERY_FLAG: UrlPolicy = { ...STRICT, allowPrivate: true, allowLoopback: true };
const POLICIES = { strict: STRICT, private: PRIVATE, "dev mode": LOOPBACK, "every flag": EVERY_FLAG };

/** No real DNS: names come from a table, unknown names fail like getaddrinfo does. */
function fakeResolver(entries: Record<string, string[]>): ResolveHost {
  const table = new Map(Object.entries(entries));
  return async (hostname) => {
    const addresses = table.get(hostname);
    if (addresses === undefined) throw new Error(`ENOTFOUND ${hostname}`);
    return addresses;
  };
}

const dns = fakeResolver({
  "agent.example.com": ["93.184.216.34"],
  "cafe.com": ["93.184.216.35"],
  "xn--mnchen-3ya.de": ["93.184.216.36"],
  "dual.example.com": ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"],
  "mixed.example.com": ["93.184.216.34", "10.0.0.5"],
  "mapped.example.com": ["93.184.216.34", "::ffff:127.0.0.1"],
  "teredo.example.com": ["2001:0:4136:e378:8000:63bf:80ff:fffe"],
  "nat64.example.com": ["64:ff9b::a9fe:a9fe"],
  "aws6.example.com": ["fd00:ec2::254"],
  "internal.example.com": ["10.0.0.5"],
  "empty.example.com": [],
  "junk.example.com": ["not-an-ip"],
});

const check = (raw: unknown, policy: UrlPolicy = STRICT, resolve: ResolveHost = dns): Promise<UrlCheck> => validateAgentUrl(raw, policy, resolve);

async function rejection(raw: unknown, policy: UrlPolicy = STRICT, resolve: ResolveHost = dns): Promise<string> {
  const result = await check(raw, policy, resolve);
  assert.equal(result.ok, false, `expected ${JSON.stringify(raw)} to be rejected, got ${JSON.stringify(result)}`);
  assert.ok(!result.ok);
  assert.equal(result.reason, "url_validate_failed");
  return result.message;
}

// --- The table -------------------------------------------------------------------------------------------------

/** IPv4 addresses that are never a target (strict mode), and words their refusal names. */
const BLOCKED_IPV4: [ipv4: string, label: string][] = [
  ["127.0.0.1", "loopback address"],
  ["127.255.255.254", "loopback address"],
  ["10.1.2.3", "private address, RFC 1918"],
  ["172.16.0.1", "private address, RFC 1918"],
  ["172.31.255.255", "private address, RFC 1918"],
  ["192.168.0.1", "private address, RFC 1918"],
  ["169.254.169.254", "cloud metadata endpoint"],
  ["169.254.170.2", "AWS ECS task metadata endpoint"],
  ["169.254.1.1", "link-local address"],
  ["100.64.0.1", "carrier-grade NAT address"],
  ["100.127.255.254", "carrier-grade NAT address"],
  ["100.100.100.200", "Alibaba Cloud metadata endpoint"],
  ["168.63.129.16", "Azure WireServer"],
  ["192.0.0.192", "Oracle Cloud metadata endpoint"],
  ["0.0.0.0", "unspecified address"],
  ["0.1.2.3", "unspecified address"],
  ["192.0.0.8", "reserved, documentation or benchmarking address"],
  ["192.0.2.1", "reserved, documentation or benchmarking address"],
  ["198.51.100.7", "reserved, documentation or benchmarking address"],
  ["203.0.113.9", "reserved, documentation or benchmarking address"],
  ["198.18.0.1", "reserved, documentation or benchmarking address"],
  ["198.19.255.255", "reserved, documentation or benchmarking address"],
  ["192.88.99.1", "reserved, documentation or benchmarking address"],
  ["240.0.0.1", "reserved, documentation or benchmarking address"],
  ["255.255.255.255", "broadcast address"],
  ["224.0.0.1", "multicast address"],
  ["239.255.255.250", "multicast address"],
];

const hexGroups = (ipv4: string): [string, string] => {
  const [a, b, c, d] = ipv4.split(".").map(Number) as [number, number, number, number];
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
};
const inverted = (group: string) => (~parseInt(group, 16) & 0xffff).toString(16);

/** Every IPv6 spelling that embeds an IPv4 address; each must be judged by the IPv4 address it carries. */
const EMBEDDINGS: [form: string, spell: (ipv4: string) => string][] = [
  ["IPv4-mapped", (ipv4) => `::ffff:${ipv4}`],
  ["IPv4-mapped", (ipv4) => `::ffff:${hexGroups(ipv4).join(":")}`],
  ["IPv4-mapped", (ipv4) => `0:0:0:0:0:FFFF:${ipv4}`],
  ["IPv4-translated", (ipv4) => `::ffff:0:${ipv4}`],
  ["IPv4-compatible", (ipv4) => `::${hexGroups(ipv4).join(":")}`],
  ["NAT64", (ipv4) => `64:ff9b::${ipv4}`],
  ["6to4", (ipv4) => `2002:${hexGroups(ipv4).join(":")}::1`],
  // Teredo client part (inverted), behind a public server (65.54.227.120).
  ["Teredo", (ipv4) => `2001:0:4136:e378:8000:63bf:${hexGroups(ipv4).map(inverted).join(":")}`],
  // Teredo server part, with a public client (93.184.216.34, inverted).
  ["Teredo", (ipv4) => `2001:0:${hexGroups(ipv4).join(":")}:8000:63bf:a247:27dd`],
];

/** Forms that other parsers read differently, or that must never be stored: refused whatever they point at. */
const AMBIGUOUS: [url: string, message: string][] = [
  ["http://93.184.216.34\\@127.0.0.1/", "a backslash"],
  ["http://agent.example.com\\.evil.com/", "a backslash"],
  ["http:\\\\agent.example.com/", "a backslash"],
  ["http://agent.example.com/\\path", "a backslash"],
  ["http://agent.example.com/a\r\nX-Injected: 1", "U+000D"],
  ["http://agent.example.com/\n", "U+000A"],
  ["http://agent.ex\tample.com/", "U+0009"],
  ["http://agent.example.com/ a", "U+0020"],
  [" http://agent.example.com/", "U+0020"],
  ["http://agent.example.com/\u0000", "U+0000"],
  ["http://agent.example.com/\u007f", "U+007F"],
  ["http://agent.example.com/\u0085", "U+0085"],
  ["http://agent.example.com\u00a0/", "U+00A0"],
  ["http://agent\u200b.example.com/", "U+200B"],
  ["http://agent.example.com\u202e/", "U+202E"],
  ["\ufeffhttp://agent.example.com/", "U+FEFF"],
  ["http://agent.example.com\u3000/", "U+3000"],
  ["http://agent.example.com/\u2028", "U+2028"],
  ["http://user:pw@agent.example.com/", "must not contain credentials"],
  ["http://user@agent.example.com/", "must not contain credentials"],
  ["http://@93.184.216.34/", "must not contain credentials"],
  ["http://93.184.216.34@127.0.0.1/", "must not contain credentials"],
  ["http://127.0.0.1:80@agent.example.com/", "must not contain credentials"],
  ["http://%61gent.example.com/", "must not be percent-encoded"],
  ["http://127.0.0.1%2f@agent.example.com/", "must not contain credentials"],
  ["http://%31%32%37.0.0.1/", "must not be percent-encoded"],
  ["http:agent.example.com", "must start with http:// or https://"],
  ["http:/agent.example.com", "must start with http:// or https://"],
  ["http:///agent.example.com", "must start with http:// or https://"],
  ["//agent.example.com/", "must start with http:// or https://"],
  ["agent.example.com", "must start with http:// or https://"],
  ["http://agent.example.com:0/", "port must not be 0"],
  ["http://agent.example.com:00/", "port must not be 0"],
  ["http://93.184.216.34:0/", "port must not be 0"],
  ["http://agent.example.com:65536/", "url is not valid"],
  ["http://agent.example.com:-1/", "url is not valid"],
  ["http://[::1/", "url is not valid"],
  ["http://a b.com/", "U+0020"],
  ["http://./", "url has no host"],
  ["http://2130706433/", "is not a canonical IP address"],
  ["http://0x7f.1/", "is not a canonical IP address"],
  ["http://127.1/", "is not a canonical IP address"],
  ["http://0177.0.0.1/", "is not a canonical IP address"],
  ["http://0X7F.0.0.1/", "is not a canonical IP address"],
  ["http://1.2.3/", "is not a canonical IP address"],
  ["http://0xcafe/", "is not a canonical IP address"],
  ["http://127.0.0.1.1/", "url is not valid"],
  ["http://１２７.０.０.１/", "is not a canonical IP address"],
  ["http://127。0。0。1/", "is not a canonical IP address"],
  ["http://0x5d.0xb8.0xd8.0x22/", "is not a canonical IP address"],
  ["file:///etc/passwd", 'scheme must be http or https, got "file"'],
  ["ftp://agent.example.com/", 'got "ftp"'],
  ["gopher://agent.example.com/", 'got "gopher"'],
  ["javascript:alert(1)", 'got "javascript"'],
  ["ws://agent.example.com/", 'got "ws"'],
  ["://not-a-url", "must start with http:// or https://"],
];

/** Targets that pass, and the canonical href that is stored for each. */
const ACCEPTED: [url: string, canonical: string, policy?: UrlPolicy][] = [
  ["https://agent.example.com", "https://agent.example.com/"],
  ["HTTPS://AGENT.Example.COM.:8443/x?y=1#z", "https://agent.example.com:8443/x?y=1#z"],
  ["http://agent.example.com:80/a2a", "http://agent.example.com/a2a"],
  ["http://agent.example.com:080/", "http://agent.example.com/"],
  ["http://agent.example.com/a/../b/./c", "http://agent.example.com/b/c"],
  ["http://agent.example.com/caf\u00e9?q=\u00fc", "http://agent.example.com/caf%C3%A9?q=%C3%BC"],
  ["http://m\u00fcnchen.de/", "http://xn--mnchen-3ya.de/"],
  ["http://cafe.com/", "http://cafe.com/"],
  ["http://93.184.216.34:8000", "http://93.184.216.34:8000/"],
  ["http://8.8.8.8./", "http://8.8.8.8/"],
  ["http://[2606:4700:4700::1111]:8080/", "http://[2606:4700:4700::1111]:8080/"],
  ["http://[2606:4700:4700:0:0:0:0:1111]/", "http://[2606:4700:4700::1111]/"],
  ["http://[::ffff:93.184.216.34]/", "http://[::ffff:5db8:d822]/"],
  ["http://[64:ff9b::93.184.216.34]/", "http://[64:ff9b::5db8:d822]/"],
  ["http://[2002:5db8:d822::1]/", "http://[2002:5db8:d822::1]/"],
  ["http://[2001:0:4136:e378:8000:63bf:a247:27dd]/", "http://[2001:0:4136:e378:8000:63bf:a247:27dd]/"],
  // IANA marks these globally reachable inside ranges that are not (PCP and TURN anycast), and AS112, AMT, ORCHIDv2.
  ["http://192.0.0.9/", "http://192.0.0.9/"],
  ["http://[2001:1::1]/", "http://[2001:1::1]/"],
  ["http://192.31.196.1/", "http://192.31.196.1/"],
  ["http://192.52.193.1/", "http://192.52.193.1/"],
  ["http://[2001:3::1]/", "http://[2001:3::1]/"],
  ["http://[2001:20::1]/", "http://[2001:20::1]/"],
  ["http://[2620:4f:8000::1]/", "http://[2620:4f:8000::1]/"],
  ["http://172.32.0.1/", "http://172.32.0.1/"],
  ["http://100.128.0.1/", "http://100.128.0.1/"],
  ["http://198.20.0.0/", "http://198.20.0.0/"],
  ["http://10.0.0.1/", "http://10.0.0.1/", PRIVATE],
  ["http://[fd12:3456:789a::42]/", "http://[fd12:3456:789a::42]/", PRIVATE],
  ["http://[::ffff:10.0.0.1]/", "http://[::ffff:a00:1]/", PRIVATE],
  ["http://localhost:8000", "http://localhost:8000/", LOOPBACK],
  ["http://LOCALHOST.:8000/", "http://localhost:8000/", LOOPBACK],
  ["http://agent.localhost/", "http://agent.localhost/", LOOPBACK],
  ["http://127.0.0.1:9000", "http://127.0.0.1:9000/", LOOPBACK],
  ["http://[::1]:9000", "http://[::1]:9000/", LOOPBACK],
  ["http://[64:ff9b::127.0.0.1]/", "http://[64:ff9b::7f00:1]/", LOOPBACK],
];

/** IPv6 ranges outside the embedded forms, refused in strict mode. */
const BLOCKED_IPV6: [ipv6: string, label: string][] = [
  ["::1", "loopback address"],
  ["0:0:0:0:0:0:0:1", "loopback address"],
  ["::", "unspecified address"],
  ["fe80::1", "link-local address"],
  ["febf::1", "link-local address"],
  ["fec0::1", "site-local address"],
  ["fd00::1", "unique-local address"],
  ["fc00::1", "unique-local address"],
  ["fd00:ec2::254", "AWS instance services"],
  ["ff02::1", "multicast address"],
  ["100::1", "discard-only address"],
  ["100:0:0:1::1", "unallocated address"],
  ["2001:db8::1", "reserved or documentation address"],
  ["3fff::1", "reserved or documentation address"],
  ["2001:2::1", "benchmarking address"],
  ["2001:10::1", "deprecated ORCHID address"],
  ["2001:1::4", "reserved or documentation address"],
  ["5f00::1", "SRv6 SID address"],
  ["64:ff9b:1::1", "local-use NAT64 address"],
  ["4000::1", "unallocated address"],
  ["1::", "unallocated address"],
];

type Row = { url: string; policy: UrlPolicy; expect: { canonical: string } | { refused: string } };

const literalUrl = (address: string) => (address.includes(":") ? `http://[${address}]/` : `http://${address}/`);

const TABLE: Row[] = [
  ...BLOCKED_IPV4.flatMap(([ipv4, label]): Row[] => [
    { url: literalUrl(ipv4), policy: STRICT, expect: { refused: label } },
    ...EMBEDDINGS
      // ::0.0.0.0 is :: itself, the unspecified address in its own right.
      .filter(([form]) => !(form === "IPv4-compatible" && ipv4 === "0.0.0.0"))
      .map(([form, spell]): Row => ({ url: literalUrl(spell(ipv4)), policy: STRICT, expect: { refused: `${form} address embedding ${ipv4}: ${label}` } })),
  ]),
  ...BLOCKED_IPV6.map(([ipv6, label]): Row => ({ url: literalUrl(ipv6), policy: STRICT, expect: { refused: label } })),
  ...AMBIGUOUS.map(([url, message]): Row => ({ url, policy: EVERY_FLAG, expect: { refused: message } })),
  ...ACCEPTED.map(([url, canonical, policy]): Row => ({ url, policy: policy ?? STRICT, expect: { canonical } })),
];

describe(`the URL rules table (${TABLE.length} forms)`, () => {
  it("has at least 150 forms", () => assert.ok(TABLE.length >= 150, `${TABLE.length}`));

  for (const { url, policy, expect } of TABLE) {
    const mode = Object.entries(POLICIES).find(([, p]) => p === policy)![0];
    if ("canonical" in expect) {
      it(`accepts ${JSON.stringify(url)} (${mode}) as ${expect.canonical}`, async () => {
        const result = await check(url, policy);
        assert.ok(result.ok, JSON.stringify(result));
        assert.equal(result.url, expect.canonical);
        // The canonical form is a fixed point: judged again, it is accepted unchanged.
        const again = await check(result.url, policy);
        assert.ok(again.ok && again.url === result.url, JSON.stringify(again));
      });
    } else {
      it(`refuses ${JSON.stringify(url)} (${mode}): ${expect.refused}`, async () => {
        const message = await rejection(url, policy);
        assert.ok(message.includes(expect.refused), message);
      });
    }
  }
});

describe("cloud metadata addresses are refused in every mode", () => {
  const spellings = [
    "http://169.254.169.254/latest/meta-data/",
    "http://[::ffff:169.254.169.254]/",
    "http://[::ffff:a9fe:a9fe]/",
    "http://[64:ff9b::a9fe:a9fe]/",
    "http://[2002:a9fe:a9fe::]/",
    "http://[2001:0:4136:e378:8000:63bf:5601:5601]/",
    "http://100.100.100.200/",
    "http://[::ffff:100.100.100.200]/",
    "http://[fd00:ec2::254]/",
    "http://[fd00:ec2:0:0:0:0:0:254]/",
    "http://[fd00:ec2::23]/",
    "http://168.63.129.16/",
    "http://aws6.example.com/",
    "http://nat64.example.com/",
  ];
  for (const [mode, policy] of Object.entries(POLICIES)) {
    for (const url of spellings) {
      it(`${url} (${mode})`, async () => {
        assert.match(await rejection(url, policy), /metadata|WireServer|AWS instance services/);
      });
    }
  }
});

describe("flags open only their own ranges", () => {
  it("private mode allows RFC 1918 and fd00::/8, and nothing else", async () => {
    for (const url of ["http://10.0.0.1/", "http://172.18.0.5:8000/", "http://192.168.1.1/", "http://[fd12::1]/", "http://internal.example.com/"]) {
      assert.ok((await check(url, PRIVATE)).ok, url);
    }
    for (const url of [
      "http://127.0.0.1/",
      "http://[::1]/",
      "http://localhost/",
      "http://192.0.2.1/",
      "http://100.64.0.1/",
      "http://[fc00::1]/",
      "http://169.254.1.1/",
      "http://[fe80::1]/",
    ]) {
      await rejection(url, PRIVATE);
    }
  });

  it("dev mode allows loopback, and no private range", async () => {
    for (const url of ["http://10.0.0.1/", "http://[fd12::1]/", "http://internal.example.com/", "http://169.254.1.1/"]) {
      await rejection(url, LOOPBACK);
    }
  });
});

describe("validateAgentUrl resolves names", () => {
  it("returns the resolved addresses of a public name, v4 and v6", async () => {
    assert.deepEqual(await check("https://dual.example.com/card"), {
      ok: true,
      url: "https://dual.example.com/card",
      host: "dual.example.com",
      addresses: ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"],
    });
  });

  it("does not resolve IP literals, and keeps brackets in host but not in addresses", async () => {
    const noDns: ResolveHost = () => Promise.reject(new Error("must not resolve literals"));
    assert.deepEqual(await check("http://[2606:4700:4700::1111]:8080/", STRICT, noDns), {
      ok: true,
      url: "http://[2606:4700:4700::1111]:8080/",
      host: "[2606:4700:4700::1111]",
      addresses: ["2606:4700:4700::1111"],
    });
  });

  it("refuses an unresolvable Docker container id (the incident case)", async () => {
    assert.equal(await rejection("http://212851b5693d:8000"), 'hostname "212851b5693d" cannot be resolved (DNS error): ENOTFOUND 212851b5693d');
  });

  it("refuses a name when any one of its addresses is refused, embedded forms included", async () => {
    assert.match(await rejection("https://mixed.example.com"), /resolves to forbidden address: url targets a blocked address: private address/);
    assert.match(await rejection("https://mapped.example.com"), /IPv4-mapped address embedding 127\.0\.0\.1: loopback address/);
    assert.match(await rejection("https://teredo.example.com"), /Teredo address embedding 127\.0\.0\.1: loopback address/);
  });

  it("refuses a name with no addresses, and fails closed on an answer that is not an IP", async () => {
    assert.equal(await rejection("https://empty.example.com"), 'hostname "empty.example.com" cannot be resolved (no addresses)');
    assert.match(await rejection("https://junk.example.com"), /not an IP address/);
  });

  it("reports a resolver that throws synchronously as a DNS error", async () => {
    const throwing: ResolveHost = () => {
      throw new Error("boom");
    };
    assert.equal(await rejection("https://agent.example.com", STRICT, throwing), 'hostname "agent.example.com" cannot be resolved (DNS error): boom');
  });

  it("times out a resolver that never answers within dnsTimeoutMs", async () => {
    const silent: ResolveHost = () => new Promise<string[]>(() => {});
    assert.equal(await rejection("https://agent.example.com", STRICT, silent), 'hostname "agent.example.com" cannot be resolved (DNS timeout after 50 ms)');
  });

  it("never resolves localhost names", async () => {
    const noDns: ResolveHost = () => Promise.reject(new Error("must not resolve localhost"));
    assert.deepEqual(await check("http://localhost:8000", LOOPBACK, noDns), { ok: true, url: "http://localhost:8000/", host: "localhost", addresses: [] });
    assert.match(await rejection("http://localhost:8000", STRICT, noDns), /loopback address/);
  });
});

describe("validateAgentUrl refuses what is not a URL string", () => {
  for (const raw of ["", undefined, null, 42, { href: "https://agent.example.com" }]) {
    it(JSON.stringify(raw) ?? "undefined", async () => assert.equal(await rejection(raw), "url is required"));
  }

  it("a url over 2048 characters", async () => {
    assert.equal(await rejection(`https://agent.example.com/${"a".repeat(2048)}`), "url is too long");
  });
});

describe("checkStoredAgentUrl: a stored URL judged again without DNS", () => {
  it("returns the canonical href of a URL that still passes, without resolving names", () => {
    assert.deepEqual(checkStoredAgentUrl("HTTP://Agent.Example.com.:80/a", STRICT), {
      ok: true,
      url: "http://agent.example.com/a",
      host: "agent.example.com",
      addresses: [],
    });
  });

  it("refuses the forms and literal addresses today's rules refuse", () => {
    for (const stored of [
      "http://93.184.216.34\\@127.0.0.1/",
      "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",
      "http://agent.example.com:0/",
      "http://agent.example.com/\r\n",
    ]) {
      assert.equal(checkStoredAgentUrl(stored, STRICT).ok, false, stored);
    }
    assert.equal(checkStoredAgentUrl("http://[fd00:ec2::254]/", PRIVATE).ok, false);
  });
});

describe("classifyAddress", () => {
  it("refuses text that is not an IP address", () => {
    for (const text of ["", "example.com", "1.2.3", "127.1", "1::2::3", "1:2:3:4:5:6:7:8:9", "[::1]", "01.2.3.4"]) {
      assert.equal(classifyAddress(text, STRICT), "not an IP address", text);
    }
  });

  it("checks range edges", () => {
    assert.equal(classifyAddress("172.15.255.255", STRICT), null);
    assert.match(classifyAddress("172.16.0.0", STRICT)!, /private/);
    assert.equal(classifyAddress("100.63.255.255", STRICT), null);
    assert.match(classifyAddress("100.64.0.0", STRICT)!, /carrier-grade/);
    assert.equal(classifyAddress("1.1.1.1", STRICT), null);
    assert.equal(classifyAddress("2606:4700::1111", STRICT), null);
  });
});

describe("validateAgentUrl under generated input (fast-check)", () => {
  const hosts = fc.oneof(
    fc.constantFrom("agent.example.com", "AGENT.example.com.", "cafe.com", "93.184.216.34", "[2606:4700::1111]", "localhost", "internal.example.com"),
    fc.ipV4(),
    fc.ipV4Extended(),
    fc.ipV6().map((ip) => `[${ip}]`),
    fc.domain(),
  );
  const pieces = fc.oneof(
    fc.string({ unit: "binary", maxLength: 6 }),
    fc.constantFrom("\\", "@", "%", "%2f", ":", "/", "#", "?", "\r\n", "\t", " ", "\u00a0", "\u200b", "\u0000"),
  );
  const urls = fc
    .tuple(
      fc.constantFrom("http://", "https://", "HTTP://", "http:", "http:/", "http:///", "ftp://", ""),
      hosts,
      fc.constantFrom("", ":80", ":8000", ":0", ":65536", ":"),
      fc.array(pieces, { maxLength: 4 }),
      fc.nat(),
    )
    .map(([scheme, host, port, extras, at]) => {
      let url = `${scheme}${host}${port}/a2a`;
      for (const extra of extras) url = url.slice(0, at % (url.length + 1)) + extra + url.slice(at % (url.length + 1));
      return url;
    });
  const resolveAll: ResolveHost = async (host) => (host === "internal.example.com" ? ["10.0.0.5"] : ["93.184.216.34"]);

  it("never throws, and whatever it accepts is canonical, unambiguous, and judged again the same way", async () => {
    await fc.assert(
      fc.asyncProperty(urls, fc.constantFrom(STRICT, PRIVATE, LOOPBACK), async (raw, policy) => {
        const result = await validateAgentUrl(raw, policy, resolveAll);
        if (!result.ok) return;
        assert.doesNotMatch(result.url, /[\\\p{Cc}\p{Cf}\p{Z}]/u, raw);
        const authority = /^https?:\/\/([^/?#]+)/.exec(result.url)?.[1];
        assert.ok(authority !== undefined && !/[@%]/.test(authority), raw);
        const again = await validateAgentUrl(result.url, policy, resolveAll);
        assert.deepEqual(again, result, raw);
        for (const address of result.addresses) assert.equal(classifyAddress(address, policy), null, raw);
      }),
      { numRuns: 3_000 },
    );
  });

  it("classifies every generated address without throwing, and refuses every address inside a metadata or loopback range", () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (address) => {
        const verdict = classifyAddress(address, STRICT);
        assert.ok(verdict === null || typeof verdict === "string");
        if (address.startsWith("127.") || address === "::1" || address.startsWith("169.254.")) assert.notEqual(verdict, null, address);
      }),
      { numRuns: 20_000 },
    );
  });
});
