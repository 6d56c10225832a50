import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  classifyIp,
  parseCanonicalIpv4,
  validateAgentUrl,
  type ResolveHost,
  type UrlCheck,
  type UrlPolicy,
} from "./validate-agent-url.ts";

const STRICT: UrlPolicy = { allowPrivate: false, allowLoopback: false, dnsTimeoutMs: 50 };
const PRIVATE: UrlPolicy = { ...STRICT, allowPrivate: true };
const LOOPBACK: UrlPolicy = { ...STRICT, allowLoopback: true };

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
  "dual.example.com": ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"],
  "mixed.example.com": ["93.184.216.34", "10.0.0.5"],
  "mapped.example.com": ["93.184.216.34", "::ffff:127.0.0.1"],
  "internal.example.com": ["10.0.0.5"],
  "empty.example.com": [],
  "junk.example.com": ["not-an-ip"],
});

async function check(raw: unknown, policy: UrlPolicy = STRICT, resolve: ResolveHost = dns): Promise<UrlCheck> {
  return validateAgentUrl(raw, policy, resolve);
}

async function rejection(raw: unknown, policy: UrlPolicy = STRICT, resolve: ResolveHost = dns): Promise<string> {
  const result = await check(raw, policy, resolve);
  assert.equal(result.ok, false, `expected ${String(raw)} to be rejected`);
  assert.ok(!result.ok);
  assert.equal(result.reason, "url_validate_failed");
  return result.message;
}

const blocked = (label: string) => `url targets a blocked address: ${label}`;

describe("validateAgentUrl accepts public targets", () => {
  it("a public https name, returning the normalised href, host and resolved addresses", async () => {
    assert.deepEqual(await check("https://agent.example.com"), {
      ok: true,
      url: "https://agent.example.com/",
      host: "agent.example.com",
      addresses: ["93.184.216.34"],
    });
  });

  it("a public IPv4 literal over http with port and path, without DNS", async () => {
    const noDns: ResolveHost = () => Promise.reject(new Error("must not resolve literals"));
    assert.deepEqual(await check("http://8.8.8.8:8000/a2a", STRICT, noDns), {
      ok: true,
      url: "http://8.8.8.8:8000/a2a",
      host: "8.8.8.8",
      addresses: ["8.8.8.8"],
    });
  });

  it("a public IPv6 literal, keeping brackets in host but not in addresses", async () => {
    assert.deepEqual(await check("http://[2606:4700:4700::1111]:8080/"), {
      ok: true,
      url: "http://[2606:4700:4700::1111]:8080/",
      host: "[2606:4700:4700::1111]",
      addresses: ["2606:4700:4700::1111"],
    });
  });

  it("a name whose every address (v4 and v6) is public", async () => {
    const result = await check("https://dual.example.com/card");
    assert.ok(result.ok);
    assert.deepEqual(result.addresses, ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"]);
  });

  it("upper-case names and one trailing dot are normalised before resolving", async () => {
    const result = await check("https://AGENT.Example.COM.:8443/x?y=1#z");
    assert.ok(result.ok);
    assert.equal(result.host, "agent.example.com");
    assert.equal(result.url, "https://agent.example.com:8443/x?y=1#z");
  });

  it('treats hex-letter names like "cafe.com" as names, not numeric hosts', async () => {
    const result = await check("http://cafe.com/");
    assert.ok(result.ok);
    assert.deepEqual(result.addresses, ["93.184.216.35"]);
  });
});

describe("validateAgentUrl rejects malformed input", () => {
  it("an empty string", async () => {
    assert.equal(await rejection(""), "url is required");
  });

  for (const raw of [undefined, null, 42, { href: "https://agent.example.com" }]) {
    it(`a non-string (${JSON.stringify(raw) ?? "undefined"})`, async () => {
      assert.equal(await rejection(raw), "url is required");
    });
  }

  it("an unparseable url", async () => {
    assert.equal(await rejection("://not-a-url"), "url is not valid: Invalid URL");
  });

  it("a url over 2048 characters", async () => {
    assert.equal(await rejection(`https://agent.example.com/${"a".repeat(2048)}`), "url is too long");
  });

  for (const [raw, scheme] of [
    ["file:///etc/passwd", "file"],
    ["ftp://x", "ftp"],
    ["gopher://agent.example.com/", "gopher"],
    ["javascript:alert(1)", "javascript"],
  ] as const) {
    it(`the ${scheme} scheme`, async () => {
      assert.equal(await rejection(raw), `url scheme must be http or https, got "${scheme}"`);
    });
  }

  for (const raw of ["http://user:pw@agent.example.com", "http://user@agent.example.com", "http://@8.8.8.8/"]) {
    it(`credentials in ${raw}`, async () => {
      assert.equal(await rejection(raw), "url must not contain credentials");
    });
  }

  it("a host that is only a dot", async () => {
    assert.equal(await rejection("http://./"), "url has no host");
  });
});

describe("validateAgentUrl rejects non-canonical numeric hosts", () => {
  const hosts = ["2130706433", "0x7f.1", "127.1", "0177.0.0.1", "1.2.3", "0xcafe", "0X7F.0.0.1", "%31%32%37.0.0.1"];
  for (const host of hosts) {
    it(`http://${host}/`, async () => {
      assert.equal(await rejection(`http://${host}/`), `url host "${host}" is not a canonical IP address`);
    });
  }

  it("also without slashes after the scheme, with a port, in private mode", async () => {
    assert.equal(
      await rejection("http:134744072:80", PRIVATE),
      'url host "134744072" is not a canonical IP address',
    );
  });

  it("accepts the canonical spelling with a trailing dot", async () => {
    const result = await check("http://8.8.8.8./");
    assert.ok(result.ok);
    assert.equal(result.host, "8.8.8.8");
  });
});

describe("validateAgentUrl blocks forbidden literals in strict mode", () => {
  const cases: [string, string][] = [
    ["http://169.254.169.254/latest/meta-data/", "link-local address (cloud metadata endpoint)"],
    ["http://127.0.0.1/", "loopback address"],
    ["http://10.0.0.1/", "RFC-1918 private address"],
    ["http://172.18.0.5:8000/", "RFC-1918 private address"],
    ["http://192.168.1.1/", "RFC-1918 private address"],
    ["http://[::1]/", "loopback address"],
    ["http://[fe80::1]/", "IPv6 link-local address (cloud metadata analogue)"],
    ["http://[fd00::1]/", "IPv6 ULA address (RFC-4193 private)"],
    ["http://192.0.2.1/", "TEST-NET documentation range (RFC-5737)"],
    ["http://198.51.100.1/", "TEST-NET documentation range (RFC-5737)"],
    ["http://203.0.113.1/", "TEST-NET documentation range (RFC-5737)"],
    ["http://[2001:db8::1]/", "IPv6 documentation address (RFC-3849)"],
    ["http://[::ffff:169.254.169.254]/", "link-local address (cloud metadata endpoint)"],
    ["http://[::ffff:a9fe:a9fe]/", "link-local address (cloud metadata endpoint)"],
    ["http://[::ffff:7f00:1]/", "loopback address"],
    ["http://[::169.254.169.254]/", "link-local address (cloud metadata endpoint)"],
    ["http://0.0.0.0/", "unspecified address (0.0.0.0/8)"],
    ["http://[::]/", "unspecified address (::)"],
    ["http://198.18.0.1/", "benchmarking range (RFC-2544)"],
    ["http://240.0.0.1/", "reserved range (240.0.0.0/4)"],
    ["http://255.255.255.255/", "broadcast address"],
    ["http://224.0.0.1/", "IPv4 multicast address"],
    ["http://100.64.0.1/", "carrier-grade NAT address (RFC-6598)"],
    ["http://192.0.0.8/", "IETF protocol assignments (RFC-6890)"],
    ["http://[64:ff9b::a9fe:a9fe]/", "NAT64 prefix (embeds IPv4)"],
    ["http://[64:ff9b:1::1]/", "NAT64 prefix (embeds IPv4)"],
    ["http://[2002:a9fe:a9fe::]/", "6to4 prefix (embeds IPv4)"],
    ["http://[fec0::1]/", "IPv6 site-local address (deprecated)"],
    ["http://[fc00::1]/", "IPv6 ULA non-routable prefix (fc00::/8)"],
    ["http://[ff02::1]/", "IPv6 multicast address"],
  ];
  for (const [raw, label] of cases) {
    it(raw, async () => {
      assert.equal(await rejection(raw), blocked(label));
    });
  }
});

describe("validateAgentUrl resolves names", () => {
  it("rejects an unresolvable Docker container id (the incident case)", async () => {
    const message = await rejection("http://212851b5693d:8000");
    assert.match(message, /cannot be resolved/);
    assert.equal(message, 'hostname "212851b5693d" cannot be resolved (DNS error): ENOTFOUND 212851b5693d');
  });

  it("rejects a name when any one of its addresses is forbidden", async () => {
    assert.equal(
      await rejection("https://mixed.example.com"),
      `hostname "mixed.example.com" resolves to forbidden address: ${blocked("RFC-1918 private address")}`,
    );
  });

  it("checks IPv4-mapped addresses returned by the resolver with the IPv4 rules", async () => {
    assert.equal(
      await rejection("https://mapped.example.com"),
      `hostname "mapped.example.com" resolves to forbidden address: ${blocked("loopback address")}`,
    );
  });

  it("allows a name resolving to a private address only in private mode", async () => {
    assert.match(await rejection("https://internal.example.com"), /resolves to forbidden address/);
    assert.ok((await check("https://internal.example.com", PRIVATE)).ok);
  });

  it("rejects a name with no addresses", async () => {
    assert.equal(
      await rejection("https://empty.example.com"),
      'hostname "empty.example.com" cannot be resolved (no addresses)',
    );
  });

  it("fails closed on a resolver answer that is not an IP", async () => {
    assert.equal(
      await rejection("https://junk.example.com"),
      `hostname "junk.example.com" resolves to forbidden address: ${blocked("not an IP address")}`,
    );
  });

  it("reports a resolver that throws synchronously as a DNS error", async () => {
    const throwing: ResolveHost = () => {
      throw new Error("boom");
    };
    assert.equal(
      await rejection("https://agent.example.com", STRICT, throwing),
      'hostname "agent.example.com" cannot be resolved (DNS error): boom',
    );
  });

  it("times out a resolver that never answers within dnsTimeoutMs", async () => {
    const silent: ResolveHost = () => new Promise<string[]>(() => {});
    const started = performance.now();
    const message = await rejection("https://agent.example.com", STRICT, silent);
    const elapsed = performance.now() - started;
    assert.equal(message, 'hostname "agent.example.com" cannot be resolved (DNS timeout after 50 ms)');
    assert.ok(elapsed >= 40 && elapsed < 1_000, `took ${elapsed} ms`);
  });
});

describe("validateAgentUrl in private mode", () => {
  const allowed = [
    "http://10.0.0.1/",
    "http://172.18.0.5:8000/",
    "http://192.168.1.1/",
    "http://[fd12:3456:789a::42]/",
  ];
  for (const raw of allowed) {
    it(`allows ${raw}`, async () => {
      const result = await check(raw, PRIVATE);
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.url, raw);
    });
  }

  const stillBlocked: [string, string][] = [
    ["http://169.254.169.254/", "link-local address (cloud metadata endpoint)"],
    ["http://127.0.0.1/", "loopback address"],
    ["http://192.0.2.1/", "TEST-NET documentation range (RFC-5737)"],
    ["http://100.64.0.1/", "carrier-grade NAT address (RFC-6598)"],
    ["http://100.127.255.254/", "carrier-grade NAT address (RFC-6598)"],
    ["http://[fc00::1]/", "IPv6 ULA non-routable prefix (fc00::/8)"],
    ["http://224.0.0.1/", "IPv4 multicast address"],
  ];
  for (const [raw, label] of stillBlocked) {
    it(`still blocks ${raw}`, async () => {
      assert.equal(await rejection(raw, PRIVATE), blocked(label));
    });
  }
});

describe("validateAgentUrl and loopback", () => {
  const loopbacks = ["http://localhost:8000", "http://127.0.0.1:9000", "http://[::1]:9000", "http://agent.localhost/"];
  for (const raw of loopbacks) {
    it(`rejects ${raw} by default and allows it with allowLoopback`, async () => {
      assert.equal(await rejection(raw), blocked("loopback address"));
      assert.ok((await check(raw, LOOPBACK)).ok);
    });
  }

  it("does not resolve localhost names", async () => {
    const noDns: ResolveHost = () => Promise.reject(new Error("must not resolve localhost"));
    assert.deepEqual(await check("http://localhost:8000", LOOPBACK, noDns), {
      ok: true,
      url: "http://localhost:8000/",
      host: "localhost",
      addresses: [],
    });
  });

  it('normalises "LOCALHOST." to localhost', async () => {
    assert.equal(await rejection("http://LOCALHOST.:8000/"), blocked("loopback address"));
    const result = await check("http://LOCALHOST.:8000/", LOOPBACK);
    assert.ok(result.ok);
    assert.equal(result.host, "localhost");
    assert.equal(result.url, "http://localhost:8000/");
  });

  it("allowLoopback does not open private ranges", async () => {
    assert.equal(await rejection("http://10.0.0.1/", LOOPBACK), blocked("RFC-1918 private address"));
  });
});

describe("classifyIp", () => {
  it("allows public addresses", () => {
    const ips = ["93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"];
    for (const ip of ips) {
      assert.equal(classifyIp(ip, STRICT), null, ip);
    }
  });

  it("checks range edges", () => {
    assert.equal(classifyIp("172.15.255.255", STRICT), null);
    assert.equal(classifyIp("172.31.255.255", STRICT), "RFC-1918 private address");
    assert.equal(classifyIp("100.63.255.255", STRICT), null);
    assert.equal(classifyIp("198.19.255.255", STRICT), "benchmarking range (RFC-2544)");
    assert.equal(classifyIp("198.20.0.0", STRICT), null);
    assert.equal(classifyIp("febf::1", STRICT), "IPv6 link-local address (cloud metadata analogue)");
  });

  it("parses every IPv6 spelling of the same address alike", () => {
    for (const ip of ["::1", "0:0:0:0:0:0:0:1", "0000::0001", "::0.0.0.1"]) {
      assert.equal(classifyIp(ip, STRICT), "loopback address", ip);
    }
    assert.equal(
      classifyIp("0:0:0:0:0:FFFF:169.254.169.254", STRICT),
      "link-local address (cloud metadata endpoint)",
    );
  });

  it("blocks text that is not an IP literal", () => {
    const junk = ["", "example.com", "1.2.3", "1::2::3", "1:2:3:4:5:6:7:8:9", "1.2.3.4::", "fe80::1%eth0", "[::1]"];
    for (const ip of junk) {
      assert.equal(classifyIp(ip, STRICT), "not an IP address", ip);
    }
  });
});

describe("parseCanonicalIpv4", () => {
  it("accepts strict dotted quads", () => {
    assert.deepEqual(parseCanonicalIpv4("0.0.0.0"), [0, 0, 0, 0]);
    assert.deepEqual(parseCanonicalIpv4("255.255.255.255"), [255, 255, 255, 255]);
    assert.deepEqual(parseCanonicalIpv4("93.184.216.34"), [93, 184, 216, 34]);
  });

  it("rejects every other form", () => {
    const hosts = ["127.1", "2130706433", "0x7f.0.0.1", "0177.0.0.1", "256.0.0.1", "1.2.3.4.", "1.2.3.4.5"];
    for (const host of [...hosts, "a.b.c.d", "", " 1.2.3.4"]) {
      assert.equal(parseCanonicalIpv4(host), null, host);
    }
  });
});
