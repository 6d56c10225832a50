/**
 * POST /registry/register (reference §9 rows 1-3, 5, 8, 9) through the real HTTP server on a real database: bad
 * input and server failures, removed and unknown workspaces, bootstrap with the provision-time token and no hijack,
 * the outcome metric, and the delivery mode with the URL it needs. Every assertion is something a runtime or an
 * operator can observe: the HTTP answer, GET /api/workspaces/:id, the workspace's events, or /metrics.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { assertError, count, detail, eventMark, eventsAfter, eventsOf, seriesValue } from "./api-helpers.ts";
import { CARD, heartbeat, onlineWorkspace, register, UNRESOLVABLE, URL_OK, URL_OK_2, withFailingCommits } from "./fixtures.ts";
import { startTestServer, testDatabases, type TestServer } from "./harness.ts";

async function metricValue(server: TestServer, series: string): Promise<number> {
  const response = await fetch(`${server.url}/metrics`);
  return seriesValue(await response.text(), series);
}

for (const factory of testDatabases()) {
  describe(`register (reference §9) on ${factory.provider}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(factory);
    });
    after(async () => {
      await server?.stop();
    });

    describe("row 1: register input and server failures", () => {
      it("register with malformed JSON answers 400 invalid_body and changes nothing", async () => {
        const { id, token } = await server.provision();
        const before = await detail(server, id);
        const mark = await eventMark(server, id);
        const response = await server.runtime("/registry/register", `{"id":"${id}","agent_card":`, token);
        assertError(response, 400, "invalid_body");
        assert.match(response.body.error, /^invalid request body/);
        assert.deepEqual(await detail(server, id), before);
        assert.deepEqual(await eventsAfter(server, id, mark), []);
      });

      it("register with only an id (no agent_card) answers 400 invalid_body, for the reference's id and a real one", async () => {
        const { id, token } = await server.provision();
        const before = await detail(server, id);
        const mark = await eventMark(server, id);
        assertError(await server.runtime("/registry/register", { id: "ws-123" }, token), 400, "invalid_body");
        const response = await server.runtime("/registry/register", { id, url: URL_OK }, token);
        assertError(response, 400, "invalid_body");
        assert.match(response.body.error, /agent_card/);
        assert.deepEqual(await detail(server, id), before);
        assert.deepEqual(await eventsAfter(server, id, mark), []);
      });

      it("a database failure during register answers an opaque 500 that leaks no database text and writes nothing", async () => {
        const { id, token } = await server.provision();
        const before = await detail(server, id);
        const mark = await eventMark(server, id);
        const response = await withFailingCommits(server, Infinity, () => register(server, id, token));
        assertError(response, 500, "internal");
        assert.doesNotMatch(JSON.stringify(response.body), /SQLITE|relation|secret|workspaces|disk/i);
        assert.deepEqual(await detail(server, id), before);
        assert.deepEqual(await eventsAfter(server, id, mark), []);
      });

      it("the opaque 500 of a failed register says `registration failed`, as the reference's body does", async () => {
        const { id, token } = await server.provision();
        const response = await withFailingCommits(server, Infinity, () => register(server, id, token));
        assert.equal(response.status, 500);
        assert.equal(response.body.error, "registration failed");
      });
    });

    describe("row 2: register never resurrects a removed workspace", () => {
      it("register for a removed workspace answers 410 workspace_removed, issues no token and emits nothing", async () => {
        const { id, token } = await onlineWorkspace(server);
        assert.equal((await server.admin(`/api/workspaces/${id}`, { method: "DELETE" })).status, 200);
        const before = await detail(server, id);
        const mark = await eventMark(server, id);
        const response = await register(server, id, token);
        assertError(response, 410, "workspace_removed");
        assert.equal(response.body.error, "workspace removed");
        assert.equal(response.body.auth_token, undefined);
        const afterwards = await detail(server, id);
        assert.equal(afterwards.status, "removed");
        assert.deepEqual(afterwards, before);
        assert.deepEqual(await eventsAfter(server, id, mark), []);
      });

      it("register for an unknown workspace id answers 404 unknown_workspace and creates nothing", async () => {
        const id = randomUUID();
        for (const token of [undefined, "some-token"]) {
          const response = await register(server, id, token);
          assertError(response, 404, "unknown_workspace");
          assert.equal(response.body.auth_token, undefined);
        }
        assertError(await server.admin(`/api/workspaces/${id}`), 404, "unknown_workspace");
        assert.deepEqual(await eventsOf(server, id), []);
      });
    });

    describe("row 3: bootstrap only for a provisioned workspace; no hijack", () => {
      it("a provisioned workspace registers with its provision-time token, and no token is re-issued", async () => {
        const { id, token } = await server.provision();
        const mark = await eventMark(server, id);
        const response = await register(server, id, token);
        assert.equal(response.status, 200, JSON.stringify(response.body));
        assert.equal(response.body.status, "registered");
        assert.equal(response.body.delivery_mode, "push");
        assert.equal(response.body.auth_token, undefined);
        const events = await eventsAfter(server, id, mark);
        assert.equal(count(events, "TOKEN_ISSUED"), 0);
        assert.equal(count(events, "WORKSPACE_ONLINE"), 1);
        const ws = await detail(server, id);
        assert.equal(ws.status, "online");
        assert.equal(ws.url, URL_OK);
        assert.deepEqual(ws.agent_card, CARD);
        // The same token keeps working.
        assert.equal((await heartbeat(server, id, token)).status, 200);
      });

      it("register without a bearer while the workspace has a live token answers 401 missing_token and changes nothing", async () => {
        const { id } = await onlineWorkspace(server);
        const before = await detail(server, id);
        const mark = await eventMark(server, id);
        const response = await register(server, id, undefined, { url: URL_OK_2, agent_card: { name: "hijacker", url: URL_OK_2 } });
        assertError(response, 401, "missing_token");
        assert.equal(response.body.error, "missing workspace auth token");
        assert.equal(response.body.auth_token, undefined);
        assert.deepEqual(await detail(server, id), before);
        assert.deepEqual(await eventsAfter(server, id, mark), []);
      });
    });

    describe("row 5: every register outcome is recorded", () => {
      it("a non-200 register is counted with its reason in /metrics, and a 200 is counted as ok", async () => {
        const { id, token } = await server.provision();
        const rejected = 'rollcall_runtime_calls_total{call="register",outcome="url_validate_failed"}';
        const registered = 'rollcall_runtime_calls_total{call="register",outcome="ok"}';
        const rejectedBefore = await metricValue(server, rejected);
        const registeredBefore = await metricValue(server, registered);
        assertError(await register(server, id, token, { url: UNRESOLVABLE }), 400, "url_validate_failed");
        assert.equal(await metricValue(server, rejected), rejectedBefore + 1);
        assert.equal(await metricValue(server, registered), registeredBefore);
        assert.equal((await register(server, id, token)).status, 200);
        assert.equal(await metricValue(server, rejected), rejectedBefore + 1);
        assert.equal(await metricValue(server, registered), registeredBefore + 1);
      });
    });

    describe("row 8: push needs a URL, poll does not", () => {
      it("a poll-mode register with no URL at all is accepted and stores no URL", async () => {
        const { id, token } = await server.provision();
        const response = await server.runtime("/registry/register", { id, agent_card: { name: "poller" }, delivery_mode: "poll" }, token);
        assert.equal(response.status, 200, JSON.stringify(response.body));
        assert.equal(response.body.delivery_mode, "poll");
        const ws = await detail(server, id);
        assert.equal(ws.delivery_mode, "poll");
        assert.equal(ws.url, null);
        assert.equal(ws.status, "online");
      });

      it("a push-mode register without url falls back to agent_card.url", async () => {
        const { id, token } = await server.provision();
        const response = await server.runtime("/registry/register", { id, agent_card: { name: "agent", url: URL_OK_2 } }, token);
        assert.equal(response.status, 200, JSON.stringify(response.body));
        assert.equal((await detail(server, id)).url, URL_OK_2);
      });

      it("a push-mode register with neither url nor agent_card.url answers 400 url_required_for_push", async () => {
        const { id, token } = await server.provision();
        for (const body of [
          { id, agent_card: { name: "agent" } },
          { id, url: "", agent_card: { name: "agent" }, delivery_mode: "push" },
        ]) {
          const response = await server.runtime("/registry/register", body, token);
          assertError(response, 400, "url_required_for_push");
          assert.equal(response.body.error, "url is required for push-mode workspaces");
        }
        const ws = await detail(server, id);
        assert.equal(ws.url, null);
        assert.equal(ws.agent_card, null);
      });
    });

    describe("row 9: delivery_mode", () => {
      it("an invalid delivery_mode answers 400 before authentication and stamps nothing", async () => {
        const { id, token } = await server.provision();
        const mark = await eventMark(server, id);
        const bad = { delivery_mode: "carrier-pigeon" };
        // Without a bearer the enum check still comes first: 400, not 401.
        const anonymous = await register(server, id, undefined, bad);
        assertError(anonymous, 400, "invalid_body");
        assert.match(anonymous.body.error, /delivery_mode must be 'push' or 'poll'/);
        const authenticated = await register(server, id, token, bad);
        assertError(authenticated, 400, "invalid_body");
        const ws = await detail(server, id);
        assert.deepEqual(ws.markers, []);
        assert.equal(ws.status, "provisioning");
        assert.deepEqual(await eventsAfter(server, id, mark), []);
      });

      it("a workspace registered in poll mode stays in poll mode when a later register omits delivery_mode", async () => {
        const { id, token } = await server.provision();
        const first = await server.runtime("/registry/register", { id, agent_card: { name: "poller" }, delivery_mode: "poll" }, token);
        assert.equal(first.status, 200);
        const second = await server.runtime("/registry/register", { id, agent_card: { name: "poller" } }, token);
        assert.equal(second.status, 200, JSON.stringify(second.body));
        assert.equal(second.body.delivery_mode, "poll");
        assert.equal((await detail(server, id)).delivery_mode, "poll");
      });

      it("a workspace that never chose a delivery_mode is push, which requires a URL", async () => {
        const { id, token } = await server.provision();
        assert.equal((await detail(server, id)).delivery_mode, "push");
        assertError(await server.runtime("/registry/register", { id, agent_card: { name: "agent" } }, token), 400, "url_required_for_push");
        const ok = await register(server, id, token);
        assert.equal(ok.body.delivery_mode, "push");
      });
    });
  });
}
