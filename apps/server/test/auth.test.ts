/**
 * The auth matrix: the runtime token gate (reference §2, W1-W3, W8-W9), token rotation and removal, the admin
 * token of the operator API, and the per-address limit on failed authentication.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { ADMIN_TOKEN, startTestServer, testDatabases, type TestServer } from "./harness.ts";
import { assertError, detail, eventsOf } from "./api-helpers.ts";
import { CARD, onlineWorkspace, UNRESOLVABLE, URL_OK } from "./fixtures.ts";

type Reply = { status: number; body: any; headers: Headers };

/** A request with exactly the headers given (the harness always writes `Bearer <token>`). */
async function raw(
  server: TestServer,
  path: string,
  init: { method?: string; body?: unknown; authorization?: string; headers?: Record<string, string> },
): Promise<Reply> {
  const headers: Record<string, string> = { "content-type": "application/json", ...init.headers };
  if (init.authorization !== undefined) headers.authorization = init.authorization;
  const response = await fetch(`${server.url}${path}`, {
    method: init.method ?? "POST",
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

async function state(server: TestServer, id: string) {
  return { ws: await detail(server, id), events: await eventsOf(server, id) };
}

/** One request per runtime route, all valid apart from the credentials. */
function runtimeCalls(id: string): [string, Record<string, unknown>][] {
  return [
    ["/registry/register", { id, url: URL_OK, agent_card: CARD }],
    ["/registry/heartbeat", { workspace_id: id, error_rate: 0.9, runtime_state: "wedged" }],
    ["/registry/update-card", { workspace_id: id, agent_card: { name: "changed", url: URL_OK } }],
  ];
}

for (const factory of testDatabases()) {
  describe(`auth on ${factory.provider}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(factory);
    });
    after(async () => {
      await server?.stop();
    });
    // Each test starts in a fresh rate-limit window, so this file's deliberate 401s never add up to a 429.
    beforeEach(() => {
      server.clock.advance(61_000);
    });

    describe("the runtime token gate", () => {
      it("a runtime request without a bearer is refused with 401 missing_token on every route and changes nothing", async () => {
        const { id } = await onlineWorkspace(server);
        const before = await state(server, id);
        for (const [path, body] of runtimeCalls(id)) {
          const response = await server.runtime(path, body);
          assertError(response, 401, "missing_token");
          assert.equal(response.body.error, "missing workspace auth token");
        }
        assert.deepEqual(await state(server, id), before);
      });

      it("a garbage bearer is refused with 401 invalid_token on every route and changes nothing", async () => {
        const { id } = await onlineWorkspace(server);
        const before = await state(server, id);
        for (const garbage of ["garbage", "x".repeat(43), "Bearer", "'OR'1'='1"]) {
          for (const [path, body] of runtimeCalls(id)) {
            const response = await server.runtime(path, body, garbage);
            assertError(response, 401, "invalid_token");
            assert.equal(response.body.error, "invalid workspace auth token");
          }
        }
        assert.deepEqual(await state(server, id), before);
      });

      it("another workspace's valid token is refused with 401 invalid_token, and neither workspace changes", async () => {
        const victim = await onlineWorkspace(server);
        const intruder = await onlineWorkspace(server);
        const victimBefore = await state(server, victim.id);
        const intruderBefore = await state(server, intruder.id);
        for (const [path, body] of runtimeCalls(victim.id)) {
          assertError(await server.runtime(path, body, intruder.token), 401, "invalid_token");
        }
        assert.deepEqual(await state(server, victim.id), victimBefore);
        assert.deepEqual(await state(server, intruder.id), intruderBefore);
      });

      it("an Authorization header in another scheme, or a bare token, is no bearer: 401 missing_token", async () => {
        const { id, token } = await onlineWorkspace(server);
        const before = await state(server, id);
        for (const authorization of [`Basic ${Buffer.from(`${id}:${token}`).toString("base64")}`, `Token ${token}`, token, "Bearer ", ""]) {
          const response = await raw(server, "/registry/heartbeat", { body: { workspace_id: id }, authorization });
          assertError(response, 401, "missing_token");
        }
        assert.deepEqual(await state(server, id), before);
      });

      it("the bearer scheme is matched case-insensitively: `bearer`, `BEARER` and `BeArEr` are accepted", async () => {
        const { id, token } = await onlineWorkspace(server);
        for (const scheme of ["bearer", "BEARER", "BeArEr"]) {
          const response = await raw(server, "/registry/heartbeat", { body: { workspace_id: id, error_rate: 0 }, authorization: `${scheme} ${token}` });
          assert.equal(response.status, 200, `${scheme}: ${JSON.stringify(response.body)}`);
        }
        const registered = await raw(server, "/registry/register", { body: { id, url: URL_OK, agent_card: CARD }, authorization: `bearer ${token}` });
        assert.equal(registered.status, 200);
        const updated = await raw(server, "/registry/update-card", { body: { workspace_id: id, agent_card: CARD }, authorization: `bearer ${token}` });
        assert.equal(updated.status, 200);
      });

      it("the admin token is not a runtime credential: 401 invalid_token", async () => {
        const { id } = await onlineWorkspace(server);
        assertError(await server.runtime("/registry/heartbeat", { workspace_id: id }, ADMIN_TOKEN), 401, "invalid_token");
      });
    });

    describe("token rotation and removal", () => {
      it("rotating the token revokes the old one at once and the new one works", async () => {
        const { id, token: old } = await onlineWorkspace(server);
        const rotated = await server.admin(`/api/workspaces/${id}/token`, { method: "POST", body: {} });
        assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
        assert.equal(rotated.body.id, id);
        const fresh: string = rotated.body.token;
        assert.equal(typeof fresh, "string");
        assert.match(fresh, /^[A-Za-z0-9_-]{43}$/);
        assert.notEqual(fresh, old);
        for (const [path, body] of runtimeCalls(id)) {
          assertError(await server.runtime(path, body, old), 401, "invalid_token");
        }
        assert.equal((await server.runtime("/registry/heartbeat", { workspace_id: id, error_rate: 0 }, fresh)).status, 200);
        assert.equal((await server.runtime("/registry/register", { id, url: URL_OK, agent_card: CARD }, fresh)).status, 200);
        const events = await eventsOf(server, id);
        const rotation = events.find((e) => e.type === "TOKEN_ROTATED");
        assert.ok(rotation, "TOKEN_ROTATED is recorded");
        assert.equal(rotation.actor, "operator:admin");
        assert.equal(rotation.payload.prefix, fresh.slice(0, 8));
        assert.doesNotMatch(JSON.stringify(events), new RegExp(fresh), "the token itself is never recorded");
        assert.equal((await detail(server, id)).status, "online", "rotation does not change the status");
      });

      it("a second rotation revokes the first rotated token too", async () => {
        const { id } = await onlineWorkspace(server);
        const first = (await server.admin(`/api/workspaces/${id}/token`, { method: "POST", body: {} })).body.token;
        const second = (await server.admin(`/api/workspaces/${id}/token`, { method: "POST", body: {} })).body.token;
        assertError(await server.runtime("/registry/heartbeat", { workspace_id: id }, first), 401, "invalid_token");
        assert.equal((await server.runtime("/registry/heartbeat", { workspace_id: id }, second)).status, 200);
      });

      it("a removed workspace's token is answered with 410 workspace_removed on every route", async () => {
        const { id, token } = await onlineWorkspace(server);
        assert.equal((await server.admin(`/api/workspaces/${id}`, { method: "DELETE" })).status, 200);
        const before = await state(server, id);
        for (const [path, body] of runtimeCalls(id)) {
          const response = await server.runtime(path, body, token);
          assertError(response, 410, "workspace_removed");
          assert.equal(response.body.error, "workspace removed");
        }
        assert.deepEqual(await state(server, id), before);
      });
    });

    describe("the operator API's admin token", () => {
      it("the operator API without an admin token answers 401 missing_token and changes nothing", async () => {
        const { id } = await onlineWorkspace(server);
        const before = await state(server, id);
        const listBefore = (await server.admin("/api/workspaces?limit=1000")).body;
        for (const [method, path] of [
          ["GET", "/api/workspaces"],
          ["GET", `/api/workspaces/${id}`],
          ["GET", `/api/workspaces/${id}/events`],
          ["POST", "/api/workspaces"],
          ["POST", `/api/workspaces/${id}/restart`],
          ["POST", `/api/workspaces/${id}/token`],
          ["DELETE", `/api/workspaces/${id}`],
        ] as const) {
          const response = await raw(server, path, { method, body: method === "POST" ? {} : undefined });
          assertError(response, 401, "missing_token");
          assert.equal(response.body.token, undefined);
        }
        assert.deepEqual(await state(server, id), before);
        assert.deepEqual((await server.admin("/api/workspaces?limit=1000")).body, listBefore);
      });

      it("the operator API with a wrong admin token, or a runtime token, answers 401 invalid_token and changes nothing", async () => {
        const { id, token } = await onlineWorkspace(server);
        const before = await state(server, id);
        for (const authorization of [`Bearer ${ADMIN_TOKEN}x`, "Bearer wrong-admin-token-0123456789", `Bearer ${token}`]) {
          assertError(await raw(server, `/api/workspaces/${id}`, { method: "GET", authorization }), 401, "invalid_token");
          assertError(await raw(server, `/api/workspaces/${id}`, { method: "DELETE", authorization }), 401, "invalid_token");
          assertError(await raw(server, `/api/workspaces/${id}/token`, { body: {}, authorization }), 401, "invalid_token");
        }
        assert.deepEqual(await state(server, id), before);
      });

      it("the admin token's scheme is case-insensitive too", async () => {
        const response = await raw(server, "/api/workspaces", { method: "GET", authorization: `bearer ${ADMIN_TOKEN}` });
        assert.equal(response.status, 200);
      });
    });

    describe("a 401 never stamps the register-failure marker", () => {
      it("a register with a bad URL and a wrong bearer answers 401 (auth before URL checks) and stamps nothing", async () => {
        const { id } = await onlineWorkspace(server);
        const other = await onlineWorkspace(server);
        const before = await state(server, id);
        for (const token of [undefined, "garbage", other.token]) {
          const response = await server.runtime("/registry/register", { id, url: UNRESOLVABLE, agent_card: CARD }, token);
          assert.equal(response.status, 401, JSON.stringify(response.body));
        }
        const afterwards = await state(server, id);
        assert.deepEqual(afterwards.ws.markers, []);
        assert.equal(afterwards.ws.status, "online");
        assert.deepEqual(afterwards, before);
      });

      it("an unauthenticated register never reaches the URL validator (no DNS lookup on the caller's behalf)", async () => {
        const { id, token } = await onlineWorkspace(server);
        const deps = server.deps;
        const resolve = deps.resolveHost;
        const looked: string[] = [];
        deps.resolveHost = async (host) => {
          looked.push(host);
          return resolve(host);
        };
        try {
          await server.runtime("/registry/register", { id, url: "http://probe.attacker.example:8000", agent_card: { name: "x" } }, "garbage");
          await server.runtime("/registry/register", { id, url: "http://probe.attacker.example:8000", agent_card: { name: "x" } });
          assert.equal(looked.length, 0, `looked up: ${looked.join(", ")}`);
          // Control: the authenticated caller does get its URL resolved.
          await server.runtime("/registry/register", { id, url: URL_OK, agent_card: CARD }, token);
          assert.ok(looked.includes("agent.example.com"));
        } finally {
          deps.resolveHost = resolve;
        }
      });
    });
  });

  describe(`rate limiting of failed authentication on ${factory.provider}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(factory);
    });
    after(async () => {
      await server?.stop();
    });

    it("20 failed authentications from one address are answered 401, the 21st with 429 rate_limited until the minute is over", async () => {
      const { id, token } = await onlineWorkspace(server);
      for (let attempt = 1; attempt <= 20; attempt++) {
        const response = await server.runtime("/registry/heartbeat", { workspace_id: id, error_rate: 0 }, `bad-token-${attempt}`);
        assertError(response, 401, "invalid_token");
      }
      const limited = await raw(server, "/registry/heartbeat", { body: { workspace_id: id, error_rate: 0 }, authorization: "Bearer bad-token-21" });
      assertError(limited, 429, "rate_limited");
      assert.equal(limited.headers.get("retry-after"), "60");
      // Still blocked a little later, on every runtime route.
      server.clock.advance(30_000);
      for (const [path, body] of runtimeCalls(id)) {
        assertError(await server.runtime(path, body, "bad-token-22"), 429, "rate_limited");
      }
      // The window ends: the right token works again, and a wrong one is a plain 401 again.
      server.clock.advance(31_000);
      assert.equal((await server.runtime("/registry/heartbeat", { workspace_id: id, error_rate: 0 }, token)).status, 200);
      assertError(await server.runtime("/registry/heartbeat", { workspace_id: id, error_rate: 0 }, "bad-token-23"), 401, "invalid_token");
      // Nothing the failed attempts sent was recorded.
      const ws = await detail(server, id);
      assert.equal(ws.status, "online");
      assert.deepEqual(ws.markers, []);
    });

    it("a neighbour's bad tokens behind the same address do not lock out another workspace's runtime", async () => {
      server.clock.advance(61_000);
      const stale = await onlineWorkspace(server);
      const healthy = await onlineWorkspace(server);
      for (let attempt = 1; attempt <= 25; attempt++) {
        await server.runtime("/registry/heartbeat", { workspace_id: stale.id, error_rate: 0 }, `stale-${attempt}`);
      }
      assertError(await server.runtime("/registry/heartbeat", { workspace_id: stale.id, error_rate: 0 }, "stale-26"), 429, "rate_limited");
      assert.equal((await server.runtime("/registry/heartbeat", { workspace_id: healthy.id, error_rate: 0 }, healthy.token)).status, 200);
    });

    it("the tRPC route is rate limited the same way, and refuses batches that would try many tokens in one request", async () => {
      server.clock.advance(61_000);
      const { id } = await onlineWorkspace(server);
      const call = (token: string) => raw(server, "/trpc/runtime.heartbeat", { body: { workspace_id: id, error_rate: 0 }, authorization: `Bearer ${token}` });
      for (let attempt = 1; attempt <= 20; attempt++) assert.equal((await call(`bad-${attempt}`)).status, 401);
      const limited = await call("bad-21");
      assert.equal(limited.status, 429);
      assert.equal(limited.body.error.data.reason, "rate_limited");
      const batch = await raw(server, "/trpc/runtime.heartbeat,runtime.heartbeat?batch=1", {
        body: { 0: { workspace_id: id }, 1: { workspace_id: id } },
        authorization: "Bearer whatever",
      });
      assert.equal(batch.status, 400);
    });

    it("failed operator authentications count too: 20 wrong admin tokens, then 429", async () => {
      server.clock.advance(61_000);
      for (let attempt = 1; attempt <= 20; attempt++) {
        assertError(await raw(server, "/api/workspaces", { method: "GET", authorization: `Bearer wrong-admin-${attempt}-0123456789` }), 401, "invalid_token");
      }
      assertError(await raw(server, "/api/workspaces", { method: "GET", authorization: "Bearer wrong-admin-21-0123456789" }), 429, "rate_limited");
      server.clock.advance(61_000);
      assert.equal((await server.admin("/api/workspaces")).status, 200);
    });
  });
}
