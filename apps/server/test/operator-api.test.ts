/**
 * The operator REST API (provision, list, detail, events, heartbeat timeline, marker clear, remove, restart,
 * token shown once) and the liveness sweeper, through the real HTTP server on a real database. The sweeper is
 * driven by calling `sweep(server.deps)` after moving the server's clock.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { STATUS_EVENT_TYPES, sweep } from "@rollcall/registry-core";
import { ADMIN_TOKEN, startTestServer, testDatabases, type TestServer } from "./harness.ts";
import { assertError, count, detail, eventMark, eventsAfter, eventsOf } from "./api-helpers.ts";

// Canonical, as the registry stores it: what is sent is what an operator reads back.
const URL_OK = "http://agent.example.com:8000/";
const CARD = { name: "agent", url: URL_OK };
const UNRESOLVABLE = "http://212851b5693d:8000";
const OFFLINE_AFTER_PLUS_1S = 91_000;
const PROVISION_TIMEOUT_PLUS_1S = 10 * 60_000 + 1_000;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

type Reply = { status: number; body: any };

/** An operator request as a named operator (X-Operator-Name), which the harness cannot send. */
async function asOperator(server: TestServer, operator: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<Reply> {
  const response = await fetch(`${server.url}${path}`, {
    method: init.method ?? "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN_TOKEN}`, "x-operator-name": operator },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

const statusEvents = (events: any[]) => events.filter((e) => STATUS_EVENT_TYPES.includes(e.type));

function register(server: TestServer, id: string, token: string, body: Record<string, unknown> = {}) {
  return server.runtime("/registry/register", { id, url: URL_OK, agent_card: CARD, ...body }, token);
}

function heartbeat(server: TestServer, id: string, token: string, body: Record<string, unknown> = {}) {
  return server.runtime("/registry/heartbeat", { workspace_id: id, error_rate: 0, ...body }, token);
}

async function onlineWorkspace(server: TestServer, name?: string): Promise<{ id: string; token: string }> {
  const workspace = await server.provision(name);
  const response = await register(server, workspace.id, workspace.token);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return workspace;
}

/** Online, then degraded by an authenticated failed register: one active register_failure marker. */
async function markedWorkspace(server: TestServer) {
  const workspace = await onlineWorkspace(server);
  assertError(await register(server, workspace.id, workspace.token, { url: UNRESOLVABLE }), 400, "url_validate_failed");
  const ws = await detail(server, workspace.id);
  assert.equal(ws.status, "degraded");
  assert.equal(ws.markers.length, 1);
  return { ...workspace, markerId: ws.markers[0].id as string };
}

async function listIds(server: TestServer, query = ""): Promise<{ ids: string[]; workspaces: any[] }> {
  const response = await server.admin(`/api/workspaces?limit=1000${query}`);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return { ids: response.body.workspaces.map((w: any) => w.id), workspaces: response.body.workspaces };
}

for (const factory of testDatabases()) {
  describe(`operator API on ${factory.provider}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(factory);
    });
    after(async () => {
      await server?.stop();
    });

    describe("provision and read", () => {
      it("provision answers 201 with the id and the token, and the token is never shown again", async () => {
        const response = await server.admin("/api/workspaces", { body: { name: "alpha" } });
        assert.equal(response.status, 201, JSON.stringify(response.body));
        assert.deepEqual(Object.keys(response.body).sort(), ["id", "token"]);
        const { id, token } = response.body;
        assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        assert.match(token, /^[A-Za-z0-9_-]{43}$/);
        const ws = await detail(server, id);
        assert.equal(ws.name, "alpha");
        assert.equal(ws.status, "provisioning");
        const reads = [
          ws,
          (await server.admin("/api/workspaces?limit=1000")).body,
          (await server.admin(`/api/workspaces/${id}/events`)).body,
          (await server.admin("/api/events?limit=500")).body,
          (await server.admin(`/api/workspaces/${id}/heartbeats`)).body,
        ];
        for (const read of reads) assert.ok(!JSON.stringify(read).includes(token), "the token is never readable again");
        assert.equal(ws.token, undefined);
        const events = await eventsOf(server, id);
        assert.deepEqual(events.map((e) => e.type).sort(), ["TOKEN_ISSUED", "WORKSPACE_PROVISIONING"]);
        for (const event of events) assert.equal(event.actor, "operator:admin");
        // The token works at once.
        assert.equal((await register(server, id, token)).status, 200);
      });

      it("provision without a name gives a generated name, and two provisions get different ids and tokens", async () => {
        const a = await server.admin("/api/workspaces", { body: {} });
        const b = await server.admin("/api/workspaces", { body: {} });
        assert.equal(a.status, 201);
        assert.notEqual(a.body.id, b.body.id);
        assert.notEqual(a.body.token, b.body.token);
        const ws = await detail(server, a.body.id);
        assert.equal(typeof ws.name, "string");
        assert.ok(ws.name.length > 0);
      });

      it("the list filters by ?status= and hides removed workspaces unless asked for them", async () => {
        const starting = await server.provision("starting");
        const online = await onlineWorkspace(server, "online");
        const removed = await onlineWorkspace(server, "removed");
        assert.equal((await server.admin(`/api/workspaces/${removed.id}`, { method: "DELETE" })).status, 200);

        const onlineList = await listIds(server, "&status=online");
        assert.ok(onlineList.ids.includes(online.id));
        assert.ok(!onlineList.ids.includes(starting.id));
        assert.ok(onlineList.workspaces.every((w) => w.status === "online"));

        const provisioningList = await listIds(server, "&status=provisioning");
        assert.ok(provisioningList.ids.includes(starting.id));
        assert.ok(!provisioningList.ids.includes(online.id));
        assert.ok(provisioningList.workspaces.every((w) => w.status === "provisioning"));

        const all = await listIds(server);
        assert.ok(all.ids.includes(starting.id) && all.ids.includes(online.id));
        assert.ok(!all.ids.includes(removed.id), "removed workspaces are not listed by default");

        const removedList = await listIds(server, "&status=removed");
        assert.deepEqual(removedList.workspaces.find((w) => w.id === removed.id)?.status, "removed");
        assert.ok(!removedList.ids.includes(online.id));
      });

      it("the detail has the documented shape, markers included", async () => {
        const { id } = await markedWorkspace(server);
        const ws = await detail(server, id);
        for (const key of ["id", "name", "status", "status_reasons", "status_changed_at", "last_heartbeat_at", "last_error_rate", "url", "agent_card", "markers"]) {
          assert.ok(key in ws, `detail has ${key}`);
        }
        assert.equal(ws.id, id);
        assert.equal(ws.status, "degraded");
        assert.deepEqual(ws.status_reasons, ["register_failure"]);
        assert.match(ws.status_changed_at, ISO);
        assert.match(ws.last_heartbeat_at, ISO);
        assert.equal(typeof ws.last_error_rate, "number");
        assert.equal(ws.url, URL_OK);
        assert.deepEqual(ws.agent_card, CARD);
        assert.equal(ws.markers.length, 1);
        const [marker] = ws.markers;
        for (const key of ["id", "kind", "reason", "set_at", "expires_at", "cleared_at", "cleared_by", "clear_reason"]) {
          assert.ok(key in marker, `marker has ${key}`);
        }
        assert.equal(marker.kind, "register_failure");
        assert.equal(marker.reason, "url_validate_failed");
        assert.match(marker.set_at, ISO);
        assert.match(marker.expires_at, ISO);
        assert.equal(Date.parse(marker.expires_at) - Date.parse(marker.set_at), 5 * 60_000);
        assert.equal(marker.cleared_at, null);
        assert.equal(marker.cleared_by, null);
        assert.equal(marker.clear_reason, null);
      });

      it("the events list pages newest first with a cursor, and filters by type", async () => {
        const { id, token } = await onlineWorkspace(server);
        for (let i = 0; i < 3; i++) {
          await heartbeat(server, id, token, { runtime_state: "wedged" });
          await heartbeat(server, id, token);
        }
        const all = await eventsOf(server, id);
        assert.ok(all.length >= 10, `expected at least 10 events, got ${all.length}`);
        for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].id > all[i].id, "newest first");
        for (const event of all) {
          assert.deepEqual(Object.keys(event).sort(), ["actor", "at", "id", "payload", "type", "workspace_id"]);
          assert.equal(event.workspace_id, id);
          assert.match(event.at, ISO);
        }

        const paged: any[] = [];
        let cursor: number | null = null;
        for (let page = 0; page < 50; page++) {
          const response = await server.admin(`/api/workspaces/${id}/events?limit=3${cursor === null ? "" : `&before=${cursor}`}`);
          assert.equal(response.status, 200);
          assert.ok(response.body.events.length <= 3);
          paged.push(...response.body.events);
          cursor = response.body.next_cursor;
          if (cursor === null) break;
        }
        assert.deepEqual(paged, all);

        const online = await server.admin(`/api/workspaces/${id}/events?type=WORKSPACE_ONLINE`);
        assert.equal(online.body.events.length, 4);
        assert.ok(online.body.events.every((e: any) => e.type === "WORKSPACE_ONLINE"));

        // Tailing: events after a cursor come oldest first.
        const oldest = all.at(-1);
        const tail = await server.admin(`/api/workspaces/${id}/events?after=${oldest.id}&limit=100`);
        assert.deepEqual(tail.body.events, all.slice(0, -1).reverse());
      });

      it("every accepted heartbeat becomes a timeline sample with at, error_rate, active_tasks and status", async () => {
        const { id, token } = await onlineWorkspace(server);
        const beats = [
          { error_rate: 0, active_tasks: 1 },
          { error_rate: 0.2, active_tasks: 2 },
          { error_rate: 0.6, active_tasks: 3 },
        ];
        const times: number[] = [];
        for (const beat of beats) {
          server.clock.advance(30_000);
          times.push(server.clock.now());
          assert.equal((await heartbeat(server, id, token, beat)).status, 200);
          // Refused heartbeats leave no sample.
          assertError(await heartbeat(server, id, token, { error_rate: 7 }), 400, "invalid_body");
        }
        assertError(await heartbeat(server, id, "wrong-token", { error_rate: 0.9 }), 401, "invalid_token");
        const response = await server.admin(`/api/workspaces/${id}/heartbeats`);
        assert.equal(response.status, 200, JSON.stringify(response.body));
        assert.equal(response.body.workspace_id, id);
        const samples = response.body.samples;
        assert.equal(samples.length, 3);
        samples.forEach((sample: any, i: number) => {
          assert.deepEqual(Object.keys(sample).sort(), ["active_tasks", "at", "error_rate", "status"]);
          assert.ok(Math.abs(Date.parse(sample.at) - (times[i] ?? 0)) < 2_000);
          assert.equal(sample.error_rate, beats[i]?.error_rate);
          assert.equal(sample.active_tasks, beats[i]?.active_tasks);
        });
        assert.deepEqual(samples.map((s: any) => s.status), ["online", "online", "degraded"]);
        // A shorter window keeps only the recent samples.
        server.clock.advance(45_000);
        const recent = await server.admin(`/api/workspaces/${id}/heartbeats?minutes=1`);
        assert.equal(recent.body.samples.length, 1);
        assert.equal(recent.body.samples[0].active_tasks, 3);
      });
    });

    describe("clearing a marker", () => {
      it("an operator clears a marker with a reason: audited, and the status recovers at once", async () => {
        const { id, markerId } = await markedWorkspace(server);
        const mark = await eventMark(server, id);
        const reason = "hostname fixed in the compose file";
        const response = await asOperator(server, "alice", `/api/workspaces/${id}/markers/${markerId}/clear`, { body: { reason } });
        assert.equal(response.status, 200, JSON.stringify(response.body));
        assert.equal(response.body.status_before, "degraded");
        assert.equal(response.body.status_after, "online");
        assert.equal(response.body.marker.id, markerId);
        assert.equal(response.body.marker.cleared_by, "operator:alice");
        assert.equal(response.body.marker.clear_reason, reason);

        const ws = await detail(server, id);
        assert.equal(ws.status, "online");
        assert.deepEqual(ws.status_reasons, []);
        assert.equal(ws.markers[0].cleared_by, "operator:alice");
        assert.equal(ws.markers[0].clear_reason, reason);
        assert.match(ws.markers[0].cleared_at, ISO);

        const events = await eventsAfter(server, id, mark);
        assert.equal(count(events, "MARKER_CLEARED"), 1);
        const cleared = events.find((e) => e.type === "MARKER_CLEARED");
        assert.equal(cleared.actor, "operator:alice");
        assert.equal(cleared.payload.by, "operator:alice");
        assert.equal(cleared.payload.clear_reason, reason);
        assert.equal(cleared.payload.status_before, "degraded");
        assert.equal(cleared.payload.status_after, "online");
        assert.equal(cleared.payload.marker_id, markerId);
        assert.equal(count(events, "WORKSPACE_ONLINE"), 1);
        assert.equal(events.find((e) => e.type === "WORKSPACE_ONLINE").actor, "operator:alice");
      });

      it("without X-Operator-Name the clear is attributed to operator:admin", async () => {
        const { id, markerId } = await markedWorkspace(server);
        const response = await server.admin(`/api/workspaces/${id}/markers/${markerId}/clear`, { body: { reason: "verified DNS" } });
        assert.equal(response.status, 200);
        const cleared = (await eventsOf(server, id)).find((e) => e.type === "MARKER_CLEARED");
        assert.equal(cleared.payload.by, "operator:admin");
      });

      it("clearing needs a reason: 400 invalid_body, and the marker stays active", async () => {
        const { id, markerId } = await markedWorkspace(server);
        const before = await detail(server, id);
        const mark = await eventMark(server, id);
        for (const body of [{}, { reason: "" }, { reason: "   " }, { reason: "ok" }, { reason: null }]) {
          assertError(await server.admin(`/api/workspaces/${id}/markers/${markerId}/clear`, { method: "POST", body }), 400, "invalid_body");
        }
        assertError(await server.admin(`/api/workspaces/${id}/markers/${markerId}/clear`, { method: "POST" }), 400, "invalid_body");
        assert.deepEqual(await detail(server, id), before);
        assert.deepEqual(await eventsAfter(server, id, mark), []);
      });

      it("clearing an already-cleared marker answers 409 marker_not_active and changes nothing", async () => {
        const { id, markerId } = await markedWorkspace(server);
        const path = `/api/workspaces/${id}/markers/${markerId}/clear`;
        assert.equal((await server.admin(path, { body: { reason: "first clear" } })).status, 200);
        const before = await detail(server, id);
        const mark = await eventMark(server, id);
        assertError(await server.admin(path, { body: { reason: "second clear" } }), 409, "marker_not_active");
        assert.deepEqual(await detail(server, id), before);
        assert.equal(before.markers[0].clear_reason, "first clear");
        assert.deepEqual(await eventsAfter(server, id, mark), []);
      });

      it("clearing an expired marker answers 409 marker_not_active", async () => {
        const { id, markerId } = await markedWorkspace(server);
        server.clock.advance(5 * 60_000 + 1_000);
        assertError(await server.admin(`/api/workspaces/${id}/markers/${markerId}/clear`, { body: { reason: "too late" } }), 409, "marker_not_active");
      });

      it("clearing an unknown marker, or another workspace's marker, answers 404 unknown_marker", async () => {
        const { id, markerId } = await markedWorkspace(server);
        const other = await onlineWorkspace(server);
        assertError(await server.admin(`/api/workspaces/${id}/markers/${randomUUID()}/clear`, { body: { reason: "no such marker" } }), 404, "unknown_marker");
        assertError(await server.admin(`/api/workspaces/${other.id}/markers/${markerId}/clear`, { body: { reason: "wrong workspace" } }), 404, "unknown_marker");
        const ws = await detail(server, id);
        assert.equal(ws.markers[0].active, true);
        assert.equal(ws.status, "degraded");
      });
    });

    describe("remove and restart", () => {
      it("remove sets removed, revokes the tokens, records WORKSPACE_REMOVED, and later heartbeats get 410", async () => {
        const { id, token } = await onlineWorkspace(server);
        const mark = await eventMark(server, id);
        const response = await asOperator(server, "carol", `/api/workspaces/${id}`, { method: "DELETE" });
        assert.equal(response.status, 200, JSON.stringify(response.body));
        assert.deepEqual(response.body, { id, status: "removed" });
        const ws = await detail(server, id);
        assert.equal(ws.status, "removed");
        const events = await eventsAfter(server, id, mark);
        assert.deepEqual(events.map((e) => e.type), ["WORKSPACE_REMOVED"]);
        assert.equal(events[0].actor, "operator:carol");
        assert.equal(events[0].payload.from, "online");
        assertError(await heartbeat(server, id, token), 410, "workspace_removed");
        assertError(await register(server, id, token), 410, "workspace_removed");
        // Nothing brings it back, and a second removal is refused.
        assertError(await server.admin(`/api/workspaces/${id}/restart`, { body: {} }), 410, "workspace_removed");
        assertError(await server.admin(`/api/workspaces/${id}/token`, { body: {} }), 410, "workspace_removed");
        assertError(await server.admin(`/api/workspaces/${id}`, { method: "DELETE" }), 410, "workspace_removed");
        assert.equal((await detail(server, id)).status, "removed");
      });

      it("restart sets provisioning with no URL, records WORKSPACE_PROVISIONING, and the runtime can register again", async () => {
        const { id, token } = await onlineWorkspace(server);
        await heartbeat(server, id, token, { error_rate: 0.3, runtime_state: "wedged" });
        const mark = await eventMark(server, id);
        const response = await asOperator(server, "bob", `/api/workspaces/${id}/restart`, { body: {} });
        assert.equal(response.status, 200, JSON.stringify(response.body));
        assert.deepEqual(response.body, { id, status: "provisioning" });
        const ws = await detail(server, id);
        assert.equal(ws.status, "provisioning");
        assert.equal(ws.url, null);
        assert.deepEqual(ws.status_reasons, ["operator_restart"]);
        assert.deepEqual(ws.agent_card, CARD);
        const events = await eventsAfter(server, id, mark);
        assert.deepEqual(events.map((e) => e.type).sort(), ["RESTART_CONTEXT_QUEUED", "WORKSPACE_PROVISIONING"]);
        const provisioning = events.find((e) => e.type === "WORKSPACE_PROVISIONING");
        assert.equal(provisioning.actor, "operator:bob");
        assert.equal(provisioning.payload.from, "degraded");
        assert.equal(provisioning.payload.to, "provisioning");
        // The old session's wedge does not judge the new one.
        const again = await register(server, id, token);
        assert.equal(again.status, 200);
        assert.equal(again.body.workspace_status, "online");
      });
    });

    describe("the liveness sweeper", () => {
      it("a workspace heard from within 90 s stays online through a sweep", async () => {
        const { id, token } = await onlineWorkspace(server);
        await heartbeat(server, id, token);
        server.clock.advance(60_000);
        await sweep(server.deps);
        assert.equal((await detail(server, id)).status, "online");
      });

      it("a silent online workspace goes offline with exactly one WORKSPACE_OFFLINE, and a second sweep adds nothing", async () => {
        const { id, token } = await onlineWorkspace(server);
        await heartbeat(server, id, token);
        const mark = await eventMark(server, id);
        server.clock.advance(OFFLINE_AFTER_PLUS_1S);
        await sweep(server.deps);
        const ws = await detail(server, id);
        assert.equal(ws.status, "offline");
        assert.deepEqual(ws.status_reasons, ["heartbeat_timeout"]);
        let events = await eventsAfter(server, id, mark);
        assert.deepEqual(statusEvents(events).map((e) => e.type), ["WORKSPACE_OFFLINE"]);
        const offline = events.find((e) => e.type === "WORKSPACE_OFFLINE");
        assert.equal(offline.actor, "sweeper");
        assert.equal(offline.payload.from, "online");
        assert.deepEqual(offline.payload.reasons, ["heartbeat_timeout"]);
        await sweep(server.deps);
        server.clock.advance(60_000);
        await sweep(server.deps);
        events = await eventsAfter(server, id, mark);
        assert.equal(count(events, "WORKSPACE_OFFLINE"), 1);
        assert.equal((await detail(server, id)).status, "offline");
      });

      it("a silent degraded workspace goes offline too", async () => {
        const { id, token } = await onlineWorkspace(server);
        await heartbeat(server, id, token, { runtime_state: "wedged" });
        server.clock.advance(OFFLINE_AFTER_PLUS_1S);
        await sweep(server.deps);
        assert.equal((await detail(server, id)).status, "offline");
      });

      it("a workspace provisioning for more than 10 minutes fails with one WORKSPACE_PROVISION_FAILED", async () => {
        const { id } = await server.provision("never-starts");
        server.clock.advance(9 * 60_000);
        await sweep(server.deps);
        assert.equal((await detail(server, id)).status, "provisioning");
        const mark = await eventMark(server, id);
        server.clock.advance(PROVISION_TIMEOUT_PLUS_1S - 9 * 60_000);
        await sweep(server.deps);
        await sweep(server.deps);
        const ws = await detail(server, id);
        assert.equal(ws.status, "failed");
        assert.deepEqual(ws.status_reasons, ["provision_timeout"]);
        const events = await eventsAfter(server, id, mark);
        assert.deepEqual(statusEvents(events).map((e) => e.type), ["WORKSPACE_PROVISION_FAILED"]);
        assert.equal(events[0].payload.from, "provisioning");
        assert.deepEqual(events[0].payload.reasons, ["provision_timeout"]);
      });

      it("a heartbeat with error_rate 0.9 after offline goes straight to degraded (one WORKSPACE_DEGRADED, no WORKSPACE_ONLINE)", async () => {
        const { id, token } = await onlineWorkspace(server);
        server.clock.advance(OFFLINE_AFTER_PLUS_1S);
        await sweep(server.deps);
        assert.equal((await detail(server, id)).status, "offline");
        const mark = await eventMark(server, id);
        const response = await heartbeat(server, id, token, { error_rate: 0.9 });
        assert.equal(response.status, 200);
        assert.equal(response.body.workspace_status, "degraded");
        const events = await eventsAfter(server, id, mark);
        assert.deepEqual(statusEvents(events).map((e) => e.type), ["WORKSPACE_DEGRADED"]);
        const degraded = events.find((e) => e.type === "WORKSPACE_DEGRADED");
        assert.equal(degraded.payload.from, "offline");
        assert.deepEqual(degraded.payload.reasons, ["error_rate"]);
        assert.equal(count(events, "WORKSPACE_ONLINE"), 0);
      });
    });

    describe("restart context", () => {
      it("a workspace that went offline and registers again gets its restart context once, recorded as queued and delivered", async () => {
        const { id, token } = await onlineWorkspace(server);
        assert.equal((await heartbeat(server, id, token, { uptime_seconds: 120 })).status, 200);
        const lastBeat = server.clock.now();
        server.clock.advance(OFFLINE_AFTER_PLUS_1S);
        await sweep(server.deps);
        assert.equal((await detail(server, id)).status, "offline");
        const mark = await eventMark(server, id);

        const response = await register(server, id, token);
        assert.equal(response.status, 200);
        assert.equal(response.body.workspace_status, "online");
        const context = response.body.restart_context;
        assert.ok(context, "the register response carries the restart context");
        assert.match(context.restart_at, ISO);
        assert.ok(Math.abs(Date.parse(context.restart_at) - server.clock.now()) < 2_000);
        assert.match(context.previous_session_end, ISO);
        assert.ok(Math.abs(Date.parse(context.previous_session_end) - lastBeat) < 2_000);
        assert.equal(typeof context.gap_seconds, "number");
        assert.ok(Math.abs(context.gap_seconds - 91) <= 2, `gap_seconds ${context.gap_seconds}`);

        let events = await eventsAfter(server, id, mark);
        assert.equal(count(events, "RESTART_CONTEXT_QUEUED"), 1);
        assert.equal(count(events, "RESTART_CONTEXT_DELIVERED"), 1);
        assert.equal(events.find((e) => e.type === "RESTART_CONTEXT_DELIVERED").payload.restart_at, context.restart_at);
        assert.equal((await detail(server, id)).restart_context_pending, false);

        // The new session's heartbeats (its uptime starts again from zero) do not get it a second time.
        for (const uptime of [5, 35]) {
          server.clock.advance(30_000);
          const beat = await heartbeat(server, id, token, { uptime_seconds: uptime });
          assert.equal(beat.status, 200);
          assert.equal(beat.body.restart_context, undefined, `heartbeat with uptime ${uptime} carries no second restart context`);
        }
        const again = await register(server, id, token);
        assert.equal(again.body.restart_context, undefined);
        events = await eventsAfter(server, id, mark);
        assert.equal(count(events, "RESTART_CONTEXT_QUEUED"), 1);
        assert.equal(count(events, "RESTART_CONTEXT_DELIVERED"), 1);
      });

      it("after an operator restart, the new runtime's register carries the restart context", async () => {
        const { id, token } = await onlineWorkspace(server);
        await heartbeat(server, id, token, { uptime_seconds: 600 });
        server.clock.advance(20_000);
        await server.admin(`/api/workspaces/${id}/restart`, { body: {} });
        const response = await register(server, id, token);
        assert.equal(response.status, 200);
        assert.ok(response.body.restart_context);
        assert.ok(Math.abs(response.body.restart_context.gap_seconds - 20) <= 2);
      });

      it("a genuine first boot gets no restart context", async () => {
        const { id, token } = await server.provision();
        const response = await register(server, id, token);
        assert.equal(response.body.restart_context, undefined);
        assert.equal((await heartbeat(server, id, token)).body.restart_context, undefined);
        assert.equal(count(await eventsOf(server, id), "RESTART_CONTEXT_QUEUED"), 0);
      });

      it("a restart context waits while the workspace is not online and is delivered on the heartbeat that brings it online", async () => {
        const { id, token } = await onlineWorkspace(server);
        await heartbeat(server, id, token, { uptime_seconds: 60, runtime_state: "wedged" });
        server.clock.advance(OFFLINE_AFTER_PLUS_1S);
        await sweep(server.deps);
        // The wedged session comes back: register cannot bring it online, so the context stays queued.
        const registered = await register(server, id, token);
        assert.equal(registered.body.workspace_status, "degraded");
        assert.equal(registered.body.restart_context, undefined);
        assert.equal((await detail(server, id)).restart_context_pending, true);
        const queued = (await eventsOf(server, id)).find((e) => e.type === "RESTART_CONTEXT_QUEUED")?.payload;
        assert.ok(queued);
        // The new session's first heartbeat: healthy, with its uptime counting from its own boot.
        const beat = await heartbeat(server, id, token, { uptime_seconds: 10 });
        assert.equal(beat.body.workspace_status, "online");
        assert.ok(beat.body.restart_context, "delivered on the heartbeat that brings it online");
        // It is the context queued at the register, about the session that ended before the offline gap.
        assert.deepEqual(beat.body.restart_context, queued);
        assert.ok(Math.abs(beat.body.restart_context.gap_seconds - 91) <= 2, `gap_seconds ${beat.body.restart_context.gap_seconds}`);
        assert.equal((await detail(server, id)).restart_context_pending, false);
      });

      it("an undelivered restart context expires after 30 minutes (RESTART_CONTEXT_EXPIRED)", async () => {
        const { id, token } = await onlineWorkspace(server);
        await heartbeat(server, id, token, { runtime_state: "wedged" });
        server.clock.advance(OFFLINE_AFTER_PLUS_1S);
        await sweep(server.deps);
        await register(server, id, token);
        assert.equal((await detail(server, id)).restart_context_pending, true);
        server.clock.advance(30 * 60_000 + 1_000);
        await sweep(server.deps);
        assert.equal((await detail(server, id)).restart_context_pending, false);
        assert.equal(count(await eventsOf(server, id), "RESTART_CONTEXT_EXPIRED"), 1);
      });
    });
  });

  describe(`the sweep's next deadline on ${factory.provider}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(factory);
    });
    after(async () => {
      await server?.stop();
    });
    const at = (iso: string) => Date.parse(iso);

    it("is the soonest of a provisioning workspace's timeout, a live workspace's 90 s and a degrading marker's expiry", async () => {
      assert.equal((await sweep(server.deps)).nextDueAt, null, "an empty registry has nothing due");

      const waiting = await server.provision("waiting");
      const provisionedAt = at((await detail(server, waiting.id)).status_changed_at);
      assert.equal((await sweep(server.deps)).nextDueAt, provisionedAt + 10 * 60_000);

      const marked = await markedWorkspace(server);
      const markedView = await detail(server, marked.id);
      assert.equal((await sweep(server.deps)).nextDueAt, at(markedView.last_heartbeat_at) + 90_000, "the 90 s come before the marker's 5 min");

      // Card-less beats keep it alive without clearing the marker: 4.5 minutes on, the marker expires first.
      for (let minute = 0; minute < 9; minute++) {
        server.clock.advance(30_000);
        assert.equal((await heartbeat(server, marked.id, marked.token)).status, 200);
      }
      assert.equal((await detail(server, marked.id)).status, "degraded");
      assert.equal((await sweep(server.deps)).nextDueAt, at(markedView.markers[0].expires_at));
    });
  });
}
