/**
 * The behavioural list of reference §9 (rows 1-3, 5-9, 15-22) as it applies to Rollcall, through the real HTTP
 * server on a real database. Every assertion is something a runtime or an operator can observe: the HTTP answer,
 * GET /api/workspaces/:id, the workspace's events, or /metrics.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { sweep, type WorkspaceChange } from "@rollcall/registry-core";
import { startTestServer, testDatabases, type TestServer } from "./harness.ts";
import { assertError, count, detail, eventMark, eventsAfter, eventsOf } from "./api-helpers.ts";

// Canonical, as the registry stores it: what is sent is what an operator reads back.
const URL_OK = "http://agent.example.com:8000/";
const URL_OK_2 = "http://agent2.example.com:8000/";
const CARD = { name: "agent", url: URL_OK };
const UNRESOLVABLE = "http://212851b5693d:8000";
/** Text a failing database might put in an error; it must never reach a client. */
const DB_ERROR_TEXT = "SQLITE_IOERR: disk I/O error near relation \"workspaces\" at /var/lib/rollcall/secret.db";

const typesOf = (events: any[]) => events.map((event) => event.type as string);

async function register(server: TestServer, id: string, token: string | undefined, body: Record<string, unknown> = {}) {
  return server.runtime("/registry/register", { id, url: URL_OK, agent_card: CARD, ...body }, token);
}

async function heartbeat(server: TestServer, id: string, token: string | undefined, body: Record<string, unknown> = {}) {
  return server.runtime("/registry/heartbeat", { workspace_id: id, error_rate: 0, ...body }, token);
}

/** A provisioned workspace that registered successfully: online, with card CARD and URL_OK. */
async function onlineWorkspace(server: TestServer): Promise<{ id: string; token: string }> {
  const workspace = await server.provision();
  const response = await register(server, workspace.id, workspace.token);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  assert.equal(response.body.workspace_status, "online");
  return workspace;
}

/** Makes the store's next `times` commits fail with database text, then restores it. */
async function withFailingCommits<T>(server: TestServer, times: number, run: () => Promise<T>): Promise<T> {
  const store = server.deps.store;
  const original = store.commit;
  let failures = 0;
  store.commit = async (change: WorkspaceChange) => {
    if (failures < times) {
      failures++;
      throw new Error(DB_ERROR_TEXT);
    }
    return original(change);
  };
  try {
    return await run();
  } finally {
    store.commit = original;
  }
}

async function metricValue(server: TestServer, series: string): Promise<number> {
  const response = await fetch(`${server.url}/metrics`);
  const text = await response.text();
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

const nearNow = (server: TestServer, iso: string | null) => {
  assert.ok(iso, "expected a timestamp");
  assert.ok(Math.abs(Date.parse(iso) - server.clock.now()) < 5_000, `${iso} is not about now`);
};

for (const factory of testDatabases()) {
  describe(`runtime API (reference §9) on ${factory.provider}`, () => {
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

    describe("row 3 (open registration): ROLLCALL_OPEN_REGISTRATION bootstraps unknown ids only", () => {
      let open: TestServer;
      before(async () => {
        open = await startTestServer(factory, { ROLLCALL_OPEN_REGISTRATION: "1" });
      });
      after(async () => {
        await open?.stop();
      });

      it("the first register of an unknown id creates the workspace and returns its token once", async () => {
        const id = randomUUID();
        const first = await register(open, id, undefined);
        assert.equal(first.status, 200, JSON.stringify(first.body));
        assert.equal(typeof first.body.auth_token, "string");
        assert.equal((await detail(open, id)).status, "online");
        assert.equal((await heartbeat(open, id, first.body.auth_token)).status, 200);
        // The workspace now has a live token: another bearer-less register is a hijack attempt.
        const second = await register(open, id, undefined, { url: URL_OK_2 });
        assertError(second, 401, "missing_token");
        assert.equal(second.body.auth_token, undefined);
        assert.equal((await detail(open, id)).url, URL_OK);
      });

      it("two first registers of one unknown id at once: exactly one gets the token, the other a clear error", async () => {
        const id = randomUUID();
        const answers = await Promise.all([register(open, id, undefined), register(open, id, undefined)]);
        const winners = answers.filter((a) => a.status === 200);
        assert.equal(winners.length, 1, JSON.stringify(answers.map((a) => a.body)));
        const loser = answers.find((a) => a.status !== 200)!;
        assert.ok([401, 409].includes(loser.status), JSON.stringify(loser.body));
        assert.equal(typeof loser.body.reason, "string");
        const events = await eventsOf(open, id);
        assert.equal(events.filter((e: any) => e.type === "TOKEN_ISSUED").length, 1);
        assert.equal(events.filter((e: any) => e.type === "WORKSPACE_ONLINE").length, 1);
      });

      it("a failed bootstrap register creates nothing and stamps nothing", async () => {
        const id = randomUUID();
        const response = await register(open, id, undefined, { url: UNRESOLVABLE });
        assertError(response, 400, "url_validate_failed");
        assertError(await open.admin(`/api/workspaces/${id}`), 404, "unknown_workspace");
        assert.deepEqual(await eventsOf(open, id), []);
      });

      it("a provisioned workspace is never bootstrapped without its token", async () => {
        const { id } = await open.provision();
        const response = await register(open, id, undefined);
        assertError(response, 401, "missing_token");
        assert.equal(response.body.auth_token, undefined);
        assert.equal((await detail(open, id)).status, "provisioning");
      });
    });

    describe("reasons are part of the state", () => {
      it("when a degraded workspace's reasons change but its status does not, one WORKSPACE_REASONS_CHANGED says so", async () => {
        const { id, token } = await server.provision();
        assert.equal((await register(server, id, token)).status, 200);
        const wedged = await server.runtime("/registry/heartbeat", { workspace_id: id, error_rate: 0.9, runtime_state: "wedged" }, token);
        assert.equal(wedged.body.workspace_status, "degraded");
        const mark = await eventMark(server, id);
        const unwedged = await server.runtime("/registry/heartbeat", { workspace_id: id, error_rate: 0.9 }, token);
        assert.equal(unwedged.body.workspace_status, "degraded");
        const ws = await detail(server, id);
        assert.deepEqual(ws.status_reasons, ["error_rate"]);
        const events = await eventsAfter(server, id, mark);
        assert.deepEqual(events.map((e) => e.type), ["WORKSPACE_REASONS_CHANGED"]);
        assert.deepEqual(events[0].payload.previous_reasons, ["wedged", "error_rate"]);
        assert.deepEqual(events[0].payload.reasons, ["error_rate"]);
        // Same reasons again: nothing to record.
        await server.runtime("/registry/heartbeat", { workspace_id: id, error_rate: 0.9 }, token);
        assert.equal((await eventsAfter(server, id, mark)).length, 1);
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

    describe("row 6: an authenticated register failure stamps the marker", () => {
      it("an authenticated push-mode register with no URL answers 400 url_required_for_push and stamps the marker", async () => {
        const { id, token } = await server.provision();
        const mark = await eventMark(server, id);
        const response = await server.runtime("/registry/register", { id, agent_card: { name: "agent" } }, token);
        assertError(response, 400, "url_required_for_push");
        assert.equal(response.body.error, "url is required for push-mode workspaces");
        const ws = await detail(server, id);
        assert.equal(ws.markers.length, 1);
        const [marker] = ws.markers;
        assert.equal(marker.kind, "register_failure");
        assert.equal(marker.reason, "url_required_for_push");
        assert.equal(marker.cleared_at, null);
        nearNow(server, marker.set_at);
        const events = await eventsAfter(server, id, mark);
        assert.equal(count(events, "MARKER_SET"), 1);
        assert.equal(events.find((e) => e.type === "MARKER_SET").payload.reason, "url_required_for_push");
      });

      it("an authenticated register that fails with a server error (500) stamps the marker with reason internal", async () => {
        const { id, token } = await onlineWorkspace(server);
        // Only the registration write fails; the stamp after it can be written.
        const response = await withFailingCommits(server, 1, () => register(server, id, token));
        assertError(response, 500, "internal");
        const ws = await detail(server, id);
        assert.equal(ws.markers.length, 1, "every post-auth non-200 stamps the marker (reference §5.4)");
        assert.equal(ws.markers[0].reason, "internal");
      });
    });

    describe("row 7: no stamp without a verified bearer; a successful register clears the marker", () => {
      it("an unauthenticated register (401) with a bad URL never stamps and never degrades", async () => {
        const { id } = await onlineWorkspace(server);
        const before = await detail(server, id);
        const mark = await eventMark(server, id);
        const response = await register(server, id, undefined, { url: UNRESOLVABLE });
        assertError(response, 401, "missing_token");
        const afterwards = await detail(server, id);
        assert.deepEqual(afterwards.markers, []);
        assert.deepEqual(afterwards, before);
        assert.deepEqual(await eventsAfter(server, id, mark), []);
      });

      it("a successful register clears an active marker and brings the workspace online", async () => {
        const { id, token } = await onlineWorkspace(server);
        assertError(await register(server, id, token, { url: UNRESOLVABLE }), 400, "url_validate_failed");
        assert.equal((await detail(server, id)).status, "degraded");
        const mark = await eventMark(server, id);
        const response = await register(server, id, token);
        assert.equal(response.status, 200);
        assert.equal(response.body.workspace_status, "online");
        const ws = await detail(server, id);
        assert.equal(ws.status, "online");
        assert.equal(ws.markers.length, 1);
        assert.equal(ws.markers[0].active, false);
        nearNow(server, ws.markers[0].cleared_at);
        assert.equal(ws.markers[0].cleared_by, "runtime");
        const events = await eventsAfter(server, id, mark);
        assert.equal(count(events, "MARKER_CLEARED"), 1);
        assert.equal(count(events, "WORKSPACE_ONLINE"), 1);
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
        for (const body of [{ id, agent_card: { name: "agent" } }, { id, url: "", agent_card: { name: "agent" }, delivery_mode: "push" }]) {
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

    describe("row 15: heartbeat input and server failures", () => {
      it("a heartbeat with malformed JSON answers 400 invalid_body and changes nothing", async () => {
        const { id, token } = await onlineWorkspace(server);
        const before = await detail(server, id);
        const mark = await eventMark(server, id);
        const response = await server.runtime("/registry/heartbeat", `{"workspace_id": "${id}", "error_rate": 0,`, token);
        assertError(response, 400, "invalid_body");
        assert.match(response.body.error, /^invalid request body/);
        assert.deepEqual(await detail(server, id), before);
        assert.deepEqual(await eventsAfter(server, id, mark), []);
      });

      it("a heartbeat without workspace_id answers 400 invalid_body", async () => {
        const { token } = await onlineWorkspace(server);
        const response = await server.runtime("/registry/heartbeat", { error_rate: 0 }, token);
        assertError(response, 400, "invalid_body");
        assert.match(response.body.error, /workspace_id/);
      });

      it("a database failure during a heartbeat answers an opaque 500 and writes nothing", async () => {
        const { id, token } = await onlineWorkspace(server);
        const before = await detail(server, id);
        const mark = await eventMark(server, id);
        const response = await withFailingCommits(server, Infinity, () => heartbeat(server, id, token, { error_rate: 0.9 }));
        assertError(response, 500, "internal");
        assert.doesNotMatch(JSON.stringify(response.body), /SQLITE|relation|secret|workspaces|disk/i);
        assert.deepEqual(await detail(server, id), before);
        assert.deepEqual(await eventsAfter(server, id, mark), []);
      });

      it("the opaque 500 of a failed heartbeat says `failed to update`, as the reference's body does", async () => {
        const { id, token } = await onlineWorkspace(server);
        const response = await withFailingCommits(server, Infinity, () => heartbeat(server, id, token));
        assert.equal(response.status, 500);
        assert.equal(response.body.error, "failed to update");
      });
    });

    describe("row 16: recovery on a heartbeat emits exactly one WORKSPACE_ONLINE", () => {
      it("an offline workspace goes online on its next healthy heartbeat with exactly one WORKSPACE_ONLINE", async () => {
        const { id, token } = await onlineWorkspace(server);
        server.clock.advance(91_000);
        await sweep(server.deps);
        assert.equal((await detail(server, id)).status, "offline");
        const mark = await eventMark(server, id);
        const response = await heartbeat(server, id, token);
        assert.equal(response.status, 200);
        assert.equal(response.body.workspace_status, "online");
        const events = await eventsAfter(server, id, mark);
        assert.equal(count(events, "WORKSPACE_ONLINE"), 1);
        assert.equal(count(events, "WORKSPACE_DEGRADED"), 0);
        const online = events.find((e) => e.type === "WORKSPACE_ONLINE");
        assert.equal(online.payload.from, "offline");
        assert.equal((await detail(server, id)).status, "online");
      });

      it("a provisioning workspace goes online on its first heartbeat with exactly one WORKSPACE_ONLINE (no silent flip)", async () => {
        const { id, token } = await server.provision();
        const mark = await eventMark(server, id);
        const response = await heartbeat(server, id, token);
        assert.equal(response.status, 200);
        assert.equal(response.body.workspace_status, "online");
        const events = await eventsAfter(server, id, mark);
        assert.deepEqual(typesOf(events).filter((t) => t.startsWith("WORKSPACE_")), ["WORKSPACE_ONLINE"]);
        assert.equal(events[0].payload.from, "provisioning");
        const ws = await detail(server, id);
        assert.equal(ws.status, "online");
        nearNow(server, ws.status_changed_at);
      });

      it("a failed workspace (provision timeout) goes online on a heartbeat with exactly one WORKSPACE_ONLINE", async () => {
        const { id, token } = await server.provision();
        server.clock.advance(10 * 60_000 + 1_000);
        await sweep(server.deps);
        assert.equal((await detail(server, id)).status, "failed");
        const mark = await eventMark(server, id);
        const response = await heartbeat(server, id, token);
        assert.equal(response.status, 200);
        const events = await eventsAfter(server, id, mark);
        assert.deepEqual(typesOf(events).filter((t) => t.startsWith("WORKSPACE_")), ["WORKSPACE_ONLINE"]);
        assert.equal(events.find((e) => e.type === "WORKSPACE_ONLINE").payload.from, "failed");
        assert.equal((await detail(server, id)).status, "online");
      });
    });

    describe("row 17: a healthy online workspace stays put", () => {
      it("an online workspace with a low error rate stays online and emits no event", async () => {
        const { id, token } = await onlineWorkspace(server);
        const before = await detail(server, id);
        const mark = await eventMark(server, id);
        for (const errorRate of [0, 0.05, 0.49]) {
          const response = await heartbeat(server, id, token, { error_rate: errorRate });
          assert.equal(response.status, 200);
          assert.deepEqual(response.body, { status: "ok", workspace_status: "online" });
        }
        const ws = await detail(server, id);
        assert.equal(ws.status, "online");
        assert.equal(ws.status_changed_at, before.status_changed_at);
        assert.deepEqual(ws.status_reasons, []);
        assert.deepEqual(await eventsAfter(server, id, mark), []);
      });
    });

    describe("row 18: wedge and error-rate degradation, with hysteresis", () => {
      it("a wedged heartbeat degrades an online workspace with exactly one WORKSPACE_DEGRADED (reason wedged)", async () => {
        const { id, token } = await onlineWorkspace(server);
        const mark = await eventMark(server, id);
        const response = await heartbeat(server, id, token, { runtime_state: "wedged", sample_error: "event loop blocked" });
        assert.equal(response.body.workspace_status, "degraded");
        const events = await eventsAfter(server, id, mark);
        assert.deepEqual(typesOf(events), ["WORKSPACE_DEGRADED"]);
        assert.deepEqual(events[0].payload.reasons, ["wedged"]);
        assert.equal(events[0].payload.runtime_state, "wedged");
        const ws = await detail(server, id);
        assert.equal(ws.status, "degraded");
        assert.deepEqual(ws.status_reasons, ["wedged"]);
        assert.equal(ws.last_sample_error, "event loop blocked");
      });

      it("a degraded workspace that is still wedged stays degraded with no event, even with error 0", async () => {
        const { id, token } = await onlineWorkspace(server);
        await heartbeat(server, id, token, { runtime_state: "wedged" });
        const mark = await eventMark(server, id);
        const response = await heartbeat(server, id, token, { runtime_state: "wedged", error_rate: 0 });
        assert.equal(response.body.workspace_status, "degraded");
        assert.deepEqual(await eventsAfter(server, id, mark), []);
      });

      it("a degraded workspace recovers on a heartbeat with empty runtime_state and error 0, with one WORKSPACE_ONLINE", async () => {
        const { id, token } = await onlineWorkspace(server);
        await heartbeat(server, id, token, { runtime_state: "wedged" });
        const mark = await eventMark(server, id);
        const response = await heartbeat(server, id, token, { runtime_state: "", error_rate: 0 });
        assert.equal(response.body.workspace_status, "online");
        const events = await eventsAfter(server, id, mark);
        assert.deepEqual(typesOf(events), ["WORKSPACE_ONLINE"]);
        assert.equal(events[0].payload.from, "degraded");
        assert.deepEqual((await detail(server, id)).status_reasons, []);
      });

      it("the error rate degrades at 0.5, holds the state in [0.1, 0.5), and recovers below 0.1", async () => {
        const { id, token } = await onlineWorkspace(server);
        const mark = await eventMark(server, id);
        const statuses: string[] = [];
        for (const errorRate of [0.5, 0.3, 0.1, 0.09, 0.3]) {
          statuses.push((await heartbeat(server, id, token, { error_rate: errorRate })).body.workspace_status);
        }
        assert.deepEqual(statuses, ["degraded", "degraded", "degraded", "online", "online"]);
        const events = await eventsAfter(server, id, mark);
        assert.deepEqual(typesOf(events), ["WORKSPACE_ONLINE", "WORKSPACE_DEGRADED"]);
        assert.deepEqual(events[1].payload.reasons, ["error_rate"]);
        assert.equal(events[1].payload.error_rate, 0.5);
      });

      it("a status_mgmt runtime is not degraded by its error rate, but is by a wedge, and recovers when the wedge clears", async () => {
        const { id, token } = await onlineWorkspace(server);
        const managed = { runtime_metadata: { capabilities: { status_mgmt: true, heartbeat: true } } };
        assert.equal((await heartbeat(server, id, token, { ...managed, error_rate: 0.9 })).body.workspace_status, "online");
        assert.equal((await heartbeat(server, id, token, { ...managed, error_rate: 0.9, runtime_state: "wedged" })).body.workspace_status, "degraded");
        assert.equal((await heartbeat(server, id, token, { ...managed, error_rate: 0.9 })).body.workspace_status, "online");
      });

      it("a successful register does not force a wedged workspace online: it stays degraded while the wedge lasts", async () => {
        const { id, token } = await onlineWorkspace(server);
        await heartbeat(server, id, token, { runtime_state: "wedged" });
        const mark = await eventMark(server, id);
        const response = await register(server, id, token);
        assert.equal(response.status, 200);
        assert.equal(response.body.workspace_status, "degraded");
        assert.equal((await detail(server, id)).status, "degraded");
        assert.equal(count(await eventsAfter(server, id, mark), "WORKSPACE_ONLINE"), 0);
      });
    });

    describe("rows 16-18 under races: one change, one event", () => {
      it("three concurrent wedged heartbeats degrade the workspace with exactly one WORKSPACE_DEGRADED", async () => {
        const { id, token } = await onlineWorkspace(server);
        const mark = await eventMark(server, id);
        const responses = await Promise.all([1, 2, 3].map((n) => heartbeat(server, id, token, { runtime_state: "wedged", active_tasks: n })));
        for (const response of responses) {
          assert.equal(response.status, 200, JSON.stringify(response.body));
          assert.equal(response.body.workspace_status, "degraded");
        }
        assert.deepEqual(typesOf(await eventsAfter(server, id, mark)), ["WORKSPACE_DEGRADED"]);
      });

      it("a heartbeat racing the liveness sweep never leaves the workspace offline, and every transition has its event", async () => {
        const { id, token } = await onlineWorkspace(server);
        server.clock.advance(91_000);
        const mark = await eventMark(server, id);
        const [beat] = await Promise.all([heartbeat(server, id, token), sweep(server.deps)]);
        assert.equal(beat.status, 200);
        assert.equal((await detail(server, id)).status, "online");
        const events = await eventsAfter(server, id, mark);
        assert.equal(count(events, "WORKSPACE_OFFLINE"), count(events, "WORKSPACE_ONLINE"));
        assert.ok(count(events, "WORKSPACE_OFFLINE") <= 1);
      });
    });

    describe("row 19: heartbeats for removed or unknown workspaces", () => {
      it("a heartbeat for a removed workspace answers 410 workspace_removed and records nothing", async () => {
        const { id, token } = await onlineWorkspace(server);
        assert.equal((await server.admin(`/api/workspaces/${id}`, { method: "DELETE" })).status, 200);
        const before = await detail(server, id);
        const mark = await eventMark(server, id);
        const response = await heartbeat(server, id, token, { error_rate: 0.9 });
        assertError(response, 410, "workspace_removed");
        assert.equal(response.body.error, "workspace removed");
        assert.deepEqual(await detail(server, id), before);
        assert.deepEqual(await eventsAfter(server, id, mark), []);
      });

      it("a heartbeat for an unknown workspace answers 404 unknown_workspace and creates nothing", async () => {
        const { token } = await onlineWorkspace(server);
        const id = randomUUID();
        assertError(await heartbeat(server, id, token), 404, "unknown_workspace");
        assertError(await server.admin(`/api/workspaces/${id}`), 404, "unknown_workspace");
      });
    });

    describe("row 20: the heartbeat card backfill", () => {
      it("a heartbeat fills a missing agent card and records AGENT_CARD_UPDATED (source heartbeat_backfill)", async () => {
        const { id, token } = await server.provision();
        const mark = await eventMark(server, id);
        assert.equal((await heartbeat(server, id, token, { agent_card: CARD })).status, 200);
        assert.deepEqual((await detail(server, id)).agent_card, CARD);
        const updated = (await eventsAfter(server, id, mark)).filter((e) => e.type === "AGENT_CARD_UPDATED");
        assert.equal(updated.length, 1);
        assert.equal(updated[0].payload.source, "heartbeat_backfill");
      });

      it("a heartbeat never overwrites an existing card", async () => {
        const { id, token } = await onlineWorkspace(server);
        const mark = await eventMark(server, id);
        const other = { name: "other", url: URL_OK_2 };
        assert.equal((await heartbeat(server, id, token, { agent_card: other })).status, 200);
        assert.deepEqual((await detail(server, id)).agent_card, CARD);
        assert.equal(count(await eventsAfter(server, id, mark), "AGENT_CARD_UPDATED"), 0);
      });

      it("a heartbeat card whose URL fails validation is not backfilled, but the heartbeat is still accepted", async () => {
        const { id, token } = await server.provision();
        for (const card of [{ name: "agent", url: "http://metadata.example.com/" }, { name: "agent", url: "file:///etc/passwd" }, { name: "agent", url: UNRESOLVABLE }]) {
          const response = await heartbeat(server, id, token, { agent_card: card });
          assert.equal(response.status, 200, JSON.stringify(response.body));
        }
        const ws = await detail(server, id);
        assert.equal(ws.agent_card, null);
        assert.equal(ws.status, "online");
      });
    });

    describe("row 21: the register-failure marker degrades and holds", () => {
      it("a register failure degrades an online workspace with one WORKSPACE_DEGRADED carrying register_failure", async () => {
        const { id, token } = await onlineWorkspace(server);
        const mark = await eventMark(server, id);
        assertError(await register(server, id, token, { url: UNRESOLVABLE }), 400, "url_validate_failed");
        const events = await eventsAfter(server, id, mark);
        assert.equal(count(events, "WORKSPACE_DEGRADED"), 1);
        const degraded = events.find((e) => e.type === "WORKSPACE_DEGRADED");
        assert.deepEqual(degraded.payload.reasons, ["register_failure"]);
        assert.equal(degraded.payload.register_failure, true);
        const ws = await detail(server, id);
        assert.equal(ws.status, "degraded");
        assert.deepEqual(ws.status_reasons, ["register_failure"]);
        assert.equal(ws.markers[0].reason, "url_validate_failed");
      });

      it("a degraded workspace with a 2-minute-old marker stays degraded on a healthy card-less heartbeat, with no event", async () => {
        const { id, token } = await onlineWorkspace(server);
        assertError(await register(server, id, token, { url: UNRESOLVABLE }), 400, "url_validate_failed");
        server.clock.advance(2 * 60_000);
        const mark = await eventMark(server, id);
        const response = await heartbeat(server, id, token, { error_rate: 0 });
        assert.equal(response.status, 200);
        assert.equal(response.body.workspace_status, "degraded");
        assert.deepEqual(await eventsAfter(server, id, mark), []);
        const ws = await detail(server, id);
        assert.equal(ws.status, "degraded");
        assert.equal(ws.markers[0].active, true);
      });
    });

    describe("row 22: update-card", () => {
      it("update-card stores the card, answers {status: updated} and records AGENT_CARD_UPDATED", async () => {
        const { id, token } = await onlineWorkspace(server);
        const mark = await eventMark(server, id);
        const card = { name: "agent", url: URL_OK, skills: [{ id: "s1", name: "search" }] };
        const response = await server.runtime("/registry/update-card", { workspace_id: id, agent_card: card }, token);
        assert.equal(response.status, 200);
        assert.deepEqual(response.body, { status: "updated" });
        assert.deepEqual((await detail(server, id)).agent_card, card);
        const events = await eventsAfter(server, id, mark);
        assert.deepEqual(typesOf(events), ["AGENT_CARD_UPDATED"]);
        assert.deepEqual(events[0].payload.agent_card, card);
      });

      it("update-card with the card already stored writes and emits nothing", async () => {
        const { id, token } = await onlineWorkspace(server);
        const mark = await eventMark(server, id);
        const response = await server.runtime("/registry/update-card", { workspace_id: id, agent_card: CARD }, token);
        assert.deepEqual(response.body, { status: "updated" });
        assert.deepEqual(await eventsAfter(server, id, mark), []);
      });

      it("update-card with malformed JSON or missing fields answers 400 invalid_body and changes nothing", async () => {
        const { id, token } = await onlineWorkspace(server);
        const before = await detail(server, id);
        const mark = await eventMark(server, id);
        for (const body of [`{"workspace_id":"${id}",`, { workspace_id: id }, { agent_card: CARD }, {}]) {
          assertError(await server.runtime("/registry/update-card", body, token), 400, "invalid_body");
        }
        assert.deepEqual(await detail(server, id), before);
        assert.deepEqual(await eventsAfter(server, id, mark), []);
      });

      it("update-card with a metadata URL or a non-HTTP scheme in the card answers 400 url_validate_failed", async () => {
        const { id, token } = await onlineWorkspace(server);
        const mark = await eventMark(server, id);
        for (const url of ["http://169.254.169.254/latest/meta-data", "http://metadata.example.com/", "file:///etc/passwd", "ftp://agent.example.com/"]) {
          const response = await server.runtime("/registry/update-card", { workspace_id: id, agent_card: { name: "agent", url } }, token);
          assertError(response, 400, "url_validate_failed");
        }
        assert.deepEqual((await detail(server, id)).agent_card, CARD);
        assert.deepEqual(await eventsAfter(server, id, mark), []);
      });

      it("a database failure during update-card answers an opaque 500 and keeps the old card", async () => {
        const { id, token } = await onlineWorkspace(server);
        const response = await withFailingCommits(server, Infinity, () =>
          server.runtime("/registry/update-card", { workspace_id: id, agent_card: { name: "new", url: URL_OK_2 } }, token),
        );
        assertError(response, 500, "internal");
        assert.doesNotMatch(JSON.stringify(response.body), /SQLITE|relation|secret|workspaces|disk/i);
        assert.deepEqual((await detail(server, id)).agent_card, CARD);
      });

      it("the opaque 500 of a failed update-card says `failed to update card`, as the reference's body does", async () => {
        const { id, token } = await onlineWorkspace(server);
        const response = await withFailingCommits(server, Infinity, () =>
          server.runtime("/registry/update-card", { workspace_id: id, agent_card: { name: "new", url: URL_OK_2 } }, token),
        );
        assert.equal(response.status, 500);
        assert.equal(response.body.error, "failed to update card");
      });

      it("update-card for a removed workspace answers 410 and keeps the card", async () => {
        const { id, token } = await onlineWorkspace(server);
        await server.admin(`/api/workspaces/${id}`, { method: "DELETE" });
        const response = await server.runtime("/registry/update-card", { workspace_id: id, agent_card: { name: "new", url: URL_OK_2 } }, token);
        assertError(response, 410, "workspace_removed");
        assert.deepEqual((await detail(server, id)).agent_card, CARD);
      });
    });
  });
}
