/**
 * Incident #2739 regression (reference §9.1, R1-R10), through the real HTTP server on a real database.
 *
 * A restarted workspace advertised an unresolvable Docker hostname, its authenticated register answered 400 and
 * stamped the register-failure marker, and the card-bearing heartbeats that followed never cleared it because the
 * clear lived inside the `agent_card IS NULL` backfill. Rollcall must clear the marker on any authenticated
 * heartbeat carrying a usable card, before the status decision, so the workspace recovers on that same heartbeat.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestServer, testDatabases, type TestServer } from "./harness.ts";
import { activeMarkers, assertError, count, detail, eventMark, eventsAfter, eventsOf } from "./api-helpers.ts";
import { CARD, onlineWorkspace, register, UNRESOLVABLE, URL_OK } from "./fixtures.ts";

/**
 * C' (C is CARD, the card stored before the restart, canonical so that "card C is kept" compares what was sent with
 * what is stored): what the restarted runtime sends on its heartbeats, a different, valid card.
 */
const CARD_PRIME = { name: "agent", url: "http://agent2.example.com:8000/", version: "2" };
/** The Docker container id the restarted runtime advertised; FAKE_DNS cannot resolve it. */
const DOCKER_URL = UNRESOLVABLE;
const MARKER_WINDOW_PLUS_1S = 5 * 60_000 + 1_000;

/**
 * The incident runtime's heartbeat: healthy, idle, 30 s up unless `extra` says otherwise. Not the shared `heartbeat`
 * fixture: the uptime matters here, since one that goes backwards marks a new session for the restart context.
 */
function heartbeat(server: TestServer, id: string, token: string | undefined, extra: Record<string, unknown> = {}) {
  return server.runtime("/registry/heartbeat", { workspace_id: id, error_rate: 0, active_tasks: 0, uptime_seconds: 30, ...extra }, token);
}

/** W: online, with card C stored and live token T, and heard from once (the incident's starting point). */
async function heardFromWorkspace(server: TestServer): Promise<{ id: string; token: string }> {
  const workspace = await onlineWorkspace(server, "incident-2739");
  assert.equal((await heartbeat(server, workspace.id, workspace.token)).body.workspace_status, "online");
  return workspace;
}

async function restart(server: TestServer, id: string) {
  const response = await server.admin(`/api/workspaces/${id}/restart`, { method: "POST", body: {} });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response;
}

/** R1 + R2: restarted, then the new container's authenticated register fails on the unresolvable hostname. */
async function restartedWithFailedRegister(server: TestServer) {
  const workspace = await heardFromWorkspace(server);
  await restart(server, workspace.id);
  assertError(await register(server, workspace.id, workspace.token, { url: DOCKER_URL }), 400, "url_validate_failed");
  return workspace;
}

/** R4's starting point: online, then degraded by an authenticated failed register (marker set now). */
async function degradedByMarker(server: TestServer) {
  const workspace = await heardFromWorkspace(server);
  assertError(await register(server, workspace.id, workspace.token, { url: DOCKER_URL }), 400, "url_validate_failed");
  const ws = await detail(server, workspace.id);
  assert.equal(ws.status, "degraded");
  assert.deepEqual(ws.status_reasons, ["register_failure"]);
  return workspace;
}

for (const factory of testDatabases()) {
  describe(`incident #2739 regression (reference §9.1) on ${factory.provider}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(factory);
    });
    after(async () => {
      await server?.stop();
    });

    it("R1: restarting an online workspace sets provisioning with no URL, emits WORKSPACE_PROVISIONING and captures the restart context", async () => {
      const { id, token } = await heardFromWorkspace(server);
      const mark = await eventMark(server, id);
      const response = await restart(server, id);
      assert.deepEqual(response.body, { id, status: "provisioning" });
      const ws = await detail(server, id);
      assert.equal(ws.status, "provisioning");
      assert.equal(ws.url, null);
      assert.deepEqual(ws.agent_card, CARD, "the restart keeps the stored card C");
      const events = await eventsAfter(server, id, mark);
      assert.deepEqual(events.map((e) => e.type).sort(), ["RESTART_CONTEXT_QUEUED", "WORKSPACE_PROVISIONING"]);
      const provisioning = events.find((e) => e.type === "WORKSPACE_PROVISIONING");
      assert.equal(provisioning.payload.from, "online");
      assert.equal(provisioning.payload.to, "provisioning");
      // T is still live after the restart.
      assert.notEqual((await heartbeat(server, id, token)).status, 401);
    });

    it("R2: the restarted runtime's authenticated register with an unresolvable hostname answers 400, stamps the marker now and shows degraded", async () => {
      const { id, token } = await heardFromWorkspace(server);
      await restart(server, id);
      const mark = await eventMark(server, id);
      const response = await register(server, id, token, { url: DOCKER_URL });
      assertError(response, 400, "url_validate_failed");
      assert.match(response.body.error, /cannot be resolved/);
      assert.doesNotMatch(response.body.error, /^invalid request body/, "the validator's own message is returned");
      const ws = await detail(server, id);
      const markers = activeMarkers(ws);
      assert.equal(markers.length, 1);
      assert.equal(markers[0].kind, "register_failure");
      assert.equal(markers[0].reason, "url_validate_failed");
      assert.ok(Math.abs(Date.parse(markers[0].set_at) - server.clock.now()) < 5_000, "the marker is about now");
      assert.deepEqual(ws.agent_card, CARD, "agent_card is still C");
      assert.equal(ws.url, null);
      // The authenticated call proves the runtime is up, so the operator sees why it is in trouble at once.
      assert.equal(ws.status, "degraded");
      assert.deepEqual(ws.status_reasons, ["register_failure"]);
      const events = await eventsAfter(server, id, mark);
      assert.equal(count(events, "MARKER_SET"), 1);
      assert.equal(count(events, "WORKSPACE_ONLINE"), 0);
      const degraded = events.filter((e: any) => e.type === "WORKSPACE_DEGRADED");
      assert.equal(degraded.length, 1);
      assert.equal(degraded[0].payload.from, "provisioning");
      assert.deepEqual(degraded[0].payload.reasons, ["register_failure"]);
    });

    it("R3: a card-bearing heartbeat clears the marker, keeps card C, and the workspace ends online in that same request", async () => {
      const { id, token } = await restartedWithFailedRegister(server);
      const mark = await eventMark(server, id);
      const response = await heartbeat(server, id, token, { agent_card: CARD_PRIME });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      assert.equal(response.body.status, "ok");
      assert.equal(response.body.workspace_status, "online");
      const ws = await detail(server, id);
      assert.equal(ws.status, "online");
      assert.deepEqual(activeMarkers(ws), [], "the marker is cleared");
      assert.equal(ws.markers[0].cleared_by, "runtime");
      assert.ok(ws.markers[0].cleared_at);
      assert.deepEqual(ws.agent_card, CARD, "the backfill did not overwrite C with C'");
      assert.deepEqual(ws.status_reasons, []);
      const events = await eventsAfter(server, id, mark);
      assert.equal(count(events, "WORKSPACE_DEGRADED"), 0, "no WORKSPACE_DEGRADED with register_failure");
      assert.equal(count(events, "WORKSPACE_ONLINE"), 1, "exactly one WORKSPACE_ONLINE in this request");
      assert.equal(count(events, "MARKER_CLEARED"), 1);
      assert.equal(count(events, "AGENT_CARD_UPDATED"), 0);
      // And it stays online on the heartbeats that follow, well inside the old 5-minute window.
      server.clock.advance(30_000);
      assert.equal((await heartbeat(server, id, token, { agent_card: CARD_PRIME })).body.workspace_status, "online");
      assert.equal((await heartbeat(server, id, token)).body.workspace_status, "online");
    });

    it("R4: an already-degraded workspace with a 1-minute-old marker recovers on its first card-bearing heartbeat", async () => {
      const { id, token } = await degradedByMarker(server);
      server.clock.advance(60_000);
      const mark = await eventMark(server, id);
      const response = await heartbeat(server, id, token, { agent_card: CARD_PRIME });
      assert.equal(response.status, 200);
      assert.equal(response.body.workspace_status, "online");
      const ws = await detail(server, id);
      assert.equal(ws.status, "online");
      assert.deepEqual(activeMarkers(ws), []);
      assert.deepEqual(ws.agent_card, CARD);
      const events = await eventsAfter(server, id, mark);
      assert.equal(count(events, "WORKSPACE_ONLINE"), 1);
      assert.equal(count(events, "WORKSPACE_DEGRADED"), 0);
      assert.equal(events.find((e) => e.type === "WORKSPACE_ONLINE").payload.from, "degraded");
    });

    it("R5: a degraded workspace stays degraded and keeps its marker on a heartbeat without an agent card", async () => {
      const { id, token } = await degradedByMarker(server);
      server.clock.advance(60_000);
      const mark = await eventMark(server, id);
      const response = await heartbeat(server, id, token);
      assert.equal(response.status, 200);
      assert.equal(response.body.workspace_status, "degraded");
      const ws = await detail(server, id);
      assert.equal(ws.status, "degraded");
      assert.equal(activeMarkers(ws).length, 1, "the marker is kept");
      assert.deepEqual(await eventsAfter(server, id, mark), []);
    });

    it("R6: a card-bearing heartbeat with a wrong bearer answers 401 and leaves the marker and status unchanged", async () => {
      const { id } = await degradedByMarker(server);
      const other = await server.provision("someone-else");
      const before = await detail(server, id);
      const mark = await eventMark(server, id);
      for (const wrong of ["not-a-real-token", other.token]) {
        assertError(await heartbeat(server, id, wrong, { agent_card: CARD_PRIME }), 401, "invalid_token");
      }
      assertError(await heartbeat(server, id, undefined, { agent_card: CARD_PRIME }), 401, "missing_token");
      const ws = await detail(server, id);
      assert.deepEqual(ws, before);
      assert.equal(ws.status, "degraded");
      assert.equal(activeMarkers(ws).length, 1);
      assert.deepEqual(await eventsAfter(server, id, mark), []);
    });

    it("R7: a register without a bearer while T is live answers 401, stamps nothing, and the workspace never degrades", async () => {
      const { id, token } = await heardFromWorkspace(server);
      await restart(server, id);
      const mark = await eventMark(server, id);
      const response = await register(server, id, undefined, { url: DOCKER_URL });
      assertError(response, 401, "missing_token");
      let ws = await detail(server, id);
      assert.deepEqual(ws.markers, [], "no stamp");
      assert.equal(ws.status, "provisioning");
      // The next healthy heartbeat, even without a card, finds nothing to hold it back.
      assert.equal((await heartbeat(server, id, token)).body.workspace_status, "online");
      ws = await detail(server, id);
      assert.equal(ws.status, "online");
      const events = await eventsAfter(server, id, mark);
      assert.equal(count(events, "WORKSPACE_DEGRADED"), 0);
      assert.equal(count(events, "MARKER_SET"), 0);
    });

    it("R8: once the marker is 5 min + 1 s old, a healthy card-less heartbeat brings a degraded workspace online", async () => {
      const { id, token } = await degradedByMarker(server);
      server.clock.advance(MARKER_WINDOW_PLUS_1S);
      const mark = await eventMark(server, id);
      const response = await heartbeat(server, id, token);
      assert.equal(response.status, 200);
      assert.equal(response.body.workspace_status, "online");
      const ws = await detail(server, id);
      assert.equal(ws.status, "online");
      assert.deepEqual(activeMarkers(ws), [], "the window has expired");
      const events = await eventsAfter(server, id, mark);
      assert.equal(count(events, "WORKSPACE_ONLINE"), 1);
    });

    it("R9: a successful register after the failed one clears the marker and emits WORKSPACE_ONLINE", async () => {
      const { id, token } = await restartedWithFailedRegister(server);
      const mark = await eventMark(server, id);
      const response = await register(server, id, token, { url: URL_OK });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      assert.equal(response.body.status, "registered");
      assert.equal(response.body.workspace_status, "online");
      const ws = await detail(server, id);
      assert.equal(ws.status, "online");
      assert.equal(ws.url, URL_OK);
      assert.deepEqual(activeMarkers(ws), []);
      assert.ok(ws.markers[0].cleared_at, "the marker is cleared, not merely expired");
      const events = await eventsAfter(server, id, mark);
      assert.equal(count(events, "WORKSPACE_ONLINE"), 1);
      assert.equal(count(events, "MARKER_CLEARED"), 1);
    });

    describe("R10: an unusable card neither clears the marker nor backfills", () => {
      const unusableCards: [string, unknown][] = [
        ["JSON null", null],
        ["an empty object {}", {}],
        ["an array", [CARD]],
        ["a string", "agent"],
        ["a card whose URL cannot be resolved", { name: "agent", url: DOCKER_URL }],
        ["a card whose URL resolves to the metadata address", { name: "agent", url: "http://metadata.example.com:8000" }],
        ["a card whose URL is a private address", { name: "agent", url: "http://10.0.0.5:8000" }],
        ["a card with a non-HTTP URL", { name: "agent", url: "file:///etc/passwd" }],
      ];

      for (const [label, card] of unusableCards) {
        it(`a heartbeat carrying ${label} keeps the marker of a restarted workspace, and the workspace stays degraded`, async () => {
          const { id, token } = await restartedWithFailedRegister(server);
          const response = await heartbeat(server, id, token, { agent_card: card });
          assert.equal(response.status, 200, JSON.stringify(response.body));
          assert.equal(response.body.workspace_status, "degraded");
          const ws = await detail(server, id);
          assert.equal(activeMarkers(ws).length, 1);
          assert.deepEqual(ws.agent_card, CARD);
          const events = await eventsOf(server, id);
          assert.equal(count(events, "MARKER_CLEARED"), 0);
        });

        it(`a heartbeat carrying ${label} does not backfill a missing card nor clear the marker`, async () => {
          // Never registered successfully: no card stored, and the failed register stamped the marker.
          const { id, token } = await server.provision("never-registered");
          assertError(await register(server, id, token, { url: DOCKER_URL }), 400, "url_validate_failed");
          const response = await heartbeat(server, id, token, { agent_card: card });
          assert.equal(response.status, 200, JSON.stringify(response.body));
          const ws = await detail(server, id);
          assert.equal(ws.agent_card, null, "no backfill");
          assert.equal(activeMarkers(ws).length, 1, "the marker is kept");
          assert.equal(ws.status, "degraded");
          const events = await eventsOf(server, id);
          assert.equal(count(events, "AGENT_CARD_UPDATED"), 0);
          assert.equal(count(events, "MARKER_CLEARED"), 0);
        });
      }

      it("control: a usable card on the same never-registered workspace backfills it and clears the marker", async () => {
        const { id, token } = await server.provision("never-registered");
        assertError(await register(server, id, token, { url: DOCKER_URL }), 400, "url_validate_failed");
        const response = await heartbeat(server, id, token, { agent_card: CARD_PRIME });
        assert.equal(response.body.workspace_status, "online");
        const ws = await detail(server, id);
        assert.deepEqual(ws.agent_card, CARD_PRIME);
        assert.deepEqual(activeMarkers(ws), []);
      });
    });

    describe("restart context across the incident", () => {
      it("the context captured at the operator restart is delivered once, on the heartbeat that brings the workspace online", async () => {
        const { id, token } = await heardFromWorkspace(server);
        await heartbeat(server, id, token, { uptime_seconds: 3_600 });
        const lastBeat = Date.parse((await detail(server, id)).last_heartbeat_at);
        server.clock.advance(20_000);
        await restart(server, id);
        server.clock.advance(10_000);
        assertError(await register(server, id, token, { url: DOCKER_URL }), 400, "url_validate_failed");
        const beat = await heartbeat(server, id, token, { agent_card: CARD, uptime_seconds: 5 });
        assert.equal(beat.body.workspace_status, "online");
        const context = beat.body.restart_context;
        assert.ok(context, "delivered on the card-bearing heartbeat");
        assert.equal(Date.parse(context.previous_session_end), lastBeat, "it describes the session that really ended");
        assert.equal(context.gap_seconds, 20);
        const events = await eventsOf(server, id);
        assert.equal(count(events, "RESTART_CONTEXT_QUEUED"), 1);
        assert.equal(count(events, "RESTART_CONTEXT_DELIVERED"), 1);
        assert.equal((await heartbeat(server, id, token, { agent_card: CARD, uptime_seconds: 35 })).body.restart_context, undefined);
      });

      it("the old container, still beating after an operator restart, never takes the new runtime's restart context", async () => {
        const { id, token } = await heardFromWorkspace(server);
        await heartbeat(server, id, token, { uptime_seconds: 3_600 });
        await restart(server, id);
        const old = await heartbeat(server, id, token, { uptime_seconds: 3_630 });
        assert.equal(old.status, 200);
        assert.equal(old.body.restart_context, undefined);
        assert.equal((await detail(server, id)).restart_context_pending, true);
        const registered = await register(server, id, token);
        assert.equal(registered.body.workspace_status, "online");
        assert.ok(registered.body.restart_context, "the new runtime gets it with its register");
        assert.equal(count(await eventsOf(server, id), "RESTART_CONTEXT_DELIVERED"), 1);
      });
    });
  });
}
