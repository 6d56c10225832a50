import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestServer, testDatabases, type TestServer } from "./harness.ts";

/** The URL validation table through the real register endpoint: [url, expected fragment of the 400 message]. */
const REJECTED: [string, string][] = [
  ["file:///etc/passwd", 'scheme must be http or https, got "file"'],
  ["ftp://agent.example.com/", 'got "ftp"'],
  ["://not-a-url", "url is not valid"],
  ["http://user:pw@agent.example.com/", "must not contain credentials"],
  ["http://169.254.169.254/latest/meta-data", "link-local address (cloud metadata endpoint)"],
  ["http://127.0.0.1:8000", "loopback address"],
  ["http://localhost:8000", "loopback address"],
  ["http://[::1]:8000", "loopback address"],
  ["http://10.0.0.1", "RFC-1918 private address"],
  ["http://172.18.0.5", "RFC-1918 private address"],
  ["http://192.168.1.1", "RFC-1918 private address"],
  ["http://[fd00::1]", "ULA address (RFC-4193 private)"],
  ["http://[fe80::1]", "IPv6 link-local"],
  ["http://[fc00::1]", "ULA non-routable"],
  ["http://192.0.2.1", "TEST-NET"],
  ["http://198.51.100.1", "TEST-NET"],
  ["http://203.0.113.1", "TEST-NET"],
  ["http://[2001:db8::1]", "IPv6 documentation address"],
  ["http://100.64.0.1", "carrier-grade NAT"],
  ["http://224.0.0.1", "multicast"],
  ["http://0.0.0.0:8000", "unspecified address"],
  ["http://[::]:8000", "unspecified address"],
  ["http://198.18.0.1", "benchmarking range"],
  ["http://240.0.0.1", "reserved range"],
  ["http://255.255.255.255", "broadcast address"],
  ["http://[::ffff:169.254.169.254]", "link-local address (cloud metadata endpoint)"],
  ["http://[64:ff9b::a9fe:a9fe]", "NAT64"],
  ["http://[2002:a9fe:a9fe::]", "6to4"],
  ["http://[fec0::1]", "site-local"],
  ["http://2130706433/", "is not a canonical IP address"],
  ["http://0x7f.1/", "is not a canonical IP address"],
  ["http://127.1/", "is not a canonical IP address"],
  ["http://212851b5693d:8000", "cannot be resolved"],
  ["http://internal.example.com/", "resolves to forbidden address"],
  ["http://metadata.example.com/", "resolves to forbidden address"],
];
const ACCEPTED = ["https://agent.example.com", "http://agent.example.com:8000/a2a", "http://93.184.216.34:8000", "http://AGENT.example.com./"];

for (const factory of testDatabases()) {
  describe(`URL validation through register on ${factory.provider}`, () => {
    let strict: TestServer;
    let relaxed: TestServer;
    before(async () => {
      strict = await startTestServer(factory);
      relaxed = await startTestServer(factory, { ROLLCALL_ALLOW_PRIVATE_URLS: "1", ROLLCALL_DEV_MODE: "1" });
    });
    after(async () => {
      await strict?.stop();
      await relaxed?.stop();
    });

    const register = async (server: TestServer, url: string) => {
      const { id, token } = await server.provision();
      return server.runtime("/registry/register", { id, url, agent_card: { name: "agent" } }, token);
    };

    it("every blocked form is refused with 400 url_validate_failed and the validator's own message", async () => {
      for (const [url, fragment] of REJECTED) {
        const response = await register(strict, url);
        assert.equal(response.status, 400, url);
        assert.equal(response.body.reason, "url_validate_failed", url);
        assert.ok(response.body.error.includes(fragment), `${url}: ${response.body.error}`);
      }
    });

    it("public names and addresses are accepted", async () => {
      for (const url of ACCEPTED) assert.equal((await register(strict, url)).status, 200, url);
    });

    it("private ranges need ROLLCALL_ALLOW_PRIVATE_URLS and loopback needs dev mode; metadata stays blocked", async () => {
      for (const url of ["http://10.0.0.1", "http://172.18.0.5", "http://[fd12:3456:789a::42]", "http://internal.example.com/", "http://localhost:8000", "http://127.0.0.1:9000"]) {
        assert.equal((await register(relaxed, url)).status, 200, url);
      }
      for (const url of ["http://169.254.169.254/", "http://100.127.255.254", "http://192.0.2.1", "http://[fc00::1]"]) {
        assert.equal((await register(relaxed, url)).status, 400, url);
      }
    });
  });
}
