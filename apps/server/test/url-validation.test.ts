/**
 * The URL rules on every path that takes a URL, through the real server: register's `url`, `agent_card.url` on
 * register, update-card, a heartbeat's card backfill, and a card-bearing heartbeat that would clear a marker. A
 * refused URL is never stored; an accepted one is stored only in its canonical form. (The full table of forms is
 * packages/registry-core/src/url/validate-agent-url.test.ts; these are one or two of each class.)
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { activeMarkers, detail } from "./api-helpers.ts";
import { UNRESOLVABLE, URL_OK } from "./fixtures.ts";
import { startTestServer, testDatabases, type TestServer } from "./harness.ts";

/** One or two spellings of each class refused in every mode, the metadata addresses among them. */
const REFUSED_EVERYWHERE = [
  "http://93.184.216.34\\@127.0.0.1/",
  "http://agent.example.com/a\r\nX-Injected: 1",
  "http://agent.example.com\u200b/",
  "http://agent.example.com:0/",
  "http://user@agent.example.com/",
  "http://%61gent.example.com/",
  "http:agent.example.com",
  "http://2130706433/",
  "http://169.254.169.254/latest/meta-data",
  "http://[::ffff:169.254.169.254]/",
  "http://[64:ff9b::a9fe:a9fe]/",
  "http://[2002:a9fe:a9fe::]/",
  "http://[2001:0:4136:e378:8000:63bf:5601:5601]/",
  "http://[fd00:ec2::254]/",
  "http://100.100.100.200/",
  "http://metadata.example.com/",
  "http://212851b5693d:8000",
  "file:///etc/passwd",
];
/** Refused in strict mode only: loopback (dev mode) and private ranges (ROLLCALL_ALLOW_PRIVATE_URLS). */
const REFUSED_STRICT = [
  "http://127.0.0.1:8000",
  "http://localhost:8000",
  "http://[::1]:8000",
  "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",
  "http://[2002:7f00:1::]/",
  "http://10.0.0.1",
  "http://[fd12::1]/",
  "http://internal.example.com/",
];
/** Accepted, and stored as the canonical href on the right. */
const CANONICAL: [sent: string, stored: string][] = [
  ["HTTP://Agent.Example.COM.:8000", URL_OK],
  ["http://agent.example.com:80/a/../a2a", "http://agent.example.com/a2a"],
  ["http://[2606:4700:4700:0:0:0:0:1111]:8080", "http://[2606:4700:4700::1111]:8080/"],
  ["http://[::ffff:93.184.216.34]/", "http://[::ffff:5db8:d822]/"],
];

type Path = {
  name: string;
  /** Sends `url` down the path on a workspace prepared for it; returns the HTTP status. */
  send(server: TestServer, url: string): Promise<{ id: string; status: number }>;
  /** The status a refused URL gets on this path. */
  refusedStatus: number;
  /** Where the path stores the URL, read back by an operator. */
  stored(workspace: any): unknown;
};

/** A workspace degraded by a register-failure marker, as after incident #2739's rejected register, with no card stored. */
async function degradedWithoutCard(server: TestServer) {
  const { id, token } = await server.provision();
  const refused = await server.runtime("/registry/register", { id, url: UNRESOLVABLE, agent_card: { name: "agent" } }, token);
  assert.equal(refused.status, 400);
  return { id, token };
}

const PATHS: Path[] = [
  {
    name: "register url",
    refusedStatus: 400,
    async send(server, url) {
      const { id, token } = await server.provision();
      return { id, status: (await server.runtime("/registry/register", { id, url, agent_card: { name: "agent" } }, token)).status };
    },
    stored: (ws) => ws.url,
  },
  {
    name: "register agent_card.url",
    refusedStatus: 400,
    async send(server, url) {
      const { id, token } = await server.provision();
      return { id, status: (await server.runtime("/registry/register", { id, url: URL_OK, agent_card: { name: "agent", url } }, token)).status };
    },
    stored: (ws) => ws.agent_card?.url,
  },
  {
    name: "update-card",
    refusedStatus: 400,
    async send(server, url) {
      const { id, token } = await server.provision();
      assert.equal((await server.runtime("/registry/register", { id, url: URL_OK, agent_card: { name: "agent" }, delivery_mode: "poll" }, token)).status, 200);
      return { id, status: (await server.runtime("/registry/update-card", { workspace_id: id, agent_card: { name: "agent", url } }, token)).status };
    },
    stored: (ws) => ws.agent_card?.url,
  },
  {
    name: "heartbeat card backfill",
    // The heartbeat still proves life; the card is ignored.
    refusedStatus: 200,
    async send(server, url) {
      const { id, token } = await server.provision();
      return { id, status: (await server.runtime("/registry/heartbeat", { workspace_id: id, agent_card: { name: "agent", url } }, token)).status };
    },
    stored: (ws) => ws.agent_card?.url,
  },
  {
    name: "card-bearing heartbeat clearing a marker",
    refusedStatus: 200,
    async send(server, url) {
      const { id, token } = await degradedWithoutCard(server);
      return { id, status: (await server.runtime("/registry/heartbeat", { workspace_id: id, agent_card: { name: "agent", url } }, token)).status };
    },
    stored: (ws) => ws.agent_card?.url,
  },
];

for (const factory of testDatabases()) {
  describe(`URL rules on every path that takes a URL, on ${factory.provider}`, () => {
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

    for (const path of PATHS) {
      it(`${path.name}: every refused form is refused and never stored, in strict mode`, async () => {
        for (const url of [...REFUSED_EVERYWHERE, ...REFUSED_STRICT]) {
          const { id, status } = await path.send(strict, url);
          assert.equal(status, path.refusedStatus, url);
          const ws = await detail(strict, id);
          assert.notEqual(path.stored(ws), url, url);
          if (path.name === "card-bearing heartbeat clearing a marker") {
            assert.equal(activeMarkers(ws).length, 1, `${url}: the marker stays`);
            assert.equal(ws.status, "degraded", url);
          }
        }
      });

      it(`${path.name}: metadata and parser-confusing forms stay refused with private URLs and dev mode on`, async () => {
        for (const url of REFUSED_EVERYWHERE) {
          const { id, status } = await path.send(relaxed, url);
          assert.equal(status, path.refusedStatus, url);
          assert.notEqual(path.stored(await detail(relaxed, id)), url, url);
        }
        for (const url of REFUSED_STRICT) {
          const { id, status } = await path.send(relaxed, url);
          assert.equal(status, 200, url);
          assert.equal(typeof path.stored(await detail(relaxed, id)), "string", url);
        }
      });

      it(`${path.name}: an accepted URL is stored as its canonical href`, async () => {
        for (const [sent, stored] of CANONICAL) {
          const { id, status } = await path.send(strict, sent);
          assert.equal(status, 200, sent);
          const ws = await detail(strict, id);
          assert.equal(path.stored(ws), stored, sent);
          if (path.name === "card-bearing heartbeat clearing a marker") assert.equal(ws.status, "online", sent);
        }
      });
    }

    it("a refused register URL answers 400 url_validate_failed with the validator's reason, and sets the documented marker", async () => {
      const { id, token } = await strict.provision();
      const response = await strict.runtime(
        "/registry/register",
        { id, url: "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", agent_card: { name: "agent" } },
        token,
      );
      assert.equal(response.status, 400);
      assert.equal(response.body.reason, "url_validate_failed");
      assert.match(response.body.error, /Teredo address embedding 127\.0\.0\.1: loopback address/);
      const ws = await detail(strict, id);
      assert.equal(ws.markers[0].reason, "url_validate_failed");
      assert.equal(ws.status, "degraded");
    });
  });
}
